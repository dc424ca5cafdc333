//! A forwarded request's one shape, with two profiles: the CPP API under `/api` and Product
//! Ingestion under `/graph`. Each profile has its own allow-list (its checked request), its
//! own upstream and token, and its own simulated answers; the rest of the way is the same.

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::response::Response;

use axum::response::IntoResponse;
use publishing_model::{OperationId, PublisherId};

use crate::audit::{Action, Audit, Subject};
use crate::error::ProxyError;
use crate::guard::RequestId;
use crate::mode::Mode;
use crate::routes::{self, ApiRequest, ApiRoute, GraphRequest, GraphRoute};
use crate::state::AppState;
use crate::store::SessionRow;

/// Largest request body accepted (the cancel body is a few hundred bytes).
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// Which service a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// The CPP API, `/api/…`.
    Cpp,
    /// Product Ingestion, `/graph/…`.
    Graph,
}

impl Profile {
    /// The profile whose prefix `path` has, if any.
    pub(crate) fn of(path: &str) -> Option<Self> {
        if routes::is_api_path(path) {
            Some(Self::Cpp)
        } else if routes::is_graph_path(path) {
            Some(Self::Graph)
        } else {
            None
        }
    }
}

/// A request its profile's allow-list let through.
enum Checked {
    Cpp(ApiRequest),
    Graph(GraphRequest),
}

impl Checked {
    fn parse(profile: Profile, request: &Request) -> Result<Self, ProxyError> {
        let (method, uri) = (request.method(), request.uri());
        Ok(match profile {
            Profile::Cpp => Self::Cpp(routes::api(method, uri.path(), uri.query())?),
            Profile::Graph => Self::Graph(routes::graph(method, uri.path(), uri.query())?),
        })
    }

    fn method(&self) -> Method {
        match self {
            Self::Cpp(r) => routes::method(r.route.method()),
            Self::Graph(r) => routes::method(r.route.method()),
        }
    }

    /// The audit's words for it: the action, and the publisher, offer and job it is about.
    fn audited(&self) -> (Action, Subject) {
        match self {
            Self::Cpp(r) => {
                let action = match r.route {
                    ApiRoute::Cancel { .. } => Action::Cancel,
                    ApiRoute::GoLive { .. } => Action::GoLive,
                    _ => Action::Read,
                };
                let publisher = match &r.route {
                    ApiRoute::Offers { publisher } => Some(publisher.as_str().to_owned()),
                    route => route.offer().map(|(p, _)| p.as_str().to_owned()),
                };
                let target = match &r.route {
                    ApiRoute::Operation { operation, .. } => Some(operation.as_str().to_owned()),
                    _ => None,
                };
                let offer = r.route.offer().map(|(_, o)| o.as_str().to_owned());
                (
                    action,
                    Subject {
                        publisher,
                        offer,
                        target,
                    },
                )
            }
            Self::Graph(r) => match &r.route {
                GraphRoute::CancelJob { job } => (
                    Action::CancelJob,
                    Subject {
                        target: Some(job.as_str().to_owned()),
                        ..Subject::default()
                    },
                ),
                _ => (Action::Read, Subject::default()),
            },
        }
    }

    fn upstream_path_and_query(&self) -> String {
        match self {
            Self::Cpp(r) => routes::api_upstream(r),
            Self::Graph(r) => routes::graph_upstream(r),
        }
    }
}

/// Checks `request` against sign-in (when on), `--allow-publisher` and its profile's
/// allow-list, then forwards it to that profile's upstream, or answers it from the
/// simulator. Every POST and every refusal here is audited.
pub(crate) async fn forwarded(
    profile: Profile,
    state: AppState,
    request: Request,
) -> Result<Response, ProxyError> {
    let checked = Checked::parse(profile, &request);
    let (action, subject) = checked
        .as_ref()
        .map_or((Action::Read, Subject::default()), Checked::audited);
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(ToString::to_string)
        .unwrap_or_default();
    let refuse = |refusal: ProxyError, user: Option<SessionRow>| {
        let state = state.clone();
        let (request_id, subject) = (request_id.clone(), subject.clone());
        async move {
            let row = Audit::row(
                &request_id,
                user.as_ref(),
                action,
                subject,
                Some(refusal.code()),
                None,
            );
            state.audit().record(row).await;
            Err(refusal)
        }
    };
    let user = match state.auth() {
        Some(auth) => match auth.admit(request.method(), request.headers()).await {
            Ok(user) => Some(user),
            Err((refusal, user)) => return refuse(refusal, user).await,
        },
        None => None,
    };
    let checked = match checked {
        Ok(checked) => checked,
        // Not one of the services' routes (or not as sent): refused, and recorded.
        Err(refusal) => return refuse(refusal, user).await,
    };
    if let Some(publisher) = &subject.publisher {
        let served = state.publishers();
        if !served.is_empty() && !served.iter().any(|p| p.as_str() == publisher) {
            return refuse(ProxyError::PublisherNotAllowed, user).await;
        }
    }
    let (mut parts, body) = request.into_parts();
    let body = read_body(&parts, body).await?;
    if user.is_some() {
        // Upstream, the proxy is itself: a browser's own credential goes no further.
        parts.headers.remove(header::AUTHORIZATION);
    }
    // People's requests go at once; the watcher's next one waits a second after them.
    state.pace().note().await;
    let answer = match (&*state.0.mode, &checked) {
        (Mode::Forward { cpp, graph }, _) => {
            let forwarder = match profile {
                Profile::Cpp => cpp,
                Profile::Graph => graph,
            };
            let path = checked.upstream_path_and_query();
            // Boxed: the forwarding future is large, and every layer above would otherwise
            // move it.
            Box::pin(forwarder.forward(checked.method(), path, &parts.headers, body)).await
        }
        (Mode::Simulate(sim), Checked::Cpp(request)) => Ok(sim.answer(request, &body).await),
        (Mode::Simulate(sim), Checked::Graph(request)) => Ok(sim.answer_graph(request).await),
    };
    let answer = match (&checked, answer) {
        (Checked::Cpp(r), Ok(response)) if r.route == ApiRoute::Publishers => {
            Ok(served_publishers(response, state.publishers()).await)
        }
        (_, answer) => answer,
    };
    if parts.method == Method::POST {
        let mut subject = subject;
        let (status, reason) = match &answer {
            Ok(response) => {
                if subject.target.is_none() {
                    subject.target = [header::LOCATION, OPERATION_LOCATION]
                        .iter()
                        .filter_map(|h| response.headers().get(h)?.to_str().ok())
                        .find_map(OperationId::from_location)
                        .map(|id| id.as_str().to_owned());
                }
                (Some(response.status().as_u16()), None)
            }
            Err(e) => (None, Some(e.code())),
        };
        let mut row = Audit::row(&request_id, user.as_ref(), action, subject, None, status);
        row.reason = reason.map(str::to_owned);
        state.audit().record(row).await;
    }
    answer
}

const OPERATION_LOCATION: header::HeaderName =
    header::HeaderName::from_static("operation-location");

/// The publishers list with only the served ones in it (`--allow-publisher`); the answer as
/// it is when every publisher is served or it is not a list.
async fn served_publishers(response: Response, served: &[PublisherId]) -> Response {
    if served.is_empty() || !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return ProxyError::BadUpstream("The publishers list could not be read.").into_response();
    };
    let kept = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Array(items)) => serde_json::Value::Array(
            items
                .into_iter()
                .filter(|item| {
                    let id = item.get("id").or_else(|| item.get("publisherId"));
                    id.and_then(|v| v.as_str())
                        .is_some_and(|id| served.iter().any(|p| p.as_str() == id))
                })
                .collect(),
        ),
        _ => return ProxyError::BadUpstream("The publishers list is not a list.").into_response(),
    };
    let mut parts = parts;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(kept.to_string()))
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
