//! The watcher's requests upstream: through the same forwarder (and token) as the browsers',
//! or to the simulator with `--simulate`; and the pace every upstream request keeps.

use std::time::Duration;

use axum::http::{header, HeaderMap, Method};
use bytes::Bytes;
use publishing_model::route::{
    ApiVersion, CppRequest, CppRoute, GraphRequest, GraphRoute, GraphVersion,
};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::mode::Mode;

/// At most one upstream request a second from the watcher, counting the browsers' too:
/// people's requests go at once and push the watcher's next turn back.
#[derive(Debug)]
pub struct Pace {
    last: Mutex<Option<Instant>>,
    gap: Duration,
}

impl Default for Pace {
    /// A little over a second: two requests sent a second apart may arrive a few
    /// milliseconds closer than that, and the service counts what arrives.
    fn default() -> Self {
        Self::new(Duration::from_millis(1_050))
    }
}

impl Pace {
    /// A pace of one request per `gap`.
    pub fn new(gap: Duration) -> Self {
        Self {
            last: Mutex::new(None),
            gap,
        }
    }

    /// A browser's request goes upstream now.
    pub async fn note(&self) {
        let mut last = self.last.lock().await;
        *last = Some(Instant::now().max(last.unwrap_or_else(Instant::now)));
    }

    /// Waits for the watcher's turn: a `gap` after the last upstream request of anyone's.
    pub async fn turn(&self) {
        loop {
            let wait = {
                let mut last = self.last.lock().await;
                let now = Instant::now();
                match *last {
                    Some(t) if now < t + self.gap => t + self.gap - now,
                    _ => {
                        *last = Some(now);
                        return;
                    }
                }
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// Why a request got no usable answer: never an event, said on the page and in `/readyz`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// In words (no token, no URL query).
    pub why: String,
    /// The service's `Retry-After`.
    pub retry_after: Option<Duration>,
}

fn failure(why: String) -> Failure {
    Failure {
        why,
        retry_after: None,
    }
}

/// GETs a CPP `route` as the proxy itself, and the answer's body when it is a success.
pub(crate) async fn get(mode: &Mode, route: CppRoute) -> Result<String, Failure> {
    let request = CppRequest::new(route, ApiVersion::default());
    let response = match mode {
        Mode::Forward { cpp, .. } => {
            let path = crate::routes::api_upstream(&request);
            Box::pin(cpp.forward(Method::GET, path, &HeaderMap::new(), Bytes::new()))
                .await
                .map_err(|e| failure(format!("the service could not be asked ({})", e.code())))?
        }
        Mode::Simulate(sim) => sim.answer(&request, &[]).await,
    };
    body(response).await
}

/// GETs a Product Ingestion `route` as the proxy itself.
pub(crate) async fn get_graph(mode: &Mode, route: GraphRoute) -> Result<String, Failure> {
    let request = GraphRequest::new(route, GraphVersion::default());
    let response = match mode {
        Mode::Forward { graph, .. } => {
            let path = crate::routes::graph_upstream(&request);
            Box::pin(graph.forward(Method::GET, path, &HeaderMap::new(), Bytes::new()))
                .await
                .map_err(|e| {
                    failure(format!(
                        "Product Ingestion could not be asked ({})",
                        e.code()
                    ))
                })?
        }
        Mode::Simulate(sim) => sim.answer_graph(&request).await,
    };
    body(response).await
}

/// The answer's body when it is a success, else why not.
async fn body(response: axum::response::Response) -> Result<String, Failure> {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| publishing_model::retry::parse_retry_after(v, chrono::Utc::now()));
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .map_err(|_| failure("the service's answer could not be read".into()))?;
    if !status.is_success() {
        let code = publishing_model::api::parse_error_body(&String::from_utf8_lossy(&body))
            .and_then(|e| e.code)
            .map(|c| {
                // The service's words are untrusted: a short plain code only.
                let c: String = c
                    .chars()
                    .filter(|ch| ch.is_ascii_alphanumeric() || "._-".contains(*ch))
                    .take(64)
                    .collect();
                format!(" ({c})")
            })
            .unwrap_or_default();
        return Err(Failure {
            why: format!("the service answered {}{code}", status.as_u16()),
            retry_after,
        });
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}
