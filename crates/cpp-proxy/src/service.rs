//! The tower services every request passes through: the guard (CORS, the per-client limit,
//! security headers), compression where the client takes it, then [`Front`], which sends
//! forwarded requests straight to their profile and the rest to the router.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::error::ProxyError;
use crate::profile::{self, Profile};
use crate::sign_in as endpoints;
use crate::simulate::control;
use crate::state::AppState;
use crate::{guard, health, negotiate, serve, static_files, watching as watch};

/// The whole HTTP app.
pub fn app(state: AppState) -> App {
    let mut router = Router::new()
        .route("/healthz", get(health::health))
        .route("/readyz", get(health::ready))
        .route("/auth/login", get(endpoints::login))
        .route("/auth/callback", get(endpoints::callback))
        .route("/auth/me", get(endpoints::me))
        .route("/auth/logout", post(endpoints::logout))
        .route("/auth/audit", get(endpoints::audit))
        .route("/dashboard/v1/watch", get(watch::watch))
        .route("/dashboard/v1/channels", get(watch::channels))
        .route(
            "/dashboard/v1/channels/{name}/test",
            post(watch::test_message),
        )
        .route("/dashboard/v1/events", get(watch::events))
        .route(
            "/dashboard/v1/history/{publisher}/{offer}",
            get(watch::history),
        );
    if state.simulator().is_some() {
        router = router
            .route(
                "/_sim/fault",
                get(control::get_fault).post(control::set_fault),
            )
            .route("/_sim/login/{tenant}/oauth2/token", post(control::token))
            .route(
                "/_sim/login/{tenant}/oauth2/v2.0/token",
                post(control::token),
            )
            .route("/_sim/token-endpoint", post(control::set_token_endpoint))
            .route(
                "/_sim/login/{tenant}/v2.0/.well-known/openid-configuration",
                get(control::discovery),
            )
            .route(
                "/_sim/login/{tenant}/oauth2/v2.0/authorize",
                get(control::authorize),
            )
            .route(
                "/_sim/login/{tenant}/discovery/v2.0/keys",
                get(control::keys),
            )
            .route(
                "/_sim/login/{tenant}/oauth2/v2.0/logout",
                get(control::logout),
            )
            .route("/_sim/idp", post(control::set_idp));
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
        let Some(profile) = Profile::of(request.uri().path()) else {
            return Box::pin(tower::ServiceExt::oneshot(self.router.clone(), request));
        };
        let state = self.state.clone();
        Box::pin(async move {
            let answer = profile::forwarded(profile, state, request).await;
            Ok(answer.unwrap_or_else(IntoResponse::into_response))
        })
    }
}

/// The router's fallback: the app's files, when served.
async fn serve_static(State(state): State<AppState>, request: Request) -> Response {
    match &state.0.static_files {
        Some(files) => static_files::serve_static(files, request).await,
        None => ProxyError::NotFound.into_response(),
    }
}
