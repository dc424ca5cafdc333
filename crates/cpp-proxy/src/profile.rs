//! A forwarded request's one shape, with two profiles: the CPP API under `/api` and Product
//! Ingestion under `/graph`. Each profile has its own allow-list (its checked request), its
//! own upstream and token, and its own simulated answers; the rest of the way is the same.

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::response::Response;

use crate::error::ProxyError;
use crate::routes::{self, ApiRequest, GraphRequest};
use crate::state::{AppState, Mode};

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

    fn upstream_path_and_query(&self) -> String {
        match self {
            Self::Cpp(r) => routes::api_upstream(r),
            Self::Graph(r) => routes::graph_upstream(r),
        }
    }
}

/// Checks `request` against its profile's allow-list, then forwards it to that profile's
/// upstream, or answers it from the simulator.
pub(crate) async fn forwarded(
    profile: Profile,
    state: AppState,
    request: Request,
) -> Result<Response, ProxyError> {
    let checked = Checked::parse(profile, &request)?;
    let (parts, body) = request.into_parts();
    let body = read_body(&parts, body).await?;
    match (&state.0.mode, &checked) {
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
