//! `--static`: the built app from a directory, under a path prefix, with index.html for
//! client routes, the app's Content-Security-Policy, the brotli or gzip copy that
//! `scripts/build.sh` wrote beside each file when the browser accepts it, and caching that
//! lets a repeat visit move almost nothing: files whose names carry Trunk's content hash
//! never change, so they are cached for a year; the rest are revalidated (304).

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

/// `Cache-Control` of files whose name changes with their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of everything else: keep, but ask first (answered by 304 when unchanged).
pub const REVALIDATE: &str = "no-cache";

/// Where the app's files are and the path they are served under.
pub(crate) struct StaticFiles {
    pub(crate) dir: PathBuf,
    pub(crate) prefix: String,
}

/// True for Trunk's hashed names: `main-0123456789abcdef.css`,
/// `offer-dashboard-0123456789abcdef_bg.wasm`. Trunk writes its 64-bit hash without leading
/// zeros, so one build in sixteen has 15 digits (`…-eadff1c6d501b2c_bg.wasm`, seen), fewer
/// more rarely: 10 to 16 hex digits count.
pub fn is_hashed(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && (10..=16).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
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
    let (target, cache) = if safe && !rest.is_empty() && file.is_file() {
        let hashed = file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_hashed);
        (file, if hashed { IMMUTABLE } else { REVALIDATE })
    } else if Path::new(rest).extension().is_none() || rest.is_empty() {
        // A client route: the app handles it.
        (files.dir.join("index.html"), REVALIDATE)
    } else {
        return ProxyError::NotFound.into_response();
    };
    let service = ServeFile::new(target)
        .precompressed_br()
        .precompressed_gzip();
    match service.oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(STATIC_CSP),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            // The answer depends on Accept-Encoding: caches must keep the variants apart.
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            response
        }
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        for name in [
            "main-0123456789abcdef.css",
            "offer-dashboard-0123456789abcdef_bg.wasm",
            "offer-dashboard-0123456789abcdef.js",
            "favicon-fedcba9876543210.svg",
            "offer-dashboard-0123456789abcdef_bg.wasm.br",
            // Leading zeros dropped: 15 digits.
            "offer-dashboard-eadff1c6d501b2c_bg.wasm",
            "ru-926255a5372bf55f.txt",
        ] {
            assert!(is_hashed(name), "{name}");
        }
        for name in [
            "index.html",
            "404.html",
            "boot.js",
            "-0123456789abcdef.css",
            "main-012345678.css",
            "main-0123456789abcdef0.css",
            "main-0123456789abcdeg.css",
        ] {
            assert!(!is_hashed(name), "{name}");
        }
    }
}
