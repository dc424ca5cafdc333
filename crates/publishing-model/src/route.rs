//! The services' paths, typed: the one place that formats and parses them. The app's client
//! formats its requests from these routes, the proxy's allow-list parses what browsers send
//! into them (and rebuilds the upstream URL from them), and the simulator answers them.
//!
//! - [`CppRoute`]: the CPP API, under its root (`/api`);
//! - [`GraphRoute`]: the Product Ingestion API, under its root (`/graph`).
//!
//! Parsing is strict: every id segment is letters, digits, `-`, `_` and `.` (starting with a
//! letter or digit, at most 128 bytes: no encoding, no `..`, no other host), and a query may
//! hold only the parameters its route takes, each once.

mod cpp;
mod ingestion;

pub use cpp::{ApiVersion, CppRequest, CppRoute};
pub use ingestion::{GraphRequest, GraphRoute, GraphVersion, SkipToken};

use crate::percent::decode;

/// The method a route takes: each route takes exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// Why a request is not one of the routes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// No route has this path.
    #[error("no such route")]
    NotFound,
    /// The route exists, for another method.
    #[error("the route takes {0:?} only")]
    MethodNotAllowed(Method),
    /// A path segment, or a query value, is not a valid id.
    #[error("Path segment {0:?} is not a valid id (letters, digits, '-', '_', '.'; no encoding).")]
    BadId(String),
    /// The query is wrong: the message says how.
    #[error("{0}")]
    BadQuery(String),
}

/// Whether `s` may stand as an id in a path: see the module's note.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// An id segment, checked.
fn id<T: From<String>>(s: &str) -> Result<T, RouteError> {
    if is_id(s) {
        Ok(T::from(s.to_owned()))
    } else {
        Err(RouteError::BadId(s.chars().take(40).collect()))
    }
}

/// Percent-encodes a path segment or a query value as the browser's `encodeURIComponent`
/// does (everything but letters, digits and `-_.!~*'()`), so that no character of it can
/// split the address, and the app's addresses equal the loader's byte for byte.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            )
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// `path`, then the version under `version_key`, then the route's own `query`, each value
/// encoded: the one way both services' requests are written.
fn with_query(
    mut path: String,
    version_key: &str,
    version: &str,
    query: &[(&str, String)],
) -> String {
    path.push('?');
    path.push_str(version_key);
    path.push('=');
    path.push_str(&encode(version));
    for (key, value) in query {
        path.push('&');
        path.push_str(key);
        path.push('=');
        path.push_str(&encode(value));
    }
    path
}

/// A path's segments after its root, with one trailing slash allowed; `None` for an empty
/// segment (`a//b`). At most `max` segments: no route has more.
fn segments(path: &str, max: usize) -> Option<Vec<&str>> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    (parts.len() <= max && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

/// The query's pairs, decoded (`+` is a space); a value that is not UTF-8 is refused.
fn pairs(query: Option<&str>) -> Result<Vec<(String, String)>, RouteError> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((utf8(key)?, utf8(value)?))
        })
        .collect()
}

fn utf8(part: &str) -> Result<String, RouteError> {
    let decoded = decode(&part.replace('+', " "));
    if decoded.contains('\u{FFFD}') && !part.contains('\u{FFFD}') {
        return Err(RouteError::BadQuery(
            "Query parameters must be UTF-8.".into(),
        ));
    }
    Ok(decoded)
}

fn not_accepted(key: &str) -> RouteError {
    RouteError::BadQuery(format!(
        "Query parameter {:?} is not accepted here.",
        key.chars().take(40).collect::<String>()
    ))
}

/// `method`, unless the route takes another.
fn allowed(method: Method, route: Method) -> Result<(), RouteError> {
    if method == route {
        Ok(())
    } else {
        Err(RouteError::MethodNotAllowed(route))
    }
}
