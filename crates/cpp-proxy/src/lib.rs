//! The proxy as a library: `app(state)` builds the same router for `main` and for tests.

pub mod config;
pub mod cors;
pub mod error;
pub mod forward;
mod guard;
pub mod routes;
pub mod simulate;
mod static_files;
pub mod token;

pub use static_files::STATIC_CSP;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::ProxyError;
use crate::forward::Forwarder;
use crate::routes::ApiRequest;
use crate::simulate::{Fault, Simulator};
use crate::token::Token;

/// Largest request body accepted (the cancel body is a few hundred bytes).
const MAX_REQUEST_BYTES: usize = 16 * 1024;

enum Mode {
    Forward(Forwarder),
    Simulate(Simulator),
}

struct Inner {
    mode: Mode,
    allow_origins: Vec<HeaderValue>,
    static_files: Option<static_files::StaticFiles>,
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
            Some(dir) => Some(static_files::StaticFiles {
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
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
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
        Some(files) => static_files::serve_static(files, request).await,
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

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so a signal that arrives right after start-up is not lost
/// (it would otherwise end the process without a graceful shutdown).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let handlers = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        );
        async move {
            match handlers {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                }
                _ => {
                    tracing::warn!("cannot install signal handlers: stop with a kill");
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
