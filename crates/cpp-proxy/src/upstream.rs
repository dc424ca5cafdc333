//! The forwarder's connections to its one upstream: HTTP/1.1 of the proxy's own
//! ([`wire`]), kept alive between requests, and each driven by the request that holds it (the
//! request's future, then its answer's body) instead of by a task of its own, as nginx's
//! workers drive theirs. A pooled client's connection task cost every request a hand-off to
//! that task and back through the runtime's run queue, twice, and its general head parsing
//! more than the rest of the forwarding; on a machine with busy cores that work was the
//! proxy's tail (README, "Decisions").
//!
//! A connection goes back to the idle list once its answer has been read to the end, with
//! nothing after it; one that is dropped halfway (a client gone, a deadline) is closed. An
//! idle connection is used again only while it is fresh and still open, newest first.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use axum::http::{HeaderName, HeaderValue, Method, Response, Uri};
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tower::ServiceExt;

mod wire;

pub(crate) use wire::valid_target;
use wire::{Chunked, Framing, Step, WireError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Io = TokioIo<MaybeHttpsStream<TokioIo<TcpStream>>>;

/// An unused connection is kept this long: well under the keep-alive timeouts servers set
/// (60 s and more), so a kept connection is rarely one the server is just closing.
const KEEP_IDLE: Duration = Duration::from_secs(30);
/// Unused connections kept at most; more are closed.
const MAX_IDLE: usize = 64;
/// Each connection's read buffer, to begin with (it grows for a larger answer head).
const READ_BUF: usize = 16 * 1024;

/// Why a request did not get an answer from the upstream.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// No connection could be made (refused, DNS, TLS, connect timeout).
    #[error("cannot connect: {0}")]
    Connect(BoxError),
    /// The connection closed before the answer, or its body, was complete.
    #[error("the connection closed before the answer was complete")]
    Closed,
    /// A kept connection took the request, then closed without answering: the server had
    /// just decided to close it. The request may or may not have been acted on.
    #[error("a kept connection closed without answering")]
    Unanswered,
    /// Reading or writing the connection failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The answer is not HTTP the proxy reads.
    #[error(transparent)]
    Wire(#[from] WireError),
}

/// One open connection and what has been read from it and not yet used.
struct Conn {
    /// Boxed: a TLS connection's state is large, and a connection moves in and out of the
    /// idle list and with every answer's body.
    io: Box<Io>,
    /// Bytes `start..end` are read and unused; all of it is initialised.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    idle_since: Instant,
}

impl Conn {
    fn new(io: Io) -> Self {
        Self {
            io: Box::new(io),
            buf: vec![0; READ_BUF],
            start: 0,
            end: 0,
            idle_since: Instant::now(),
        }
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        }
    }

    /// The next `n` unread bytes, used.
    fn take(&mut self, n: usize) -> Bytes {
        let data = Bytes::copy_from_slice(&self.buf[self.start..self.start + n]);
        self.consume(n);
        data
    }

    /// Reads what has arrived after the unread bytes: how much, 0 at the connection's end.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.end == self.buf.len() {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                (self.start, self.end) = (0, self.end - self.start);
            } else if self.buf.len() < wire::MAX_HEAD {
                self.buf.resize(self.buf.len() * 2, 0);
            } else {
                return Poll::Ready(Err(io::Error::other("the read buffer is full")));
            }
        }
        let mut read = ReadBuf::new(&mut self.buf[self.end..]);
        ready!(Pin::new(&mut self.io).poll_read(cx, &mut read))?;
        let n = read.filled().len();
        self.end += n;
        Poll::Ready(Ok(n))
    }

    /// Whether a kept connection is still open with nothing waiting on it: the server may
    /// have closed it while it was idle.
    fn still_open(&mut self, cx: &mut Context<'_>) -> bool {
        self.poll_fill(cx).is_pending()
    }
}

/// The connections to one upstream (`scheme://authority`).
pub struct Upstream {
    base: Uri,
    host: HeaderValue,
    connector: HttpsConnector<HttpConnector>,
    /// The answer headers the caller reads; the rest are dropped as they are parsed.
    keep: &'static [HeaderName],
    idle: Mutex<Vec<Conn>>,
}

impl Upstream {
    /// Connections to `base`, made by `connector`, whose answers keep only the headers in
    /// `keep`. `None` when `base` has no host.
    pub fn new(
        base: Uri,
        connector: HttpsConnector<HttpConnector>,
        keep: &'static [HeaderName],
    ) -> Option<Arc<Self>> {
        let host = HeaderValue::from_str(base.authority()?.as_str()).ok()?;
        Some(Arc::new(Self {
            base,
            host,
            connector,
            keep,
            idle: Mutex::new(Vec::new()),
        }))
    }

    /// Sends a request for `target` (origin form, `/path?query`, [`valid_target`]) and
    /// returns the answer, whose body drives the connection until it has been read. A kept
    /// connection the server closed while it was idle is replaced before the request goes
    /// out; one that took the request and closed without a word is
    /// [`UpstreamError::Unanswered`], for the caller to send again if the request is
    /// idempotent.
    pub async fn send(
        self: Arc<Self>,
        method: &Method,
        target: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: &[u8],
    ) -> Result<Response<Driven>, UpstreamError> {
        let mut request = Vec::with_capacity(256 + body.len());
        wire::encode_request(&mut request, method, target, &self.host, headers, body);
        let (mut conn, reused) = loop {
            match self.checkout() {
                Some(mut conn) => {
                    if poll_fn(|cx| Poll::Ready(conn.still_open(cx))).await {
                        break (conn, true);
                    }
                }
                None => break (self.connect().await?, false),
            }
        };
        let unanswered = |e: UpstreamError| if reused { UpstreamError::Unanswered } else { e };
        if let Err(e) = write(&mut conn.io, &request).await {
            return Err(unanswered(e.into()));
        }
        let mut heard = false;
        let head = loop {
            if let Some((len, head)) = wire::parse_head(conn.unread(), method, self.keep)? {
                conn.consume(len);
                heard = true;
                match head.status.as_u16() {
                    101 => return Err(WireError::Invalid("an unasked-for protocol switch").into()),
                    100..=199 => continue,
                    _ => break head,
                }
            }
            match poll_fn(|cx| conn.poll_fill(cx)).await {
                Ok(0) if heard || !conn.unread().is_empty() => return Err(UpstreamError::Closed),
                Ok(0) => return Err(unanswered(UpstreamError::Closed)),
                Ok(_) => {}
                Err(e) => return Err(e.into()),
            }
        };
        let remaining = match head.framing {
            Framing::Empty | Framing::Length(0) => Remaining::Done,
            Framing::Length(n) => Remaining::Length(n),
            Framing::Chunked => Remaining::Chunked(Chunked::default()),
            Framing::UntilClose => Remaining::UntilClose,
        };
        let mut body = Driven {
            conn: Some(conn),
            remaining,
            reusable: head.reusable,
            upstream: self.clone(),
        };
        if body.is_end_stream() {
            body.release();
        }
        let mut response = Response::new(body);
        *response.status_mut() = head.status;
        *response.headers_mut() = head.headers;
        Ok(response)
    }

    /// The newest idle connection that is still fresh.
    fn checkout(&self) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let conn = idle.pop()?;
        if conn.idle_since.elapsed() >= KEEP_IDLE {
            // The rest are older still.
            idle.clear();
            return None;
        }
        Some(conn)
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
        Ok(Conn::new(TokioIo::new(io)))
    }
}

async fn write(io: &mut Io, request: &[u8]) -> io::Result<()> {
    io.write_all(request).await?;
    io.flush().await
}

/// What is left of an answer's body.
enum Remaining {
    Length(u64),
    Chunked(Chunked),
    UntilClose,
    Done,
}

/// An answer's body, read from its connection as it is polled; at its end the connection goes
/// back to the idle list, if the answer allows.
pub struct Driven {
    /// `None` once released, or after an error.
    conn: Option<Conn>,
    remaining: Remaining,
    reusable: bool,
    upstream: Arc<Upstream>,
}

impl Driven {
    fn release(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Bytes after the answer were never asked for: the connection is not trusted.
            if self.reusable && conn.unread().is_empty() {
                self.upstream.checkin(conn);
            }
        }
    }

    /// The next data (empty when only framing was used), or `None` at the body's end.
    fn next(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Bytes>, UpstreamError>> {
        let Some(conn) = self.conn.as_mut() else {
            return Poll::Ready(match self.remaining {
                Remaining::Done => Ok(None),
                _ => Err(UpstreamError::Closed),
            });
        };
        let unread = conn.unread().len();
        let (skip, len) = match &mut self.remaining {
            Remaining::Done => return Poll::Ready(Ok(None)),
            Remaining::Length(left) => {
                let len = usize::try_from(*left).unwrap_or(usize::MAX).min(unread);
                *left -= len as u64;
                if *left == 0 {
                    self.remaining = Remaining::Done;
                }
                (0, len)
            }
            Remaining::UntilClose => (0, unread),
            Remaining::Chunked(decoder) => match decoder.step(conn.unread())? {
                Step::NeedMore => (0, 0),
                Step::Data { skip, len } => (skip, len),
                Step::End(used) => {
                    self.remaining = Remaining::Done;
                    (used, 0)
                }
            },
        };
        if skip + len > 0 || matches!(self.remaining, Remaining::Done) {
            conn.consume(skip);
            return Poll::Ready(Ok(Some(conn.take(len))));
        }
        if ready!(conn.poll_fill(cx))? == 0 {
            if !matches!(self.remaining, Remaining::UntilClose) {
                return Poll::Ready(Err(UpstreamError::Closed));
            }
            self.remaining = Remaining::Done;
        }
        Poll::Ready(Ok(Some(Bytes::new())))
    }
}

impl Body for Driven {
    type Data = Bytes;
    type Error = UpstreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, UpstreamError>>> {
        let this = self.get_mut();
        loop {
            match ready!(this.next(cx)) {
                Ok(Some(data)) => {
                    if this.is_end_stream() {
                        this.release();
                    }
                    if !data.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(data))));
                    }
                }
                Ok(None) => {
                    this.release();
                    return Poll::Ready(None);
                }
                Err(e) => {
                    this.conn = None;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.remaining, Remaining::Done)
    }

    fn size_hint(&self) -> SizeHint {
        match self.remaining {
            Remaining::Length(n) => SizeHint::with_exact(n),
            Remaining::Done => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
