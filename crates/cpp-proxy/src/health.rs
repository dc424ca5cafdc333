//! Health: `/healthz` (the process answers) and `/readyz` (it can serve the real service).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::state::AppState;

/// Liveness: the process answers.
pub(crate) async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "mode": state.mode() }))
}

/// Readiness: the proxy can serve the real service on its own (a token is configured; with
/// sign-in, its store answers). It also says when everyone who can reach it acts as the
/// publisher (`--allow-anonymous`).
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    let mut response = readiness(&state).await;
    if let Some(watcher) = state.watcher() {
        let health = watcher.readiness().await;
        let (mut parts, body) = response.into_parts();
        let mut value: serde_json::Value = axum::body::to_bytes(body, 64 * 1024)
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        value["watcher"] = health;
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        response = Response::from_parts(parts, axum::body::Body::from(value.to_string()));
    }
    response
}

async fn readiness(state: &AppState) -> Response {
    if let Some(auth) = state.auth() {
        return match auth.store.ping().await {
            Ok(()) => {
                Json(serde_json::json!({ "status": "ready", "mode": state.mode(), "signIn": true }))
                    .into_response()
            }
            Err(e) => {
                tracing::warn!(error = %e, "the store does not answer");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(serde_json::json!({ "status": "not ready", "mode": state.mode(), "signIn": true, "reason": "The store of sessions does not answer." })),
                )
                    .into_response()
            }
        };
    }
    match state.not_ready() {
        None if state.anonymous() => Json(serde_json::json!({
            "status": "ready",
            "mode": state.mode(),
            "anonymous": true,
            "warning": "--allow-anonymous: everyone who can reach this proxy acts as the publisher.",
        }))
        .into_response(),
        None => Json(serde_json::json!({ "status": "ready", "mode": state.mode() })).into_response(),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "not ready", "mode": state.mode(), "reason": reason })),
        )
            .into_response(),
    }
}
