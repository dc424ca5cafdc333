//! The allow-list: the API's own routes and methods, with every path segment and query
//! parameter checked. Upstream URLs are rebuilt from the checked parts, never from raw input.

mod ingestion;

pub use ingestion::{is_graph_path, GraphRequest, GraphRoute};

use axum::http::Method;

use crate::error::ProxyError;

/// One of the API routes the proxy serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiRoute {
    /// `GET /api/publishers`.
    Publishers,
    /// `GET /api/publishers/{p}/offers`.
    Offers {
        /// Publisher id.
        publisher: String,
    },
    /// `GET /api/publishers/{p}/offers/{o}/submissions/`.
    Submissions {
        /// Publisher id.
        publisher: String,
        /// Offer id.
        offer: String,
    },
    /// `GET /api/publishers/{p}/offers/{o}/operations/{id}`.
    Operation {
        /// Publisher id.
        publisher: String,
        /// Offer id.
        offer: String,
        /// Operation id.
        operation: String,
    },
    /// `GET /api/publishers/{p}/offers/{o}/status`.
    Status {
        /// Publisher id.
        publisher: String,
        /// Offer id.
        offer: String,
    },
    /// `POST /api/publishers/{p}/offers/{o}/cancel`.
    Cancel {
        /// Publisher id.
        publisher: String,
        /// Offer id.
        offer: String,
    },
    /// `POST /api/publishers/{p}/offers/{o}/golive`: sign off a preview and go live.
    GoLive {
        /// Publisher id.
        publisher: String,
        /// Offer id.
        offer: String,
    },
}

/// A checked request: the route plus its checked query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    /// Which route.
    pub route: ApiRoute,
    /// `api-version`.
    pub api_version: String,
    /// `status` (submissions only).
    pub status: Option<String>,
}

/// True for paths under the API's root (`/api`), the only ones forwarded or counted against
/// the per-client limit.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Ids are names, GUIDs and dotted versions: no encoding, no `..`, no other host.
fn segment(s: &str) -> Result<String, ProxyError> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ProxyError::BadRequest(format!(
            "Path segment {:?} is not a valid id (letters, digits, '-', '_', '.'; no encoding).",
            s.chars().take(40).collect::<String>()
        )))
    }
}

fn decode(value: &str) -> Result<String, ProxyError> {
    percent_encoding::percent_decode_str(&value.replace('+', " "))
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| ProxyError::BadRequest("Query parameters must be UTF-8.".into()))
}

impl ApiRequest {
    /// Matches method, raw path and raw query against the allow-list.
    pub fn parse(method: &Method, path: &str, query: Option<&str>) -> Result<Self, ProxyError> {
        let rest = path.strip_prefix("/api/").ok_or(ProxyError::NotFound)?;
        let trimmed = rest.strip_suffix('/').unwrap_or(rest);
        let parts: Vec<&str> = trimmed.split('/').collect();
        let route = match parts.as_slice() {
            ["publishers"] => ApiRoute::Publishers,
            ["publishers", p, "offers"] => ApiRoute::Offers {
                publisher: segment(p)?,
            },
            ["publishers", p, "offers", o, "submissions"] => ApiRoute::Submissions {
                publisher: segment(p)?,
                offer: segment(o)?,
            },
            ["publishers", p, "offers", o, "operations", id] => ApiRoute::Operation {
                publisher: segment(p)?,
                offer: segment(o)?,
                operation: segment(id)?,
            },
            ["publishers", p, "offers", o, "status"] => ApiRoute::Status {
                publisher: segment(p)?,
                offer: segment(o)?,
            },
            ["publishers", p, "offers", o, "cancel"] => ApiRoute::Cancel {
                publisher: segment(p)?,
                offer: segment(o)?,
            },
            ["publishers", p, "offers", o, "golive"] => ApiRoute::GoLive {
                publisher: segment(p)?,
                offer: segment(o)?,
            },
            _ => return Err(ProxyError::NotFound),
        };
        method_allowed(method, route.method())?;
        let mut api_version = None;
        let mut status = None;
        for pair in query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value)?;
            match key {
                "api-version" if api_version.is_none() => {
                    let ok = value.len() <= 20
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && value.bytes().take(4).all(|b| b.is_ascii_digit())
                        && value.len() >= 10;
                    if !ok {
                        return Err(ProxyError::BadRequest(
                            "api-version must look like 2017-10-31.".into(),
                        ));
                    }
                    api_version = Some(value);
                }
                "status" if status.is_none() && matches!(route, ApiRoute::Submissions { .. }) => {
                    let ok = !value.is_empty()
                        && value.len() <= 40
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'-' | b'_'));
                    if !ok {
                        return Err(ProxyError::BadRequest(
                            "status must be a status word such as running.".into(),
                        ));
                    }
                    status = Some(value);
                }
                other => {
                    return Err(ProxyError::BadRequest(format!(
                        "Query parameter {:?} is not accepted here.",
                        other.chars().take(40).collect::<String>()
                    )))
                }
            }
        }
        let api_version = api_version.ok_or_else(|| {
            ProxyError::BadRequest("api-version is required (2017-10-31).".into())
        })?;
        Ok(Self {
            route,
            api_version,
            status,
        })
    }

    /// The canonical path and query to send upstream (or to the simulator).
    pub fn upstream_path_and_query(&self) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let path = match &self.route {
            ApiRoute::Publishers => "/api/publishers".to_owned(),
            ApiRoute::Offers { publisher } => format!("/api/publishers/{publisher}/offers"),
            ApiRoute::Submissions { publisher, offer } => {
                format!("/api/publishers/{publisher}/offers/{offer}/submissions/")
            }
            ApiRoute::Operation {
                publisher,
                offer,
                operation,
            } => {
                format!("/api/publishers/{publisher}/offers/{offer}/operations/{operation}")
            }
            ApiRoute::Status { publisher, offer } => {
                format!("/api/publishers/{publisher}/offers/{offer}/status")
            }
            ApiRoute::Cancel { publisher, offer } => {
                format!("/api/publishers/{publisher}/offers/{offer}/cancel")
            }
            ApiRoute::GoLive { publisher, offer } => {
                format!("/api/publishers/{publisher}/offers/{offer}/golive")
            }
        };
        let mut query = format!("api-version={}", enc(&self.api_version));
        if let Some(status) = &self.status {
            query.push_str("&status=");
            query.push_str(&enc(status));
        }
        format!("{path}?{query}")
    }
}

impl ApiRoute {
    /// The one method the route accepts.
    pub fn method(&self) -> Method {
        match self {
            Self::Cancel { .. } | Self::GoLive { .. } => Method::POST,
            _ => Method::GET,
        }
    }
}

/// 405 (with the one method `Allow` names) unless the request uses the route's method.
fn method_allowed(method: &Method, allowed: Method) -> Result<(), ProxyError> {
    if *method == allowed {
        Ok(())
    } else {
        Err(ProxyError::MethodNotAllowed(if allowed == Method::POST {
            "POST"
        } else {
            "GET"
        }))
    }
}
