//! The simulator's controls, served only in `--simulate` mode: its run-time fault plan and
//! its Entra ID token endpoint.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ProxyError;
use crate::simulate::{idp, FaultPlan, IdpPlan};
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

/// `http://{Host}/_sim/login`: where the simulated Entra ID is reached, as the request says.
fn login_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}/_sim/login")
}

/// The simulator's Entra ID token endpoint (v1 and v2): client credentials, or (v2) an
/// authorization code, in; a token out.
pub(crate) async fn token(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match state.simulator() {
        Some(sim) => sim.token_endpoint(&body, &login_base(&headers), &tenant),
        None => ProxyError::NotFound.into_response(),
    }
}

/// Discovery: `/_sim/login/{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn discovery(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    match state.simulator() {
        Some(sim) if idp::plain_tenant(&tenant) => sim
            .idp
            .discovery(&format!("{}/{tenant}", login_base(&headers))),
        _ => ProxyError::NotFound.into_response(),
    }
}

/// The key set: `/_sim/login/{tenant}/discovery/v2.0/keys`.
pub(crate) async fn keys(State(state): State<AppState>) -> Response {
    match state.simulator() {
        Some(sim) => sim.idp.keys(),
        None => ProxyError::NotFound.into_response(),
    }
}

/// The authorize endpoint: `/_sim/login/{tenant}/oauth2/v2.0/authorize`.
pub(crate) async fn authorize(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    RawQuery(raw): RawQuery,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match state.simulator() {
        Some(sim) if idp::plain_tenant(&tenant) => {
            sim.idp
                .authorize(&tenant, &query, raw.as_deref().unwrap_or_default())
        }
        _ => ProxyError::NotFound.into_response(),
    }
}

/// Sign-out: back to `post_logout_redirect_uri` (http or https only).
pub(crate) async fn logout(Query(query): Query<HashMap<String, String>>) -> Response {
    let back = query
        .get("post_logout_redirect_uri")
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .and_then(|u| HeaderValue::from_str(u).ok());
    match back {
        Some(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        None => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Signed out (simulated).",
        )
            .into_response(),
    }
}

/// `POST /_sim/idp {"issue": KIND}`: the next ID token is bad in that way; `null` clears.
pub(crate) async fn set_idp(State(state): State<AppState>, Json(plan): Json<IdpPlan>) -> Response {
    match state.simulator() {
        Some(sim) => {
            tracing::info!(issue = ?plan.issue, "identity provider plan set");
            sim.set_bad_token(plan.issue);
            Json(plan).into_response()
        }
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
