//! `--static`: the built app from a directory, under a path prefix, with index.html for
//! client routes and the app's Content-Security-Policy.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::ProxyError;

/// The CSP sent with the static app; the same policy is in its index.html.
pub const STATIC_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'self'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

/// Where the app's files are and the path they are served under.
pub(crate) struct StaticFiles {
    pub(crate) dir: PathBuf,
    pub(crate) prefix: String,
}

pub(crate) async fn serve_static(files: &StaticFiles, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return ProxyError::MethodNotAllowed("GET, HEAD").into_response();
    }
    let path = request.uri().path();
    let Some(rest) = path
        .strip_prefix(files.prefix.as_str())
        .filter(|r| r.is_empty() || r.starts_with('/'))
    else {
        return ProxyError::NotFound.into_response();
    };
    let rest = rest.trim_start_matches('/');
    // Only plain relative names: no "..", no encoded separators.
    let safe = !rest
        .split('/')
        .any(|s| s == ".." || s.contains('\\') || s.contains('%'));
    let file = files.dir.join(rest);
    let target = if safe && !rest.is_empty() && file.is_file() {
        file
    } else if Path::new(rest).extension().is_none() || rest.is_empty() {
        // A client route: the app handles it.
        files.dir.join("index.html")
    } else {
        return ProxyError::NotFound.into_response();
    };
    match ServeFile::new(target).oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(STATIC_CSP),
            );
            response
        }
        Err(never) => match never {},
    }
}
