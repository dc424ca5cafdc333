//! Serving the app over HTTP/1.1, until a shutdown signal, then draining: the listener
//! closes, idle connections close, and every request in flight is answered first.
//!
//! Not `axum::serve`: it serves through hyper-util's protocol-detecting builder, which reads
//! every connection through a rewind buffer and with upgrades, for HTTP/2 and WebSockets the
//! proxy never speaks, and that showed per request in the profile (README, "Decisions").

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::{Service, ServiceExt};

/// How every layer of the app answers a request: a boxed future that cannot fail.
pub type Answer = std::pin::Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// Serves `app` (the proxy's [`crate::App`]) on `listener` until `shutdown` resolves, then
/// drains.
pub async fn serve<S>(listener: TcpListener, app: S, shutdown: impl Future<Output = ()>)
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    // Each connection holds a receiver: the sender learns when the last one is gone.
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait rather than spin.
                tracing::warn!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Small JSON answers must not wait for Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let service = PerConnection {
            app: app.clone(),
            peer,
        };
        let mut stopping = stopped.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            let mut connection = pin!(connection);
            let mut asked = false;
            loop {
                tokio::select! {
                    biased;
                    _ = connection.as_mut() => break,
                    _ = stopping.changed(), if !asked => {
                        asked = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
        });
    }
    drop(listener);
    drop(stopped);
    let _ = stop.send(true);
    stop.closed().await;
}

/// The app as one connection serves it: the peer's address in every request (as axum's
/// `ConnectInfo`), and hyper's body as axum's.
#[derive(Clone)]
struct PerConnection<S> {
    app: S,
    peer: SocketAddr,
}

impl<S> hyper::service::Service<Request<Incoming>> for PerConnection<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone,
{
    type Response = Response;
    type Error = Infallible;
    type Future = tower::util::Oneshot<S, Request>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(self.peer));
        self.app.clone().oneshot(request)
    }
}
