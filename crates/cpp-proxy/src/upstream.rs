//! The forwarder's connections to its one upstream: HTTP/1, kept alive between requests, and
//! each driven by the request that holds it (the request's future, then its answer's body)
//! instead of by a task of its own, as nginx's workers drive theirs. A pooled client's
//! connection task costs every request a hand-off to that task and back through the runtime's
//! run queue, twice; on a machine with busy cores those waits were the proxy's tail (README,
//! "Decisions").
//!
//! A connection goes back to the idle list once its answer has been read to the end; one that
//! is dropped halfway (a client gone, a deadline) is closed. An idle connection is used again
//! only while it is fresh and still open, newest first.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderValue, Request, Response, Uri};
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower::ServiceExt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Driver = http1::Connection<MaybeHttpsStream<TokioIo<TcpStream>>, Full<Bytes>>;

/// An unused connection is kept this long: well under the keep-alive timeouts servers set
/// (60 s and more), so a kept connection is rarely one the server is just closing.
const KEEP_IDLE: Duration = Duration::from_secs(30);
/// Unused connections kept at most; more are closed.
const MAX_IDLE: usize = 64;

/// Why a request did not get an answer from the upstream.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// No connection could be made (refused, DNS, TLS, connect timeout).
    #[error("cannot connect: {0}")]
    Connect(BoxError),
    /// The connection closed before the answer came.
    #[error("the connection closed before the answer")]
    Closed,
    /// A kept connection took the request, then closed without answering: the server had
    /// just decided to close it. The request may or may not have been acted on.
    #[error("a kept connection closed without answering")]
    Unanswered,
    /// HTTP on the connection failed.
    #[error(transparent)]
    Http(#[from] hyper::Error),
}

/// One open connection: the sending half and the connection itself, which only moves when
/// polled.
struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
    /// Boxed: the connection state is large, and moves in and out of the idle list.
    driver: Pin<Box<Driver>>,
    idle_since: Instant,
}

impl Conn {
    /// Drives the connection until it takes a new request. An error when it has closed: it
    /// must then not be polled again.
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), UpstreamError>> {
        if let Poll::Ready(done) = self.driver.as_mut().poll(cx) {
            return Poll::Ready(Err(done.err().map_or(UpstreamError::Closed, Into::into)));
        }
        self.sender.poll_ready(cx).map_err(Into::into)
    }
}

/// The connections to one upstream (`scheme://authority`).
pub struct Upstream {
    base: Uri,
    host: HeaderValue,
    connector: HttpsConnector<HttpConnector>,
    idle: Mutex<Vec<Conn>>,
}

impl Upstream {
    /// Connections to `base`, made by `connector`. `None` when `base` has no host.
    pub fn new(base: Uri, connector: HttpsConnector<HttpConnector>) -> Option<Arc<Self>> {
        let host = HeaderValue::from_str(base.authority()?.as_str()).ok()?;
        Some(Arc::new(Self {
            base,
            host,
            connector,
            idle: Mutex::new(Vec::new()),
        }))
    }

    /// Sends `request` (its URI in origin form, `/path?query`) and returns the answer, whose
    /// body drives the connection until it has been read. On a kept connection that the
    /// server closed meanwhile, a request it never took goes out once more on a new
    /// connection; one it took and never answered is [`UpstreamError::Unanswered`], for the
    /// caller to send again if the request is idempotent.
    pub async fn send(
        self: Arc<Self>,
        mut request: Request<Full<Bytes>>,
    ) -> Result<Response<Driven>, UpstreamError> {
        request
            .headers_mut()
            .insert(header::HOST, self.host.clone());
        loop {
            let (mut conn, reused) = match self.checkout() {
                Some(conn) => (conn, true),
                None => (self.connect().await?, false),
            };
            if let Err(e) = poll_fn(|cx| conn.poll_ready(cx)).await {
                if reused {
                    continue;
                }
                return Err(e);
            }
            let mut answer = pin!(conn.sender.try_send_request(request));
            let mut open = true;
            // The connection first (it writes the request, then reads the answer and hands
            // it over), then the answer: both in this one poll, with no other task between.
            let answer = poll_fn(|cx| {
                if open && conn.driver.as_mut().poll(cx).is_ready() {
                    open = false;
                }
                answer.as_mut().poll(cx)
            })
            .await;
            match answer {
                Ok(response) => {
                    let conn = open.then_some(conn);
                    return Ok(response.map(|body| Driven {
                        body,
                        conn,
                        upstream: self.clone(),
                    }));
                }
                Err(mut e) => match e.take_message() {
                    Some(unsent) if reused => request = unsent,
                    None if reused && e.error().is_incomplete_message() => {
                        return Err(UpstreamError::Unanswered)
                    }
                    _ => return Err(e.into_error().into()),
                },
            }
        }
    }

    /// The newest idle connection that is still fresh and open.
    fn checkout(&self) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(conn) = idle.pop() {
            if conn.idle_since.elapsed() >= KEEP_IDLE {
                // The rest are older still.
                idle.clear();
                return None;
            }
            if !conn.sender.is_closed() {
                return Some(conn);
            }
        }
        None
    }

    fn checkin(&self, mut conn: Conn) {
        conn.idle_since = Instant::now();
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }

    async fn connect(&self) -> Result<Conn, UpstreamError> {
        let io = self
            .connector
            .clone()
            .oneshot(self.base.clone())
            .await
            .map_err(UpstreamError::Connect)?;
        let (sender, driver) = http1::handshake(io).await?;
        Ok(Conn {
            sender,
            driver: Box::pin(driver),
            idle_since: Instant::now(),
        })
    }
}

/// An answer's body, driving its connection as it is read; at its end the connection goes
/// back to the idle list.
pub struct Driven {
    body: Incoming,
    conn: Option<Conn>,
    upstream: Arc<Upstream>,
}

impl Driven {
    fn drive(&mut self, cx: &mut Context<'_>) {
        if let Some(conn) = &mut self.conn {
            if conn.driver.as_mut().poll(cx).is_ready() {
                self.conn = None;
            }
        }
    }
}

impl Body for Driven {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let mut frame = Pin::new(&mut this.body).poll_frame(cx);
        if frame.is_pending() {
            // The connection reads on only when asked for more: ask, then read again.
            this.drive(cx);
            frame = Pin::new(&mut this.body).poll_frame(cx);
        }
        match &frame {
            Poll::Ready(None) => this.release(),
            Poll::Ready(Some(Ok(_))) if this.body.is_end_stream() => this.release(),
            Poll::Ready(Some(Err(_))) => this.conn = None,
            _ => {}
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Driven {
    fn release(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.upstream.checkin(conn);
        }
    }
}

impl Drop for Driven {
    /// An empty answer is never read, yet ends cleanly: its connection can serve again.
    fn drop(&mut self) {
        if self.body.is_end_stream() {
            self.release();
        }
    }
}
