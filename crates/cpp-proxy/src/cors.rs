//! CORS, built explicitly: exact origins from the allow-list (never `*`, never `null`, never
//! a reflected origin), fixed methods and headers, a bounded max-age, and the headers the
//! dashboard must read exposed. Requests from any other origin are refused outright (403):
//! with an injected token, a "simple" cross-site POST would otherwise cancel an offer.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;

use crate::config::ConfigError;

/// `Access-Control-Max-Age`: browsers cap it anyway (Chromium at 7200 s).
pub const MAX_AGE: Duration = Duration::from_secs(7200);

/// Checks and normalizes `--allow-origin` values.
pub fn parse_origins(raw: &[String]) -> Result<Vec<HeaderValue>, ConfigError> {
    raw.iter()
        .map(|o| {
            let o = o.trim().trim_end_matches('/');
            let scheme_ok = o.starts_with("https://") || o.starts_with("http://");
            let host = o.split_once("://").map(|(_, h)| h).unwrap_or_default();
            if o == "*"
                || o.eq_ignore_ascii_case("null")
                || !scheme_ok
                || host.is_empty()
                || host.contains('/')
            {
                return Err(ConfigError::Origin(o.to_owned()));
            }
            HeaderValue::from_str(o).map_err(|_| ConfigError::Origin(o.to_owned()))
        })
        .collect()
}

/// The CORS answers for the allow-list, their header values made once: the guard adds them to
/// every answer (tower-http's layer cloned its lists and rebuilt its `Vary` on every request).
pub struct Cors {
    origins: Vec<HeaderValue>,
    vary: HeaderValue,
    expose: HeaderValue,
    methods: HeaderValue,
    headers: HeaderValue,
    max_age: HeaderValue,
}

impl Cors {
    /// The rules for `origins` (already checked by [`parse_origins`]).
    pub fn new(origins: Vec<HeaderValue>) -> Self {
        Self {
            origins,
            vary: HeaderValue::from_static(
                "origin, access-control-request-method, access-control-request-headers",
            ),
            expose: HeaderValue::from_static(
                "location, operation-location, retry-after, x-request-id, x-ms-correlation-request-id",
            ),
            methods: HeaderValue::from_static("GET, POST"),
            headers: HeaderValue::from_static("authorization, content-type, accept, x-csrf"),
            max_age: HeaderValue::from(MAX_AGE.as_secs()),
        }
    }

    /// True when a request may proceed: no `Origin`, a listed one, or the proxy's own.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        match headers.get(header::ORIGIN) {
            None => true,
            Some(origin) => {
                self.listed(origin).is_some() || same_origin(origin, headers.get(header::HOST))
            }
        }
    }

    fn listed(&self, origin: &HeaderValue) -> Option<&HeaderValue> {
        self.origins.iter().find(|o| *o == origin)
    }

    /// The answer to a preflight (`OPTIONS`): what may be sent, and for how long.
    pub fn preflight(&self, origin: Option<&HeaderValue>) -> Response {
        let mut response = Response::new(Body::empty());
        let headers = response.headers_mut();
        if let Some(origin) = origin.and_then(|o| self.listed(o)) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        }
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, self.methods.clone());
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, self.headers.clone());
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, self.max_age.clone());
        headers.insert(header::VARY, self.vary.clone());
        response
    }

    /// Adds to an answer for `origin`: that origin, when listed, and the headers it may read;
    /// `Vary` always (appended to any the answer has).
    pub fn decorate(&self, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
        if let Some(origin) = origin.and_then(|o| self.listed(o)) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, self.expose.clone());
        }
        headers.append(header::VARY, self.vary.clone());
    }
}

/// Same-origin requests (the app served by `--static`) carry the proxy's own host as Origin.
fn same_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(|h| h.to_str())) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && rest == host)
}
