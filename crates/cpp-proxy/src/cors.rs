//! CORS, built explicitly: exact origins from the allow-list (never `*`, never `null`, never
//! a reflected origin), fixed methods and headers, a bounded max-age, and the headers the
//! dashboard must read exposed. Requests from any other origin are refused outright (403):
//! with an injected token, a "simple" cross-site POST would otherwise cancel an offer.

use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

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

/// The CORS layer for the allow-list.
pub fn layer(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            header::LOCATION,
            HeaderName::from_static("operation-location"),
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-ms-correlation-request-id"),
        ])
        .max_age(MAX_AGE)
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

/// True when a request may proceed: no `Origin`, a listed one, or the proxy's own.
pub fn origin_allowed(allow_origins: &[HeaderValue], headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN) {
        None => true,
        Some(origin) => {
            allow_origins.iter().any(|o| o == origin)
                || same_origin(origin, headers.get(header::HOST))
        }
    }
}
