//! `--simulate`: the same routes answered from the model's simulated world, moving at
//! `--speed` simulated seconds per real second, with faults a test can ask for: by offer id
//! (`fault-<kind>`), by flag (`--fault <kind>`), or at run time (`POST /_sim/fault`).

pub(crate) mod control;
mod fault;
pub(crate) mod idp;
mod ingestion;
mod login;

pub use idp::{BadToken, IdpPlan, SimUser};

use fault::inject_xss;
pub use fault::{Fault, FaultPlan, XSS_PAYLOADS};

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use publishing_model::sim::{CancelOutcome, GoLiveOutcome, World};

use crate::error::error_body;
use crate::routes::{ApiRequest, ApiRoute};

/// The simulator.
pub struct Simulator {
    world: Mutex<(World, Instant)>,
    speed: f64,
    fixed: Option<Fault>,
    plan: Mutex<FaultPlan>,
    latency: Duration,
    /// The token endpoint: lifetime of its tokens, whether it refuses, tokens issued.
    login: login::Login,
    /// The identity provider users sign in with (`--auth entra`).
    pub(crate) idp: idp::Idp,
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn not_found(what: &str) -> Response {
    json(
        StatusCode::NOT_FOUND,
        error_body("NotFound", &format!("The {what} does not exist.")),
    )
}

impl Simulator {
    /// A world seeded with `seed`, moving `speed` times real time.
    pub fn new(seed: u64, speed: f64, fixed: Option<Fault>, bulk: usize) -> Self {
        let mut world = World::new(seed, Utc::now());
        if bulk > 0 {
            world.add_bulk_offer(bulk);
        }
        Self {
            world: Mutex::new((world, Instant::now())),
            speed: speed.clamp(0.0, 1.0e7),
            fixed,
            plan: Mutex::new(FaultPlan::default()),
            latency: Duration::ZERO,
            login: login::Login::default(),
            idp: idp::Idp::default(),
        }
    }

    /// The users who can sign in to the simulated identity provider.
    pub fn with_users(self, users: Vec<SimUser>) -> Self {
        self.idp.set_users(users);
        self
    }

    /// Makes the next ID token bad in one way, or none (`POST /_sim/idp`).
    pub fn set_bad_token(&self, issue: Option<BadToken>) {
        self.idp.set_plan(issue);
    }

    /// Gives the publisher `northwind` `count` offers in every state.
    pub fn with_offers(self, count: usize) -> Self {
        if count > 0 {
            self.with_world(|w| w.add_many_offers(count));
        }
        self
    }

    /// Adds the publisher `woodgrove`, whose publishes began weeks ago, when `aged`.
    pub fn with_aged_publisher(self, aged: bool) -> Self {
        if aged {
            self.with_world(publishing_model::sim::World::add_aged_publisher);
        }
        self
    }

    /// Waits `latency` before every answer.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// The run-time fault plan.
    pub fn plan(&self) -> FaultPlan {
        self.plan.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Replaces the run-time fault plan.
    pub fn set_plan(&self, plan: FaultPlan) {
        if let Ok(mut p) = self.plan.lock() {
            *p = plan;
        }
    }

    fn with_world<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        // A poisoned lock only means a panic mid-update; the world is still usable.
        let mut guard = self.world.lock().unwrap_or_else(|p| p.into_inner());
        let (world, last) = &mut *guard;
        let real = last.elapsed();
        *last = Instant::now();
        let simulated = TimeDelta::milliseconds((real.as_secs_f64() * 1000.0 * self.speed) as i64);
        world.advance(simulated);
        f(world)
    }

    fn take_fault(&self, request: &ApiRequest) -> Option<Fault> {
        let by_id = match &request.route {
            ApiRoute::Submissions { offer, .. }
            | ApiRoute::Operation { offer, .. }
            | ApiRoute::Status { offer, .. }
            | ApiRoute::Cancel { offer, .. }
            | ApiRoute::GoLive { offer, .. } => {
                offer.as_str().strip_prefix("fault-").and_then(Fault::parse)
            }
            ApiRoute::Offers { publisher } => publisher
                .as_str()
                .strip_prefix("fault-")
                .and_then(Fault::parse),
            ApiRoute::Publishers => None,
        };
        self.planned_fault(by_id)
    }

    /// A fault named by an id, else the run-time plan's (counting it down), else the fixed one.
    fn planned_fault(&self, by_id: Option<Fault>) -> Option<Fault> {
        by_id
            .or_else(|| {
                let mut plan = self.plan.lock().ok()?;
                let kind = plan.kind?;
                match plan.count {
                    Some(0) => {
                        *plan = FaultPlan::default();
                        None
                    }
                    Some(n) => {
                        plan.count = Some(n - 1);
                        if n == 1 {
                            *plan = FaultPlan::default();
                        }
                        Some(kind)
                    }
                    None => Some(kind),
                }
            })
            .or(self.fixed)
    }

    /// Answers a checked API request.
    pub async fn answer(&self, request: &ApiRequest, body: &[u8]) -> Response {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let fault = self.take_fault(request);
        if let Some(response) = fault_response(fault).await {
            return response;
        }
        let mut response = self.normal(request, body, fault == Some(Fault::Xss));
        if matches!(fault, Some(Fault::Truncated | Fault::Malformed)) {
            response = self.damage(response, fault == Some(Fault::Truncated)).await;
        }
        response
    }

    async fn damage(&self, response: Response, truncate: bool) -> Response {
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if truncate {
            let mut cut = text.len() / 2;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        } else if let Some(last) = text.rfind([']', '}']) {
            text.insert(last, ',');
        }
        Response::from_parts(parts, Body::from(text))
    }

    fn normal(&self, request: &ApiRequest, body: &[u8], xss: bool) -> Response {
        let ok = |value: serde_json::Value| json(StatusCode::OK, value.to_string());
        match &request.route {
            ApiRoute::Publishers => ok(serde_json::json!(self.with_world(|w| w.publishers()))),
            ApiRoute::Offers { publisher } => match self.with_world(|w| w.offers(publisher)) {
                Some(offers) => ok(serde_json::json!(offers)),
                None => not_found("publisher"),
            },
            ApiRoute::Submissions {
                publisher,
                offer,
                status,
            } => {
                let status = status.as_ref().map(|s| s.as_str());
                match self.with_world(|w| w.operations(publisher, offer, status)) {
                    Some(mut ops) => {
                        if xss {
                            for op in ops.iter_mut().take(3) {
                                op.submission_type = Some(XSS_PAYLOADS[0].to_owned());
                            }
                        }
                        ok(serde_json::json!(ops))
                    }
                    None => not_found("offer"),
                }
            }
            ApiRoute::Operation {
                publisher,
                offer,
                operation,
            } => {
                match self.with_world(|w| w.operation(publisher, offer, operation)) {
                    Some(mut detail) => {
                        if xss {
                            inject_xss(&mut detail.steps);
                        }
                        // The real service answers an array holding one object.
                        ok(serde_json::json!([detail]))
                    }
                    None => not_found("operation"),
                }
            }
            ApiRoute::Status { publisher, offer } => {
                match self.with_world(|w| w.offer_status(publisher, offer)) {
                    Some(mut status) => {
                        if xss {
                            inject_xss(&mut status.steps);
                        }
                        ok(serde_json::json!(status))
                    }
                    None => not_found("offer"),
                }
            }
            ApiRoute::Cancel { publisher, offer } => {
                if !serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.is_object()) {
                    return json(
                        StatusCode::BAD_REQUEST,
                        error_body("BadRequest", "The body must be a JSON object."),
                    );
                }
                match self.with_world(|w| w.cancel(publisher, offer)) {
                    None => not_found("offer"),
                    Some(CancelOutcome::NothingRunning) => {
                        json(StatusCode::BAD_REQUEST, error_body("NoRunningOperation", "No operation of this offer is running."))
                    }
                    Some(CancelOutcome::TooLate) => json(
                        StatusCode::BAD_REQUEST,
                        error_body("CannotCancel", "The operation is past publisher sign-off and can no longer be canceled."),
                    ),
                    Some(CancelOutcome::Accepted(id)) => {
                        accepted(publisher, offer, &id, &request.version)
                    }
                }
            }
            ApiRoute::GoLive { publisher, offer } => {
                // The body is optional here (notification e-mails); when sent, an object.
                if !body.is_empty()
                    && !serde_json::from_slice::<serde_json::Value>(body)
                        .is_ok_and(|v| v.is_object())
                {
                    return json(
                        StatusCode::BAD_REQUEST,
                        error_body("BadRequest", "The body must be a JSON object."),
                    );
                }
                match self.with_world(|w| w.go_live(publisher, offer)) {
                    None => not_found("offer"),
                    Some(GoLiveOutcome::NotWaiting) => json(
                        StatusCode::CONFLICT,
                        error_body(
                            "NotWaitingForSignOff",
                            "No operation of this offer is waiting for the publisher's sign-off.",
                        ),
                    ),
                    Some(GoLiveOutcome::Started(id)) => {
                        accepted(publisher, offer, &id, &request.version)
                    }
                }
            }
        }
    }
}

/// The answer a fault gives instead of the normal one, if it replaces it (a slow fault waits
/// and lets the normal answer through; damage and XSS change the normal answer).
async fn fault_response(fault: Option<Fault>) -> Option<Response> {
    let (status, code, message) = match fault? {
        Fault::BadRequest => (
            StatusCode::BAD_REQUEST,
            "InvalidAPIVersion",
            "The API version is not supported (simulated fault).",
        ),
        Fault::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The access token has expired (simulated fault).",
        ),
        Fault::Forbidden => (
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The identity is not allowed for this publisher (simulated fault).",
        ),
        Fault::NotFound => return Some(not_found("entity (simulated fault)")),
        Fault::Throttled => {
            let mut r = json(
                StatusCode::TOO_MANY_REQUESTS,
                error_body("TooManyRequests", "Slow down (simulated fault)."),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            return Some(r);
        }
        Fault::ServerError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "Something went wrong (simulated fault).",
        ),
        Fault::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            return None;
        }
        _ => return None,
    };
    Some(json(status, error_body(code, message)))
}

/// 202 with the follow-up operation's address, in both headers the service has used.
fn accepted(
    publisher: &publishing_model::PublisherId,
    offer: &publishing_model::OfferId,
    id: &publishing_model::OperationId,
    version: &publishing_model::route::ApiVersion,
) -> Response {
    let operation = ApiRoute::Operation {
        publisher: publisher.clone(),
        offer: offer.clone(),
        operation: id.clone(),
    };
    let location = crate::routes::api_upstream(&ApiRequest::new(operation, version.clone()));
    let mut r = StatusCode::ACCEPTED.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, value.clone());
        r.headers_mut().insert("operation-location", value);
    }
    r
}
