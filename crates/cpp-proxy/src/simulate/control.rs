//! The simulator's controls, served only in `--simulate` mode: its run-time fault plan and
//! its Entra ID token endpoint.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ProxyError;
use crate::simulate::FaultPlan;
use crate::state::AppState;

/// `GET /_sim/fault`: the simulator's current run-time fault plan.
pub(crate) async fn get_fault(State(state): State<AppState>) -> Response {
    match state.simulator() {
        Some(sim) => Json(sim.plan()).into_response(),
        None => ProxyError::NotFound.into_response(),
    }
}

/// `POST /_sim/fault` with `{"kind": "unauthorized", "count": 2}`; `{"kind": null}` clears.
pub(crate) async fn set_fault(
    State(state): State<AppState>,
    Json(plan): Json<FaultPlan>,
) -> Response {
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
pub(crate) async fn token(State(state): State<AppState>, body: Bytes) -> Response {
    match state.simulator() {
        Some(sim) => sim.token_endpoint(&body),
        None => ProxyError::NotFound.into_response(),
    }
}

/// `POST /_sim/token-endpoint` with `{"failing": true}`: the token endpoint refuses (or
/// answers again with `false`).
pub(crate) async fn set_token_endpoint(
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
