//! The proxy as a library: `app(state)` builds the same router for `main` and for tests.

pub mod config;
pub mod cors;
pub mod error;
pub mod forward;
pub mod routes;
pub mod simulate;
pub mod token;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::ProxyError;
use crate::forward::Forwarder;
use crate::routes::ApiRequest;
use crate::simulate::{Fault, Simulator};
use crate::token::Token;

/// The CSP sent with the static app; the same policy is in its index.html.
pub const STATIC_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'self'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

/// Largest request body accepted (the cancel body is a few hundred bytes).
const MAX_REQUEST_BYTES: usize = 16 * 1024;

enum Mode {
    Forward(Forwarder),
    Simulate(Simulator),
}

struct StaticFiles {
    dir: PathBuf,
    prefix: String,
}

struct Inner {
    mode: Mode,
    allow_origins: Vec<HeaderValue>,
    static_files: Option<StaticFiles>,
    in_flight: Mutex<HashMap<IpAddr, usize>>,
    max_in_flight: usize,
    next_id: AtomicU64,
}

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// State from the command line.
    pub fn from_args(args: &config::Args) -> Result<Self, String> {
        let allow_origins = cors::parse_origins(&args.allow_origins)?;
        let mode = if args.simulate {
            let fault = match &args.fault {
                Some(name) => {
                    Some(Fault::parse(name).ok_or_else(|| format!("unknown --fault {name:?}"))?)
                }
                None => None,
            };
            Mode::Simulate(Simulator::new(
                args.seed,
                args.speed,
                fault,
                args.bulk.min(200_000),
            ))
        } else {
            let token = Token::load(args.token_file.as_deref(), &args.token_env)?;
            tracing::info!(
                token = if token.is_some() {
                    "injected"
                } else {
                    "from the browser"
                },
                "authorization"
            );
            Mode::Forward(Forwarder::new(
                &args.upstream,
                token,
                Duration::from_secs(args.timeout_secs.max(1)),
                args.max_response_bytes,
            )?)
        };
        let static_files = match &args.static_dir {
            Some(dir) if !dir.join("index.html").is_file() => {
                return Err(format!(
                    "--static {}: no index.html there (run trunk build first)",
                    dir.display()
                ))
            }
            Some(dir) => Some(StaticFiles {
                dir: dir.clone(),
                prefix: format!("/{}", args.static_prefix.trim_matches('/'))
                    .trim_end_matches('/')
                    .to_owned(),
            }),
            None => None,
        };
        Ok(Self(Arc::new(Inner {
            mode,
            allow_origins,
            static_files,
            in_flight: Mutex::new(HashMap::new()),
            max_in_flight: args.max_in_flight_per_client.max(1),
            next_id: AtomicU64::new(1),
        })))
    }

    /// `proxy` or `simulate`.
    pub fn mode(&self) -> &'static str {
        match self.0.mode {
            Mode::Forward(_) => "proxy",
            Mode::Simulate(_) => "simulate",
        }
    }

    /// The CORS allow-list.
    pub fn allow_origins(&self) -> &[HeaderValue] {
        &self.0.allow_origins
    }

    /// The simulator, in `--simulate` mode.
    pub fn simulator(&self) -> Option<&Simulator> {
        match &self.0.mode {
            Mode::Simulate(sim) => Some(sim),
            Mode::Forward(_) => None,
        }
    }
}

/// The whole HTTP app.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new().route("/healthz", get(health));
    if state.simulator().is_some() {
        router = router.route(
            "/_sim/fault",
            get(simulate::get_fault).post(simulate::set_fault),
        );
    }
    // One middleware for the per-request rules (each `from_fn` layer costs a boxed future per
    // request: four of them cost a quarter of the throughput, measured).
    router
        .fallback(dispatch)
        .layer(cors::layer(state.allow_origins()))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "mode": state.mode() }))
}

async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return api(state, request)
            .await
            .unwrap_or_else(IntoResponse::into_response);
    }
    match &state.0.static_files {
        Some(files) => serve_static(files, request).await,
        None => ProxyError::NotFound.into_response(),
    }
}

async fn api(state: AppState, request: Request) -> Result<Response, ProxyError> {
    let checked = ApiRequest::parse(
        request.method(),
        request.uri().path(),
        request.uri().query(),
    )?;
    let (parts, body) = request.into_parts();
    let body: Bytes = if parts.method == Method::POST {
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ProxyError::BadRequest(
                "POST bodies must be application/json.".into(),
            ));
        }
        axum::body::to_bytes(body, MAX_REQUEST_BYTES)
            .await
            .map_err(|_| ProxyError::BadRequest("The request body is too large.".into()))?
    } else {
        Bytes::new()
    };
    match &state.0.mode {
        Mode::Forward(forwarder) => forwarder.forward(&checked, &parts.headers, body).await,
        Mode::Simulate(sim) => Ok(sim.answer(&checked, &body).await),
    }
}

async fn serve_static(files: &StaticFiles, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return ProxyError::MethodNotAllowed("GET, HEAD").into_response();
    }
    let path = request.uri().path();
    let Some(rest) = path
        .strip_prefix(files.prefix.as_str())
        .filter(|r| r.is_empty() || r.starts_with('/'))
    else {
        return ProxyError::NotFound.into_response();
    };
    let rest = rest.trim_start_matches('/');
    // Only plain relative names: no "..", no encoded separators.
    let safe = !rest
        .split('/')
        .any(|s| s == ".." || s.contains('\\') || s.contains('%'));
    let file = files.dir.join(rest);
    let target = if safe && !rest.is_empty() && file.is_file() {
        file
    } else if Path::new(rest).extension().is_none() || rest.is_empty() {
        // A client route: the app handles it.
        files.dir.join("index.html")
    } else {
        return ProxyError::NotFound.into_response();
    };
    match ServeFile::new(target).oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(STATIC_CSP),
            );
            response
        }
        Err(never) => match never {},
    }
}

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
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
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

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
