//! Serving the app over HTTP/1.1, until a shutdown signal, then draining: the listener
//! closes, idle connections close, and every request in flight is answered first.
//!
//! Every connection is held to [`Limits`]: a request head must arrive whole within the
//! header-read timeout of its first byte; a kept-alive connection with nothing to do is
//! closed after the idle timeout, and so is one whose answer has not moved for as long (a
//! client that stopped reading); and past `max_connections` open ones a new connection is
//! closed at once while those already held go on being answered. hyper's own header timeout
//! is not used: it also runs while a kept-alive connection waits for its next request, so it
//! would close idle connections after 10 s instead of 60.
//!
//! Not `axum::serve`: it serves through hyper-util's protocol-detecting builder, for HTTP/2
//! and WebSockets the proxy never speaks.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, Semaphore};
use tokio::time::Instant;
use tower::{Service, ServiceExt};

use crate::config::Args;

/// How every layer of the app answers a request: a boxed future that cannot fail.
pub type Answer = std::pin::Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// What one connection may take of the proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From a request head's first byte to its last, at most.
    pub header_read: Duration,
    /// A connection with no request to answer, or whose answer does not move, is closed
    /// after this long.
    pub idle: Duration,
    /// Connections open at once, at most.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
            max_connections: 2048,
        }
    }
}

impl Limits {
    /// The limits the command line sets (each at least one second, and one connection).
    pub fn from_args(args: &Args) -> Self {
        Self {
            header_read: Duration::from_secs(args.header_timeout_secs.max(1)),
            idle: Duration::from_secs(args.idle_timeout_secs.max(1)),
            max_connections: args.max_connections.max(1),
        }
    }
}

/// Serves `app` (the proxy's [`crate::App`]) on `listener` within `limits` until `shutdown`
/// resolves, then drains.
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    // Each connection holds a receiver: the sender learns when the last one is gone.
    let (stop, stopped) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut accept_errors = Quiet::new("cannot accept connections");
    let mut refusals = Quiet::new("at --max-connections: new connections are closed at once");
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: said once in a while, and waited
                // out rather than spun on.
                accept_errors.say(&e);
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refusals.say(&"connection closed");
            drop(stream);
            continue;
        };
        // Small JSON answers must not wait for Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let service = PerConnection {
            app: app.clone(),
            peer,
            activity: activity.clone(),
        };
        let stopping = stopped.clone();
        tokio::spawn(async move {
            connection(stream, service, activity, limits, stopping).await;
            drop(slot);
        });
    }
    drop(listener);
    drop(stopped);
    let _ = stop.send(true);
    stop.closed().await;
}

/// Drives one connection until it ends, a limit closes it, or shutdown has drained it.
async fn connection<S>(
    stream: TcpStream,
    service: PerConnection<S>,
    activity: Arc<Activity>,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let connection = hyper::server::conn::http1::Builder::new()
        // hyper's header timeout stays off (see the module's note): no timer is given.
        .serve_connection(io, service);
    let mut connection = pin!(connection);
    let mut asked = false;
    loop {
        let deadline = activity.deadline(&limits);
        tokio::select! {
            biased;
            _ = connection.as_mut() => return,
            _ = stopping.changed(), if !asked => {
                asked = true;
                connection.as_mut().graceful_shutdown();
            }
            () = activity.head_begun.notified() => {}
            () = tokio::time::sleep_until(deadline) => {
                if Instant::now() >= activity.deadline(&limits) {
                    // Dropping the connection closes its socket.
                    return;
                }
            }
        }
    }
}

/// What a connection has been doing, as its socket and its service see it. Times are
/// milliseconds since the connection was accepted.
struct Activity {
    start: Instant,
    /// The last byte read or written.
    last_io: AtomicU64,
    /// When the first byte of a head not yet read whole arrived (for a new connection: when
    /// it was accepted, so that one that never says anything is held to the same limit);
    /// [`NONE`] when none.
    head_since: AtomicU64,
    /// When the connection last had nothing to answer.
    idle_since: AtomicU64,
    /// Requests whose answers are not yet written to the end.
    busy: AtomicUsize,
    /// Told when a head begins: its deadline is earlier than the idle one.
    head_begun: Notify,
}

const NONE: u64 = u64::MAX;

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_io: AtomicU64::new(0),
            head_since: AtomicU64::new(0),
            idle_since: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
            head_begun: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn at(&self, ms: u64) -> Instant {
        self.start + Duration::from_millis(ms)
    }

    fn read(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        if self.busy.load(Ordering::Acquire) == 0
            && self
                .head_since
                .compare_exchange(NONE, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            self.head_begun.notify_one();
        }
    }

    fn wrote(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    fn request_began(&self) {
        self.busy.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(NONE, Ordering::Release);
    }

    fn answer_ended(&self) {
        if self.busy.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.idle_since.store(self.now(), Ordering::Relaxed);
        }
    }

    /// When the connection is to be closed, as things stand.
    fn deadline(&self, limits: &Limits) -> Instant {
        let last_io = self.last_io.load(Ordering::Relaxed);
        if self.busy.load(Ordering::Acquire) > 0 {
            return self.at(last_io) + limits.idle;
        }
        match self.head_since.load(Ordering::Acquire) {
            NONE => self.at(self.idle_since.load(Ordering::Relaxed).max(last_io)) + limits.idle,
            since => self.at(since) + limits.header_read,
        }
    }
}

/// The socket, telling [`Activity`] of every byte that moves.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The app as one connection serves it: the peer's address in every request (as axum's
/// `ConnectInfo`), hyper's body as axum's, and each answer's end told to [`Activity`].
#[derive(Clone)]
struct PerConnection<S> {
    app: S,
    peer: SocketAddr,
    activity: Arc<Activity>,
}

impl<S> hyper::service::Service<Request<Incoming>> for PerConnection<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.request_began();
        let busy = Busy(self.activity.clone());
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let answer = self.app.clone().oneshot(request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|inner| Body::new(Tracked { inner, _busy: busy })))
        })
    }
}

/// Held while a request is being answered: dropped with the answer's body, once hyper has
/// written it (or given up on it).
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.answer_ended();
    }
}

/// An answer's body, holding [`Busy`].
struct Tracked {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A warning that repeats at most once a minute, saying how often it happened meanwhile.
struct Quiet {
    what: &'static str,
    last: Option<Instant>,
    since: u64,
}

impl Quiet {
    const EVERY: Duration = Duration::from_secs(60);

    fn new(what: &'static str) -> Self {
        Self {
            what,
            last: None,
            since: 0,
        }
    }

    fn say(&mut self, error: &dyn std::fmt::Display) {
        self.since += 1;
        if self.last.is_some_and(|t| t.elapsed() < Self::EVERY) {
            return;
        }
        tracing::warn!(error = %error, times = self.since, "{}", self.what);
        self.last = Some(Instant::now());
        self.since = 0;
    }
}
