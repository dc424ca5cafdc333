//! The CPP API's routes, under its root (`/api` on the proxy, the service's own `/api`).

use super::{allowed, encode, id, not_accepted, pairs, segments, with_query, Method, RouteError};
use crate::{OfferId, OperationId, PublishStatus, PublisherId};

/// `api-version`: date-shaped (`2017-10-31`, optionally with a suffix such as `-preview`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiVersion(String);

impl ApiVersion {
    /// The version the dashboard speaks.
    pub const DEFAULT: &'static str = "2017-10-31";

    /// `text` when it looks like a version: four digits first, then digits, letters and
    /// `-`, 10 to 20 characters.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = (10..=20).contains(&text.len())
            && text.bytes().take(4).all(|b| b.is_ascii_digit())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        ok.then(|| Self(text.to_owned()))
    }

    /// The version as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

/// One of the CPP API's routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CppRoute {
    /// `GET /publishers`: the publishers the token can see.
    Publishers,
    /// `GET /publishers/{p}/offers`.
    Offers {
        /// The publisher.
        publisher: PublisherId,
    },
    /// `GET /publishers/{p}/offers/{o}/submissions/`, optionally by status.
    Submissions {
        /// The publisher.
        publisher: PublisherId,
        /// The offer.
        offer: OfferId,
        /// `status=`: only operations with this status.
        status: Option<PublishStatus>,
    },
    /// `GET /publishers/{p}/offers/{o}/operations/{id}`.
    Operation {
        /// The publisher.
        publisher: PublisherId,
        /// The offer.
        offer: OfferId,
        /// The operation.
        operation: OperationId,
    },
    /// `GET /publishers/{p}/offers/{o}/status`.
    Status {
        /// The publisher.
        publisher: PublisherId,
        /// The offer.
        offer: OfferId,
    },
    /// `POST /publishers/{p}/offers/{o}/cancel`.
    Cancel {
        /// The publisher.
        publisher: PublisherId,
        /// The offer.
        offer: OfferId,
    },
    /// `POST /publishers/{p}/offers/{o}/golive`: sign off a preview and go live.
    GoLive {
        /// The publisher.
        publisher: PublisherId,
        /// The offer.
        offer: OfferId,
    },
}

/// A route with the version it is asked in: a whole request's path and query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CppRequest {
    /// Which route.
    pub route: CppRoute,
    /// `api-version`.
    pub version: ApiVersion,
}

impl CppRoute {
    /// The one method the route takes.
    pub fn method(&self) -> Method {
        match self {
            Self::Cancel { .. } | Self::GoLive { .. } => Method::Post,
            _ => Method::Get,
        }
    }

    /// The publisher and offer of an offer-level route.
    pub fn offer(&self) -> Option<(&PublisherId, &OfferId)> {
        match self {
            Self::Publishers | Self::Offers { .. } => None,
            Self::Submissions {
                publisher, offer, ..
            }
            | Self::Operation {
                publisher, offer, ..
            }
            | Self::Status { publisher, offer }
            | Self::Cancel { publisher, offer }
            | Self::GoLive { publisher, offer } => Some((publisher, offer)),
        }
    }

    /// The path under the API's root, every id percent-encoded as a segment.
    pub fn path(&self) -> String {
        let mut out = String::from("/publishers");
        if let Self::Offers { publisher } = self {
            out.push('/');
            out.push_str(&encode(publisher.as_str()));
            out.push_str("/offers");
        }
        if let Some((publisher, offer)) = self.offer() {
            for piece in [
                "/",
                &encode(publisher.as_str()),
                "/offers/",
                &encode(offer.as_str()),
            ] {
                out.push_str(piece);
            }
        }
        match self {
            Self::Publishers | Self::Offers { .. } => {}
            Self::Submissions { .. } => out.push_str("/submissions/"),
            Self::Operation { operation, .. } => {
                out.push_str("/operations/");
                out.push_str(&encode(operation.as_str()));
            }
            Self::Status { .. } => out.push_str("/status"),
            Self::Cancel { .. } => out.push_str("/cancel"),
            Self::GoLive { .. } => out.push_str("/golive"),
        }
        out
    }

    /// The query's pairs besides the version (`status` on submissions), as sent.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Submissions {
                status: Some(status),
                ..
            } => vec![("status", status.as_str().to_owned())],
            _ => Vec::new(),
        }
    }
}

impl CppRequest {
    /// `route` in `version`.
    pub fn new(route: CppRoute, version: ApiVersion) -> Self {
        Self { route, version }
    }

    /// Path and query under the API's root: `/publishers/…?api-version=…[&status=…]`.
    pub fn path_and_query(&self) -> String {
        with_query(
            self.route.path(),
            "api-version",
            self.version.as_str(),
            &self.route.query(),
        )
    }

    /// Matches a method, a path under the API's root and a raw query against the routes:
    /// the allow-list.
    pub fn parse(method: Method, path: &str, query: Option<&str>) -> Result<Self, RouteError> {
        let parts = segments(path, 6).ok_or(RouteError::NotFound)?;
        let offer = |p: &str, o: &str| -> Result<(PublisherId, OfferId), RouteError> {
            Ok((id(p)?, id(o)?))
        };
        let mut route = match parts.as_slice() {
            ["publishers"] => CppRoute::Publishers,
            ["publishers", p, "offers"] => CppRoute::Offers { publisher: id(p)? },
            ["publishers", p, "offers", o, "submissions"] => {
                let (publisher, offer) = offer(p, o)?;
                CppRoute::Submissions {
                    publisher,
                    offer,
                    status: None,
                }
            }
            ["publishers", p, "offers", o, "operations", op] => {
                let (publisher, offer) = offer(p, o)?;
                CppRoute::Operation {
                    publisher,
                    offer,
                    operation: id(op)?,
                }
            }
            ["publishers", p, "offers", o, "status"] => {
                let (publisher, offer) = offer(p, o)?;
                CppRoute::Status { publisher, offer }
            }
            ["publishers", p, "offers", o, "cancel"] => {
                let (publisher, offer) = offer(p, o)?;
                CppRoute::Cancel { publisher, offer }
            }
            ["publishers", p, "offers", o, "golive"] => {
                let (publisher, offer) = offer(p, o)?;
                CppRoute::GoLive { publisher, offer }
            }
            _ => return Err(RouteError::NotFound),
        };
        allowed(method, route.method())?;
        let mut version = None;
        for (key, value) in pairs(query)? {
            match (key.as_str(), &mut route) {
                ("api-version", _) if version.is_none() => {
                    version = Some(ApiVersion::parse(&value).ok_or_else(|| {
                        RouteError::BadQuery("api-version must look like 2017-10-31.".into())
                    })?);
                }
                ("status", CppRoute::Submissions { status, .. }) if status.is_none() => {
                    let word = !value.is_empty()
                        && value.len() <= 40
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'-' | b'_'));
                    if !word {
                        return Err(RouteError::BadQuery(
                            "status must be a status word such as running.".into(),
                        ));
                    }
                    *status = value.parse().ok();
                }
                (other, _) => return Err(not_accepted(other)),
            }
        }
        let version = version
            .ok_or_else(|| RouteError::BadQuery("api-version is required (2017-10-31).".into()))?;
        Ok(Self { route, version })
    }
}
