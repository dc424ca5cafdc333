//! The one middleware every request passes: foreign origins refused, the per-client in-flight
//! limit, the headers every answer carries, and one log line per request.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ProxyError;
use crate::{cors, AppState};

/// A slot of the per-client in-flight limit, released on drop.
struct InFlight(AppState, IpAddr);

impl InFlight {
    fn acquire(state: &AppState, ip: IpAddr) -> Option<Self> {
        let mut map = state.0.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(ip).or_insert(0);
        if *n >= state.0.max_in_flight {
            return None;
        }
        *n += 1;
        Some(Self(state.clone(), ip))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut map = self
            .0
             .0
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.1);
            }
        }
    }
}

/// Every request: refuse foreign origins (403) and clients over their in-flight limit (429),
/// add the headers every answer carries, and log one line: method, path (no query, no
/// headers: nothing secret), status, latency and request id.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = format!("{:08x}", state.0.next_id.fetch_add(1, Ordering::Relaxed));
    let method = request.method().clone();
    let path: String = request.uri().path().chars().take(200).collect();
    let started = Instant::now();
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let mut response = if !cors::origin_allowed(&state, request.headers()) {
        ProxyError::OriginNotAllowed.into_response()
    } else {
        match client.map(|ip| InFlight::acquire(&state, ip)) {
            Some(None) => ProxyError::TooManyRequests.into_response(),
            Some(Some(_slot)) => next.run(request).await,
            None => next.run(request).await,
        }
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
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
