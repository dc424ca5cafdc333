//! Forwarding to the real service: the upstream URL is rebuilt from the checked route, only
//! allow-listed headers cross in either direction, redirects are never followed, and the
//! answer is size-capped. The upstream is asked for gzip (a 2,000-operation list is 686 KiB
//! of JSON); the cap applies to the decompressed size, so a decompression bomb is refused.
//! An answer of known size within the cap is streamed through; one of unknown size (every
//! compressed one) is collected first, so that nothing partial is ever passed on.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;

use crate::config::ConfigError;
use crate::error::ProxyError;
use crate::routes::ApiRequest;
use crate::token::Token;

/// Response headers passed back to the browser; everything else (cookies, hop-by-hop,
/// server internals) is dropped.
const PASSED_BACK: [HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    header::LOCATION,
    HeaderName::from_static("operation-location"),
    HeaderName::from_static("x-ms-correlation-request-id"),
];

/// The forwarding client.
pub struct Forwarder {
    client: reqwest::Client,
    upstream: String,
    token: Option<Token>,
    max_bytes: usize,
}

impl Forwarder {
    /// A forwarder to `upstream` (an `http(s)://host[:port]` base).
    pub fn new(
        upstream: &str,
        token: Option<Token>,
        timeout: Duration,
        max_bytes: usize,
    ) -> Result<Self, ConfigError> {
        let upstream = upstream.trim_end_matches('/').to_owned();
        if !(upstream.starts_with("https://") || upstream.starts_with("http://")) {
            return Err(ConfigError::Upstream(upstream));
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .no_proxy()
            .gzip(true)
            .user_agent(concat!("cpp-proxy/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::Client(e.to_string()))?;
        Ok(Self {
            client,
            upstream,
            token,
            max_bytes,
        })
    }

    /// Sends the checked request upstream and passes the answer back.
    pub async fn forward(
        &self,
        request: &ApiRequest,
        incoming: &HeaderMap,
        body: Bytes,
    ) -> Result<Response, ProxyError> {
        let url = format!("{}{}", self.upstream, request.upstream_path_and_query());
        let mut builder = self
            .client
            .request(request.route.method(), &url)
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/json");
        match (&self.token, incoming.get(header::AUTHORIZATION)) {
            (Some(token), _) => {
                builder = builder.header(header::AUTHORIZATION, token.header_value())
            }
            (None, Some(value)) => {
                builder = builder.header(header::AUTHORIZATION, checked_authorization(value)?)
            }
            (None, None) => {}
        }
        if request.route.method() == reqwest::Method::POST {
            builder = builder.body(body);
        }
        let upstream = builder.send().await.map_err(|e| {
            // The URL holds no secret; the error is logged, never sent.
            tracing::warn!(error = %e, "upstream request failed");
            if e.is_timeout() {
                ProxyError::Timeout
            } else {
                ProxyError::Unreachable
            }
        })?;
        let status = upstream.status();
        if status.is_redirection() {
            return Err(ProxyError::BadUpstream(
                "The service answered with a redirect, which the proxy does not follow.",
            ));
        }
        let mut headers = HeaderMap::new();
        for name in PASSED_BACK {
            if let Some(value) = upstream.headers().get(&name) {
                let value = if name == header::LOCATION || name.as_str() == "operation-location" {
                    self.relative_location(value)
                } else {
                    value.clone()
                };
                headers.insert(name, value);
            }
        }
        let status = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        // Known only when the answer came uncompressed (reqwest decodes gzip and then
        // cannot know the size in advance).
        let body = match upstream.content_length() {
            Some(n) if n > self.max_bytes as u64 => return Err(too_large()),
            Some(_) => Body::new(reqwest::Body::from(upstream)),
            None => Body::from(self.collect(upstream).await?),
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Ok(response)
    }

    /// The whole (decompressed) body, refused as soon as it passes the cap.
    async fn collect(&self, mut upstream: reqwest::Response) -> Result<Vec<u8>, ProxyError> {
        let mut collected = Vec::new();
        loop {
            match upstream.chunk().await {
                Ok(Some(chunk)) => {
                    if collected.len() + chunk.len() > self.max_bytes {
                        return Err(too_large());
                    }
                    collected.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(collected),
                Err(e) => {
                    tracing::warn!(error = %e, "upstream body failed");
                    return Err(if e.is_timeout() {
                        ProxyError::Timeout
                    } else {
                        ProxyError::BadUpstream(
                            "The service's answer could not be read (broken or badly compressed).",
                        )
                    });
                }
            }
        }
    }

    /// An absolute follow-up URL on the upstream becomes a path on the proxy.
    fn relative_location(&self, value: &HeaderValue) -> HeaderValue {
        value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix(&self.upstream))
            .and_then(|path| HeaderValue::from_str(path).ok())
            .unwrap_or_else(|| value.clone())
    }
}

/// The browser's own `Authorization`, passed on only when it is a plausible bearer token.
fn checked_authorization(value: &HeaderValue) -> Result<HeaderValue, ProxyError> {
    let ok = value.len() < 16 * 1024
        && value.to_str().is_ok_and(|v| {
            v.starts_with("Bearer ")
                && v.len() > 7
                && v.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        });
    if ok {
        Ok(value.clone())
    } else {
        Err(ProxyError::BadRequest(
            "The Authorization header must be 'Bearer <token>'.".into(),
        ))
    }
}

fn too_large() -> ProxyError {
    ProxyError::BadUpstream(
        "The service's answer, decompressed, is larger than the proxy passes on (--max-response-bytes).",
    )
}
