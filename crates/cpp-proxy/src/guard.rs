//! The one middleware every request passes: foreign origins refused, CORS, the per-client
//! in-flight limit on API requests, the headers every answer carries, and one log line per
//! request.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tower::{Layer, Service, ServiceExt};

use crate::client_addr::FrontEnds;
use crate::cors::Cors;
use crate::error::ProxyError;
use crate::limit::InFlightLimit;
use crate::routes;
use crate::serve::Answer;

/// What the guard needs to know: its own state, apart from the app's.
pub(crate) struct Guard {
    pub(crate) cors: Cors,
    pub(crate) limit: InFlightLimit,
    pub(crate) front_ends: FrontEnds,
    next_id: AtomicU64,
}

impl Guard {
    pub(crate) fn new(cors: Cors, limit: InFlightLimit, front_ends: FrontEnds) -> Arc<Self> {
        Arc::new(Self {
            cors,
            limit,
            front_ends,
            next_id: AtomicU64::new(1),
        })
    }
}

/// Every request: refuse foreign origins (403), answer preflights, refuse clients over their
/// in-flight limit of API requests (429; the app's own files never count, so a stalled
/// service cannot keep a reload from showing the page), add CORS and the headers every answer
/// carries, and log one line: method, path (no query, no headers: nothing secret), status,
/// latency and request id.
async fn guard<S, B>(guard: Arc<Guard>, request: Request, next: S) -> Response
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let next = |request: Request| async move {
        match next.oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        }
    };
    let id = guard.next_id.fetch_add(1, Ordering::Relaxed);
    let mut request = request;
    // The audit names the request as its answer and log line do.
    request.extensions_mut().insert(RequestId(id));
    let method = request.method().clone();
    // Kept for the log line: a clone shares the request's bytes.
    let uri = request.uri().clone();
    let origin = request.headers().get(header::ORIGIN).cloned();
    let started = Instant::now();
    let mut response = if !guard.cors.allows(request.headers()) {
        ProxyError::OriginNotAllowed.into_response()
    } else if method == Method::OPTIONS {
        guard.cors.preflight(origin.as_ref())
    } else {
        let mut response = if routes::is_api_path(uri.path()) || routes::is_graph_path(uri.path()) {
            let client = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| guard.front_ends.client(c.0.ip(), request.headers()));
            match client.map(|ip| guard.limit.acquire(ip)) {
                Some(None) => ProxyError::TooManyRequests.into_response(),
                Some(Some(_slot)) => next(request).await,
                None => next(request).await,
            }
        } else {
            next(request).await
        };
        guard.cors.decorate(origin.as_ref(), response.headers_mut());
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Static files set their own caching; everything else is live data.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    let id = RequestId(id);
    if let Ok(value) = HeaderValue::from_bytes(&id.hex()) {
        headers.insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let path = shortened(uri.path());
    if response.status().is_server_error() {
        tracing::warn!(%method, path = %path, status, latency_ms, request_id = %id, "request");
    } else {
        tracing::info!(%method, path = %path, status, latency_ms, request_id = %id, "request");
    }
    response
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The guard as a layer around the app.
#[derive(Clone)]
pub(crate) struct GuardLayer(pub(crate) Arc<Guard>);

impl<S> Layer<S> for GuardLayer {
    type Service = GuardService<S>;

    fn layer(&self, inner: S) -> GuardService<S> {
        GuardService {
            guard: self.0.clone(),
            inner,
        }
    }
}

/// The guard around `inner`: one boxed future per request (axum's `from_fn` made three, and
/// boxed the inner service again).
#[derive(Clone)]
pub struct GuardService<S> {
    guard: Arc<Guard>,
    inner: S,
}

impl<S, B> Service<Request> for GuardService<S>
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // `oneshot` waits for the inner service's readiness with each request.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let guard = self.guard.clone();
        let inner = self.inner.clone();
        Box::pin(async move { Ok(self::guard(guard, request, inner).await) })
    }
}

/// A path as logged: at most 200 bytes, cut at a character boundary.
fn shortened(path: &str) -> &str {
    let mut end = path.len().min(200);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    &path[..end]
}

/// The request's number, as eight (or more) lowercase hex digits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestId(u64);

impl RequestId {
    fn hex(&self) -> Vec<u8> {
        let digits = (16 - self.0.leading_zeros() as usize / 4).max(8);
        (0..digits)
            .rev()
            .map(|i| b"0123456789abcdef"[(self.0 >> (i * 4)) as usize & 15])
            .collect()
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_hex_like_the_log() {
        for n in [0, 1, 0xabc, 0xffff_ffff, 0x1_0000_0000, u64::MAX] {
            let id = RequestId(n);
            assert_eq!(String::from_utf8(id.hex()).expect("ascii"), id.to_string());
        }
    }

    #[test]
    fn logged_paths_are_cut_at_a_character_boundary() {
        assert_eq!(shortened("/api/x"), "/api/x");
        let long = format!("/{}", "é".repeat(150));
        let cut = shortened(&long);
        assert!(cut.len() <= 200 && long.starts_with(cut));
    }
}
