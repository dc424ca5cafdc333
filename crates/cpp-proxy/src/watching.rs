//! What the watcher serves the dashboard, as JSON (docs/watcher.md): `GET /dashboard/v1/watch`
//! (what it watches and its health), `GET /dashboard/v1/channels` (each channel's last
//! delivery, dead rows, disabled channels), `GET /dashboard/v1/events?since=` (recent events)
//! and `POST /dashboard/v1/channels/{name}/test` (a test message; operators, with sign-in).
//! Behind sign-in when it is on; `{"watching": false}` when nothing is watched. Every answer
//! is `no-store`, as the guard makes every answer that sets no caching of its own.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use publishing_model::alerts::{Event, EventKind, Look};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ProxyError;
use crate::state::AppState;
use crate::store::DeliveryRow;
use crate::watch::channel::{self, Outcome};
use crate::watch::Watcher;

fn time(ms: Option<i64>) -> Value {
    ms.and_then(DateTime::from_timestamp_millis)
        .map_or(Value::Null, |t| json!(t))
}

/// The watcher, after sign-in's checks (a session; an operator for a POST); else the answer
/// to give: the refusal, or `{"watching": false}` when the proxy watches nothing.
async fn admitted(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Watcher, Response> {
    if let Some(auth) = state.auth() {
        if let Err((refusal, _)) = auth.admit(method, headers).await {
            return Err(refusal.into_response());
        }
    }
    state.watcher().cloned().ok_or_else(not_watching)
}

fn unavailable(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "the watcher's store failed");

    (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": { "code": "StoreUnavailable", "message": "The watcher's store does not answer." } })),
        )
            .into_response()
}

fn not_watching() -> Response {
    Json(json!({ "watching": false })).into_response()
}

/// `GET /dashboard/v1/watch`.
pub(crate) async fn watch(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let watcher = match admitted(&state, &method, &headers).await {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    let offers = match watcher.0.store.watched_offers().await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let served = state.publishers();
    let offers: Vec<Value> = offers
        .iter()
        .filter(|o| served.is_empty() || served.iter().any(|p| p.as_str() == o.publisher))
        .map(|o| {
            let look = o.look.as_deref().and_then(Look::from_json);
            json!({
                "publisher": o.publisher,
                "offer": o.offer,
                "name": look.as_ref().map(|l| l.name.clone()),
                "status": look.as_ref().map(|l| l.status.as_str().to_owned()),
                "polledAt": time(o.polled_ms),
                "nextAt": time(Some(o.next_ms)),
                "failures": o.failures,
                "lastError": o.last_error,
            })
        })
        .collect();
    let health = watcher.health().await;
    let config = watcher.config();
    Json(json!({
            "watching": true,
            "leader": health.leader,
            "lastOk": health.last_ok,
            "lastError": health.last_error.as_ref().map(|(at, why)| json!({ "at": at, "message": why })),
            "runningEverySeconds": config.running_every.as_secs(),
            "idleEverySeconds": config.idle_every.as_secs(),
            "publishers": config.watch.iter().map(|w| json!({ "publisher": w.publisher, "offers": w.offers })).collect::<Vec<_>>(),
            "offers": offers,
        }))
        .into_response()
}

fn dead_row(row: &DeliveryRow) -> Value {
    let event: Option<Event> = serde_json::from_str(&row.event).ok();
    json!({
        "channel": row.channel,
        "publisher": event.as_ref().map(|e| e.publisher.as_str().to_owned()),
        "offer": event.as_ref().map(|e| e.offer.as_str().to_owned()),
        "type": event.as_ref().map(|e| e.kind.slug()),
        "createdAt": time(Some(row.created_ms)),
        "givenUpAt": time(row.done_ms),
        "attempts": row.attempts,
        "status": row.last_status,
        "reason": row.last_error,
    })
}

/// `GET /dashboard/v1/channels`.
pub(crate) async fn channels(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let watcher = match admitted(&state, &method, &headers).await {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    let store = &watcher.0.store;
    let (rows, dead) = match (
        store.channel_rows().await,
        store.deliveries_in("dead", 100).await,
    ) {
        (Ok(rows), Ok(dead)) => (rows, dead),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    let mut out = Vec::new();
    for c in &watcher.config().channels {
        let row = rows
            .iter()
            .find(|r| r.name == c.name)
            .cloned()
            .unwrap_or_default();
        let pending = match store.pending_deliveries(&c.name).await {
            Ok(p) => p,
            Err(e) => return unavailable(e),
        };
        // Why the waiting ones wait: the newest reason a delivery was tried again.
        let retrying = pending
            .iter()
            .filter(|p| p.attempts > 0)
            .max_by_key(|p| p.next_ms)
            .and_then(|p| p.last_error.clone());
        out.push(json!({
            "name": c.name,
            "kind": c.kind.slug(),
            "host": c.host,
            "disabled": row.disabled_ms.map(|ms| json!({ "at": time(Some(ms)), "reason": row.disabled_why })),
            "lastAt": time(row.last_ms),
            "lastStatus": row.last_status,
            "lastResult": row.last_result,
            "pending": pending.len(),
            "retrying": retrying,
            "dead": dead.iter().filter(|d| d.channel == c.name).map(dead_row).collect::<Vec<_>>(),
        }));
    }
    Json(json!({ "watching": true, "channels": out })).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Since {
    since: Option<String>,
}

/// `GET /dashboard/v1/events?since=` (RFC 3339 or Unix milliseconds; the last week when not
/// given), newest first, at most 200.
pub(crate) async fn events(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<Since>,
) -> Response {
    let watcher = match admitted(&state, &method, &headers).await {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    let since = match q.since.as_deref().map(str::trim) {
        None | Some("") => Utc::now().timestamp_millis() - 7 * 86_400_000,
        Some(text) => match text.parse::<i64>().ok().or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.timestamp_millis())
        }) {
            Some(ms) => ms,
            None => {
                return ProxyError::BadRequest(
                    "since must be an RFC 3339 time or Unix milliseconds.".into(),
                )
                .into_response()
            }
        },
    };
    let served = state.publishers();
    match watcher.0.store.events_since(since, 200).await {
        Ok(bodies) => {
            let events: Vec<Value> = bodies
                .iter()
                .filter_map(|b| serde_json::from_str::<Event>(b).ok())
                .filter(|e| served.is_empty() || served.contains(&e.publisher))
                .map(|e| {
                    let mut v = serde_json::to_value(&e).unwrap_or_default();
                    v["key"] = json!(e.key());
                    v
                })
                .collect();
            Json(json!({ "watching": true, "events": events })).into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// `POST /dashboard/v1/channels/{name}/test`: one test message to one channel, now, and
/// the receiver's answer. Not stored in the outbox: nothing retries it.
pub(crate) async fn test_message(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let watcher = match admitted(&state, &method, &headers).await {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    let Some(channel) = watcher
        .config()
        .channels
        .iter()
        .find(|c| c.name == name)
        .cloned()
    else {
        return ProxyError::NotFound.into_response();
    };
    let now = Utc::now();
    let publisher = watcher
        .config()
        .watch
        .first()
        .map_or("publisher", |w| w.publisher.as_str());
    let event = Event {
        kind: EventKind::Signoff,
        publisher: publisher.into(),
        offer: "test".into(),
        offer_name: "Test message from cpp-proxy".into(),
        publish: now.to_rfc3339(),
        step: None,
        status: publishing_model::PublishStatus::WaitingForPublisherReview,
        message: None,
        first_look: false,
        since: None,
        reminder: 0,
        occurred_at: now,
        service: publishing_model::alerts::Service::Cpp,
    };
    let notice =
        publishing_model::alerts::Notice::new(vec![event], watcher.0.public_url.as_deref());
    let id = channel::message_id(&[format!("test\n{}", crate::secret::random())]);
    let outcome = channel::send(&watcher.0.out, &channel, &notice, &id, now.timestamp()).await;
    let (delivered, status, reason) = match &outcome {
        Outcome::Delivered(code) => (true, Some(*code), None),
        Outcome::Retry { status, why, .. } => (false, *status, Some(why.clone())),
        Outcome::Gone => (
            false,
            Some(410),
            Some(format!("{} answered 410 Gone", channel.host)),
        ),
        Outcome::Refused(code) => (
            false,
            Some(*code),
            Some(format!("{} refused the message ({code})", channel.host)),
        ),
    };
    tracing::info!(channel = %channel.name, delivered, "test message");
    Json(json!({ "delivered": delivered, "status": status, "reason": reason })).into_response()
}

fn stats(h: Option<&publishing_model::history::StepHistory>) -> Value {
    h.map_or(Value::Null, |h| {
        json!({
            "count": h.samples,
            "medianSeconds": h.median.num_seconds(),
            "p80Seconds": h.p80.num_seconds(),
            "minSeconds": h.min.num_seconds(),
            "maxSeconds": h.max.num_seconds(),
        })
    })
}

/// `GET /dashboard/v1/history/{publisher}/{offer}`: per step, how long its runs took that
/// the watcher saw begin and end, over the offer's and the publisher's completed ones (runs
/// that overlap a watcher outage left out).
pub(crate) async fn history(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Path((publisher, offer)): Path<(String, String)>,
) -> Response {
    let watcher = match admitted(&state, &method, &headers).await {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    let served = state.publishers();
    if !served.is_empty() && !served.iter().any(|p| p.as_str() == publisher) {
        return ProxyError::PublisherNotAllowed.into_response();
    }
    let rows = match watcher.0.store.succeeded_runs(&publisher, 5_000).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let runs: Vec<publishing_model::alerts::Run> = rows
        .into_iter()
        .map(|r| publishing_model::alerts::Run {
            offer: r.offer,
            key: r.step_key,
            name: r.step_name,
            started_after: r.started_after_ms,
            started: r.started_ms,
            ended_after: r.ended_after_ms,
            ended: r.ended_ms,
        })
        .collect();
    let outage = chrono::TimeDelta::from_std(watcher.config().running_every * 3)
        .unwrap_or(chrono::TimeDelta::MAX)
        .max(chrono::TimeDelta::minutes(5));
    let steps: Vec<Value> = publishing_model::alerts::step_statistics(&runs, &offer, outage)
        .iter()
        .map(|s| json!({ "key": s.key, "name": s.name, "offer": stats(s.offer.as_ref()), "publisher": stats(s.publisher.as_ref()) }))
        .collect();
    Json(json!({ "watching": true, "publisher": publisher, "offer": offer, "steps": steps }))
        .into_response()
}
