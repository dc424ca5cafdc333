//! The Product Ingestion API's routes, under its root (`/graph` on the proxy,
//! `https://graph.microsoft.com/rp/product-ingestion` at the service): read-only but for one
//! POST, a configure job's cancel.

use super::{allowed, encode, id, not_accepted, pairs, segments, with_query, Method, RouteError};
use crate::{JobId, OfferId, ProductId};

/// `$version`: a date, `2022-07-01`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphVersion(String);

impl GraphVersion {
    /// The version the dashboard speaks.
    pub const DEFAULT: &'static str = "2022-07-01";

    /// `text` when it is a date written `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        ok.then(|| Self(text.to_owned()))
    }

    /// The version as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for GraphVersion {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

/// A `$skipToken`, as `@nextLink` gave it: opaque, printable, with no character a query could
/// be split on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkipToken(String);

impl SkipToken {
    /// `text` when it can be a token.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = !text.is_empty()
            && text.len() <= 2048
            && text
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'&' | b'#' | b'?'));
        ok.then(|| Self(text.to_owned()))
    }

    /// The token as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One of the Product Ingestion routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphRoute {
    /// `GET /product`: every product, a page at a time, or those with an external id.
    Products {
        /// `externalId`: the offer id the publisher chose.
        external_id: Option<OfferId>,
        /// `$skipToken`: the next page's.
        skip_token: Option<SkipToken>,
    },
    /// `GET /submission/product/{guid}`: a product's submissions.
    Submissions {
        /// The product.
        product: ProductId,
    },
    /// `GET /configure/{jobId}/status`.
    JobStatus {
        /// The job.
        job: JobId,
    },
    /// `POST /configure/{jobId}/cancel`.
    CancelJob {
        /// The job.
        job: JobId,
    },
}

/// A route with the version it is asked in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRequest {
    /// Which route.
    pub route: GraphRoute,
    /// `$version`.
    pub version: GraphVersion,
}

impl GraphRoute {
    /// The one method the route takes.
    pub fn method(&self) -> Method {
        match self {
            Self::CancelJob { .. } => Method::Post,
            _ => Method::Get,
        }
    }

    /// The path under the API's root, every id percent-encoded as a segment.
    pub fn path(&self) -> String {
        match self {
            Self::Products { .. } => "/product".to_owned(),
            Self::Submissions { product } => {
                format!("/submission/product/{}", encode(product.as_str()))
            }
            Self::JobStatus { job } => format!("/configure/{}/status", encode(job.as_str())),
            Self::CancelJob { job } => format!("/configure/{}/cancel", encode(job.as_str())),
        }
    }

    /// The query's pairs besides the version, as sent.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Products {
                external_id,
                skip_token,
            } => external_id
                .iter()
                .map(|id| ("externalId", id.as_str().to_owned()))
                .chain(
                    skip_token
                        .iter()
                        .map(|token| ("$skipToken", token.as_str().to_owned())),
                )
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl GraphRequest {
    /// `route` in `version`.
    pub fn new(route: GraphRoute, version: GraphVersion) -> Self {
        Self { route, version }
    }

    /// Path and query under the API's root: `/product?$version=…[&externalId=…]`.
    pub fn path_and_query(&self) -> String {
        with_query(
            self.route.path(),
            "$version",
            self.version.as_str(),
            &self.route.query(),
        )
    }

    /// Matches a method, a path under the API's root and a raw query against the routes.
    pub fn parse(method: Method, path: &str, query: Option<&str>) -> Result<Self, RouteError> {
        let parts = segments(path, 3).ok_or(RouteError::NotFound)?;
        let mut route = match parts.as_slice() {
            ["product"] => GraphRoute::Products {
                external_id: None,
                skip_token: None,
            },
            ["submission", "product", guid] => GraphRoute::Submissions { product: id(guid)? },
            ["configure", job, "status"] => GraphRoute::JobStatus { job: id(job)? },
            ["configure", job, "cancel"] => GraphRoute::CancelJob { job: id(job)? },
            _ => return Err(RouteError::NotFound),
        };
        allowed(method, route.method())?;
        let mut version = None;
        for (key, value) in pairs(query)? {
            match (key.as_str(), &mut route) {
                ("$version", _) if version.is_none() => {
                    version = Some(GraphVersion::parse(&value).ok_or_else(|| {
                        RouteError::BadQuery("$version must look like 2022-07-01.".into())
                    })?);
                }
                ("externalId" | "externalID", GraphRoute::Products { external_id, .. })
                    if external_id.is_none() =>
                {
                    *external_id = Some(id(&value)?);
                }
                ("$skipToken", GraphRoute::Products { skip_token, .. }) if skip_token.is_none() => {
                    *skip_token = Some(SkipToken::parse(&value).ok_or_else(|| {
                        RouteError::BadQuery("$skipToken must be the token @nextLink gave.".into())
                    })?);
                }
                (other, _) => return Err(not_accepted(other)),
            }
        }
        let version = version
            .ok_or_else(|| RouteError::BadQuery("$version is required (2022-07-01).".into()))?;
        Ok(Self { route, version })
    }
}
