//! The one middleware every request passes: foreign origins refused, the per-client in-flight
//! limit on API requests, the headers every answer carries, and one log line per request.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::client_addr::FrontEnds;
use crate::cors;
use crate::error::ProxyError;
use crate::limit::InFlightLimit;
use crate::routes;

/// What the guard needs to know: its own state, apart from the app's.
pub(crate) struct Guard {
    pub(crate) allow_origins: Vec<HeaderValue>,
    pub(crate) limit: InFlightLimit,
    pub(crate) front_ends: FrontEnds,
    next_id: AtomicU64,
}

impl Guard {
    pub(crate) fn new(
        allow_origins: Vec<HeaderValue>,
        limit: InFlightLimit,
        front_ends: FrontEnds,
    ) -> Arc<Self> {
        Arc::new(Self {
            allow_origins,
            limit,
            front_ends,
            next_id: AtomicU64::new(1),
        })
    }
}

/// Every request: refuse foreign origins (403) and clients over their in-flight limit of API
/// requests (429; the app's own files never count, so a stalled service cannot keep a reload
/// from showing the page), add the headers every answer carries, and log one line: method,
/// path (no query, no headers: nothing secret), status, latency and request id.
pub(crate) async fn guard(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    let id = format!("{:08x}", guard.next_id.fetch_add(1, Ordering::Relaxed));
    let method = request.method().clone();
    let path: String = request.uri().path().chars().take(200).collect();
    let started = Instant::now();
    let mut response = if !cors::origin_allowed(&guard.allow_origins, request.headers()) {
        ProxyError::OriginNotAllowed.into_response()
    } else if routes::is_api_path(&path) || routes::is_graph_path(&path) {
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| guard.front_ends.client(c.0.ip(), request.headers()));
        match client.map(|ip| guard.limit.acquire(ip)) {
            Some(None) => ProxyError::TooManyRequests.into_response(),
            Some(Some(_slot)) => next.run(request).await,
            None => next.run(request).await,
        }
    } else {
        next.run(request).await
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
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", value);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if response.status().is_server_error() {
        tracing::warn!(%method, %path, status, latency_ms, request_id = %id, "request");
    } else {
        tracing::info!(%method, %path, status, latency_ms, request_id = %id, "request");
    }
    response
}
