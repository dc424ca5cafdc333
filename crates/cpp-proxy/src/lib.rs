//! The proxy as a library: `app(state)` builds the same router for `main` and for tests.

pub mod client_addr;
pub mod config;
pub mod connector;
pub mod cors;
pub mod credentials;
pub mod error;
pub mod forward;
mod guard;
mod limit;
mod negotiate;
pub mod routes;
pub mod serve;
pub mod simulate;
mod static_files;
pub mod token;
mod upstream;
mod whole;

pub use static_files::{IMMUTABLE, STATIC_CSP};

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::client_addr::FrontEnds;
use crate::config::ConfigError;
use crate::connector::{Outbound, Trust};
use crate::credentials::{Audience, ServicePrincipal, TokenSource};
use crate::error::ProxyError;
use crate::forward::Forwarder;
use crate::guard::Guard;
use crate::limit::InFlightLimit;
use crate::routes::{ApiRequest, GraphRequest};
use crate::simulate::{Fault, FaultPlan, Simulator};
use crate::token::Token;

/// Largest request body accepted (the cancel body is a few hundred bytes).
const MAX_REQUEST_BYTES: usize = 16 * 1024;

enum Mode {
    /// The real services: the CPP API under `/api`, Product Ingestion under `/graph`, each
    /// with its own upstream, allow-list and token.
    Forward {
        cpp: Box<Forwarder>,
        graph: Box<Forwarder>,
    },
    Simulate(Simulator),
}

struct Inner {
    mode: Mode,
    static_files: Option<static_files::StaticFiles>,
    guard: Arc<Guard>,
}

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// State from the command line.
    pub fn from_args(args: &config::Args) -> Result<Self, ConfigError> {
        let allow_origins = cors::parse_origins(&args.allow_origins)?;
        let front_ends = FrontEnds::parse(&args.trusted_front_ends)?;
        let mode = if args.simulate {
            let fault = match &args.fault {
                Some(name) => {
                    Some(Fault::parse(name).ok_or_else(|| ConfigError::Fault(name.clone()))?)
                }
                None => None,
            };
            Mode::Simulate(
                Simulator::new(args.seed, args.speed, fault, args.bulk.min(200_000))
                    .with_offers(args.offers.min(10_000))
                    .with_latency(std::time::Duration::from_millis(args.latency.min(60_000)))
                    .with_token_lifetime(args.sim_token_lifetime.clamp(1, 86_400)),
            )
        } else {
            let out = Outbound {
                trust: Trust::load(args.ca_file.as_deref())?,
                timeout: Duration::from_secs(args.timeout_secs.max(1)),
            };
            let cpp = token_source(
                Token::load(args.token_file.as_deref(), &args.token_env)?,
                Audience::CloudPartner,
                args,
                &out,
            )?;
            let graph = token_source(
                Token::load(args.graph_token_file.as_deref(), &args.graph_token_env)?,
                Audience::Graph,
                args,
                &out,
            )?;
            tracing::info!(
                cpp = describe(cpp.as_ref()),
                graph = describe(graph.as_ref()),
                "authorization"
            );
            let max = args.max_response_bytes;
            Mode::Forward {
                cpp: Box::new(Forwarder::new(&args.upstream, cpp, &out, max)?),
                graph: Box::new(Forwarder::new(&args.graph_upstream, graph, &out, max)?),
            }
        };
        let static_files = match &args.static_dir {
            Some(dir) if !dir.join("index.html").is_file() => {
                return Err(ConfigError::Static(dir.display().to_string()))
            }
            Some(dir) => Some(static_files::StaticFiles {
                dir: dir.clone(),
                prefix: format!("/{}", args.static_prefix.trim_matches('/'))
                    .trim_end_matches('/')
                    .to_owned(),
            }),
            None => None,
        };
        let limit = InFlightLimit::new(args.max_in_flight_per_client);
        Ok(Self(Arc::new(Inner {
            mode,
            static_files,
            guard: Guard::new(cors::Cors::new(allow_origins), limit, front_ends),
        })))
    }

    /// `proxy` or `simulate`.
    pub fn mode(&self) -> &'static str {
        match self.0.mode {
            Mode::Forward { .. } => "proxy",
            Mode::Simulate(_) => "simulate",
        }
    }

    /// Why the proxy cannot serve the real service yet, if it cannot.
    pub fn not_ready(&self) -> Option<&'static str> {
        match self.0.mode {
            Mode::Simulate(_) => None,
            Mode::Forward { ref cpp, .. } if cpp.has_token() => None,
            Mode::Forward { .. } => Some(
                "No token is configured (a service principal, --token-file or the CPP_PROXY_TOKEN variable): only browsers that send their own can be served.",
            ),
        }
    }

    /// The simulator, in `--simulate` mode.
    pub fn simulator(&self) -> Option<&Simulator> {
        match &self.0.mode {
            Mode::Simulate(sim) => Some(sim),
            Mode::Forward { .. } => None,
        }
    }
}

/// The proxy's token for one API: a fixed one, or one it fetches as the service principal
/// (read from the environment or files each time: a principal is not copied around).
fn token_source(
    fixed: Option<Token>,
    audience: Audience,
    args: &config::Args,
    out: &Outbound,
) -> Result<Option<TokenSource>, ConfigError> {
    let principal = ServicePrincipal::load(
        |name| std::env::var(name).ok(),
        args.client_secret_file.as_deref(),
        args.client_certificate_file.as_deref(),
    )?;
    match (fixed, principal) {
        (Some(_), Some(_)) => Err(ConfigError::Token(
            "give the proxy a token or a service principal, not both".into(),
        )),
        (Some(token), None) => Ok(Some(TokenSource::Fixed(token))),
        (None, Some(principal)) => Ok(Some(TokenSource::entra(
            principal,
            audience,
            &args.token_endpoint,
            out,
        )?)),
        (None, None) => Ok(None),
    }
}

fn describe(token: Option<&TokenSource>) -> &'static str {
    match token {
        Some(TokenSource::Fixed(_)) => "injected, fixed",
        Some(TokenSource::Entra(_)) => "injected, fetched and renewed as a service principal",
        None => "from the browser",
    }
}

/// The whole HTTP app.
pub fn app(state: AppState) -> App {
    let mut router = Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready));
    if state.simulator().is_some() {
        router = router
            .route("/_sim/fault", get(get_fault).post(set_fault))
            .route("/_sim/login/{tenant}/oauth2/token", post(sim_token))
            .route("/_sim/login/{tenant}/oauth2/v2.0/token", post(sim_token))
            .route("/_sim/token-endpoint", post(set_token_endpoint));
    }
    let guard = state.0.guard.clone();
    // The per-request layers wrap the whole app once. Given to `Router::layer`, each would
    // wrap every route on its own, and every request would clone and box each of them again.
    App(tower::ServiceBuilder::new()
        .layer(guard::GuardLayer(guard))
        .layer(negotiate::NegotiateLayer)
        .service(Front {
            router: router.fallback(serve_static).with_state(state.clone()),
            state,
        }))
}

/// The whole HTTP app: the guard, compression where the client takes it, then [`Front`].
#[derive(Clone)]
pub struct App(guard::GuardService<negotiate::Negotiated<Front>>);

impl tower::Service<Request> for App {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = serve::Answer;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.0.call(request)
    }
}

/// Behind the layers: API and Product Ingestion requests go straight to their handlers, the
/// rest (health, the simulator's controls, the app's files) to the router. The forwarded
/// requests are the proxy's load; the router's matching and extraction cost them about
/// 3,000 instructions each (callgrind).
#[derive(Clone)]
struct Front {
    state: AppState,
    router: Router,
}

impl tower::Service<Request> for Front {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = serve::Answer;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let path = request.uri().path();
        let (api_path, graph_path) = (routes::is_api_path(path), routes::is_graph_path(path));
        if !api_path && !graph_path {
            return Box::pin(tower::ServiceExt::oneshot(self.router.clone(), request));
        }
        let state = self.state.clone();
        Box::pin(async move {
            let answer = if api_path {
                api(state, request).await
            } else {
                graph(state, request).await
            };
            Ok(answer.unwrap_or_else(IntoResponse::into_response))
        })
    }
}

/// Liveness: the process answers.
async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "mode": state.mode() }))
}

/// Readiness: the proxy can serve the real service on its own (a token is configured).
async fn ready(State(state): State<AppState>) -> Response {
    match state.not_ready() {
        None => Json(serde_json::json!({ "status": "ready", "mode": state.mode() })).into_response(),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "not ready", "mode": state.mode(), "reason": reason })),
        )
            .into_response(),
    }
}

/// `GET /_sim/fault`: the simulator's current run-time fault plan.
async fn get_fault(State(state): State<AppState>) -> Response {
    match state.simulator() {
        Some(sim) => Json(sim.plan()).into_response(),
        None => ProxyError::NotFound.into_response(),
    }
}

/// `POST /_sim/fault` with `{"kind": "unauthorized", "count": 2}`; `{"kind": null}` clears.
async fn set_fault(State(state): State<AppState>, Json(plan): Json<FaultPlan>) -> Response {
    match state.simulator() {
        Some(sim) => {
            tracing::info!(kind = ?plan.kind, count = ?plan.count, "fault plan set");
            sim.set_plan(plan.clone());
            Json(plan).into_response()
        }
        None => ProxyError::NotFound.into_response(),
    }
}

/// The simulator's Entra ID token endpoint (v1 and v2): client credentials in, a token out.
async fn sim_token(State(state): State<AppState>, body: Bytes) -> Response {
    match state.simulator() {
        Some(sim) => sim.token_endpoint(&body),
        None => ProxyError::NotFound.into_response(),
    }
}

/// `POST /_sim/token-endpoint` with `{"failing": true}`: the token endpoint refuses (or
/// answers again with `false`).
async fn set_token_endpoint(
    State(state): State<AppState>,
    Json(plan): Json<serde_json::Value>,
) -> Response {
    match state.simulator() {
        Some(sim) => {
            let failing = plan["failing"].as_bool().unwrap_or(false);
            tracing::info!(failing, "token endpoint plan set");
            sim.set_token_endpoint_failing(failing);
            Json(serde_json::json!({ "failing": failing })).into_response()
        }
        None => ProxyError::NotFound.into_response(),
    }
}

/// The router's fallback: the app's files, when served.
async fn serve_static(State(state): State<AppState>, request: Request) -> Response {
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
    let body = read_body(&parts, body).await?;
    match &state.0.mode {
        // Boxed: the forwarding future is large, and every layer above would otherwise move
        // it (measured: memmove was 6% of the proxy's samples).
        Mode::Forward { cpp, .. } => {
            let path = checked.upstream_path_and_query();
            Box::pin(cpp.forward(checked.route.method(), path, &parts.headers, body)).await
        }
        Mode::Simulate(sim) => Ok(sim.answer(&checked, &body).await),
    }
}

/// The Product Ingestion profile: its own allow-list, upstream and token.
async fn graph(state: AppState, request: Request) -> Result<Response, ProxyError> {
    let checked = GraphRequest::parse(
        request.method(),
        request.uri().path(),
        request.uri().query(),
    )?;
    let (parts, body) = request.into_parts();
    let body = read_body(&parts, body).await?;
    match &state.0.mode {
        Mode::Forward { graph, .. } => {
            let path = checked.upstream_path_and_query();
            Box::pin(graph.forward(checked.route.method(), path, &parts.headers, body)).await
        }
        Mode::Simulate(sim) => Ok(sim.answer_graph(&checked).await),
    }
}

/// A POST's JSON body (small), or nothing for a GET.
async fn read_body(
    parts: &axum::http::request::Parts,
    body: axum::body::Body,
) -> Result<Bytes, ProxyError> {
    if parts.method != Method::POST {
        return Ok(Bytes::new());
    }
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
        .map_err(|_| ProxyError::BadRequest("The request body is too large.".into()))
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
