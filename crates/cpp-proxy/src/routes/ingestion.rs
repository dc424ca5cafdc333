//! The second profile's allow-list: the Product Ingestion API (Microsoft Graph) under
//! `/graph`, read-only but for one POST (cancel a configure job). Like the CPP routes, every
//! segment and query value is checked and the upstream URL rebuilt from the checked parts.

use axum::http::Method;

use super::{decode, segment};
use crate::error::ProxyError;

/// One of the Product Ingestion routes the proxy serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphRoute {
    /// `GET /graph/product`: every product, a page at a time, or those with an external id.
    Products {
        /// `externalId`: the offer id the publisher chose.
        external_id: Option<String>,
        /// `$skipToken`: the next page's, as `@nextLink` gave it.
        skip_token: Option<String>,
    },
    /// `GET /graph/submission/product/{guid}`: a product's submissions.
    Submissions {
        /// The product's GUID.
        product: String,
    },
    /// `GET /graph/configure/{jobId}/status`.
    JobStatus {
        /// The job id.
        job: String,
    },
    /// `POST /graph/configure/{jobId}/cancel`.
    CancelJob {
        /// The job id.
        job: String,
    },
}

/// A checked Product Ingestion request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRequest {
    /// Which route.
    pub route: GraphRoute,
    /// `$version`.
    pub version: String,
}

/// True for paths under the Product Ingestion root (`/graph`).
pub fn is_graph_path(path: &str) -> bool {
    path == "/graph" || path.starts_with("/graph/")
}

/// A `$skipToken` is opaque: printable, no separators a query could be split on.
fn skip_token(value: &str) -> Result<String, ProxyError> {
    let ok = !value.is_empty()
        && value.len() <= 2048
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'&' | b'#' | b'?'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ProxyError::BadRequest(
            "$skipToken must be the token @nextLink gave.".into(),
        ))
    }
}

impl GraphRequest {
    /// Matches method, raw path and raw query against the allow-list.
    pub fn parse(method: &Method, path: &str, query: Option<&str>) -> Result<Self, ProxyError> {
        let rest = path.strip_prefix("/graph/").ok_or(ProxyError::NotFound)?;
        let parts: Vec<&str> = rest.strip_suffix('/').unwrap_or(rest).split('/').collect();
        let mut route = match parts.as_slice() {
            ["product"] => GraphRoute::Products {
                external_id: None,
                skip_token: None,
            },
            ["submission", "product", guid] => GraphRoute::Submissions {
                product: segment(guid)?,
            },
            ["configure", job, "status"] => GraphRoute::JobStatus { job: segment(job)? },
            ["configure", job, "cancel"] => GraphRoute::CancelJob { job: segment(job)? },
            _ => return Err(ProxyError::NotFound),
        };
        super::method_allowed(method, route.method())?;
        let mut version = None;
        for pair in query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key)?;
            let value = decode(value)?;
            match (key.as_str(), &mut route) {
                ("$version", _) if version.is_none() => {
                    let ok = value.len() == 10
                        && value.bytes().enumerate().all(|(i, b)| {
                            if i == 4 || i == 7 {
                                b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        });
                    if !ok {
                        return Err(ProxyError::BadRequest(
                            "$version must look like 2022-07-01.".into(),
                        ));
                    }
                    version = Some(value);
                }
                ("externalId" | "externalID", GraphRoute::Products { external_id, .. })
                    if external_id.is_none() =>
                {
                    *external_id = Some(segment(&value)?);
                }
                (
                    "$skipToken",
                    GraphRoute::Products {
                        skip_token: token, ..
                    },
                ) if token.is_none() => {
                    *token = Some(skip_token(&value)?);
                }
                (other, _) => {
                    return Err(ProxyError::BadRequest(format!(
                        "Query parameter {:?} is not accepted here.",
                        other.chars().take(40).collect::<String>()
                    )))
                }
            }
        }
        let version = version
            .ok_or_else(|| ProxyError::BadRequest("$version is required (2022-07-01).".into()))?;
        Ok(Self { route, version })
    }

    /// The canonical path and query to send upstream, after the API's root.
    pub fn upstream_path_and_query(&self) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let mut query = format!("$version={}", enc(&self.version));
        let path = match &self.route {
            GraphRoute::Products {
                external_id,
                skip_token,
            } => {
                if let Some(id) = external_id {
                    query.push_str(&format!("&externalId={}", enc(id)));
                }
                if let Some(token) = skip_token {
                    query.push_str(&format!("&$skipToken={}", enc(token)));
                }
                "/product".to_owned()
            }
            GraphRoute::Submissions { product } => format!("/submission/product/{product}"),
            GraphRoute::JobStatus { job } => format!("/configure/{job}/status"),
            GraphRoute::CancelJob { job } => format!("/configure/{job}/cancel"),
        };
        format!("{path}?{query}")
    }
}

impl GraphRoute {
    /// The one method the route accepts.
    pub fn method(&self) -> Method {
        match self {
            Self::CancelJob { .. } => Method::POST,
            _ => Method::GET,
        }
    }
}
