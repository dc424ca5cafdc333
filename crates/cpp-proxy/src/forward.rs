//! Forwarding to the real service: the upstream URL is rebuilt from the checked route, only
//! allow-listed headers cross in either direction, redirects are never followed, and the
//! answer is size-capped. The upstream is asked for gzip (a 2,000-operation list is 686 KiB
//! of JSON); the cap applies to the decompressed size, so a decompression bomb is refused.
//! An answer of known size within the cap is streamed through; one of unknown size (every
//! compressed one) is collected first, so that nothing partial is ever passed on.
//!
//! Requests go out on the proxy's one pooled client ([`crate::connector::Outbound`]):
//! hyper's HTTP/1.1, whose framing refuses what RFC 9112 says to refuse (two different
//! `Content-Length`s, a head that is not HTTP). On top of it the forwarder keeps three rules
//! of its own: a transfer coding other than plain `chunked` is refused rather than guessed
//! at; a GET that a connection lost before its answer is sent once more, a POST never; and
//! one deadline covers the whole exchange, the answer's body included.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use http_body::{Body as _, Frame, SizeHint};
use http_body_util::Full;
use hyper::body::Incoming;

use crate::config::ConfigError;
use crate::connector::{HttpClient, Outbound};
use crate::credentials::TokenSource;
use crate::error::ProxyError;
use crate::whole::{read_whole, WholeError};

const OPERATION_LOCATION: HeaderName = HeaderName::from_static("operation-location");

/// The answer headers passed back to the browser (the encoding is read and removed first).
/// Everything else (cookies, hop-by-hop, server internals) is dropped.
static KEPT: [HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    header::LOCATION,
    OPERATION_LOCATION,
    HeaderName::from_static("x-ms-correlation-request-id"),
];

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why one attempt got no answer.
enum Failure {
    /// The connection ended before the answer's head: a GET may go out again.
    Lost,
    /// The answer is not HTTP the proxy reads.
    Unreadable,
    /// Anything else: no connection, TLS, a reset.
    Unreachable,
}

impl Failure {
    fn of(error: &hyper_util::client::legacy::Error) -> Self {
        if error.is_connect() {
            return Self::Unreachable;
        }
        let mut source = std::error::Error::source(error);
        while let Some(e) = source {
            if let Some(h) = e.downcast_ref::<hyper::Error>() {
                if h.is_parse() || h.is_parse_status() || h.is_parse_too_large() {
                    return Self::Unreadable;
                }
                if h.is_incomplete_message() || h.is_canceled() {
                    return Self::Lost;
                }
            }
            source = e.source();
        }
        Self::Unreachable
    }
}

/// The forwarding client.
pub struct Forwarder {
    client: HttpClient,
    /// `scheme://authority`, with no path: the absolute URL's start, and what an absolute
    /// `Location` from the service is stripped of.
    upstream: String,
    /// The upstream's own path before every route's (usually none).
    prefix: String,
    token: Option<TokenSource>,
    timeout: Duration,
    max_bytes: usize,
}

impl Forwarder {
    /// A forwarder to `upstream` (an `http(s)://host[:port][/path]` base), connecting and
    /// waiting as `out` says.
    pub fn new(
        upstream: &str,
        token: Option<TokenSource>,
        out: &Outbound,
        max_bytes: usize,
    ) -> Result<Self, ConfigError> {
        let trimmed = upstream.trim_end_matches('/');
        let parsed = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
            .then(|| trimmed.parse::<axum::http::Uri>().ok())
            .flatten()
            .and_then(|uri| {
                let base = format!("{}://{}", uri.scheme()?, uri.authority()?);
                Some((base, uri.path().trim_end_matches('/').to_owned()))
            });
        let Some((base, prefix)) = parsed else {
            return Err(ConfigError::Upstream(upstream.to_owned()));
        };
        Ok(Self {
            client: out.client().clone(),
            upstream: format!("{base}{prefix}"),
            prefix,
            token,
            timeout: out.timeout,
            max_bytes,
        })
    }

    /// True when the proxy injects a token of its own.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// True when that token is renewed as a service principal.
    pub fn renews_token(&self) -> bool {
        self.token.as_ref().is_some_and(TokenSource::renews)
    }

    /// Sends the checked request upstream and passes the answer back. With a token of the
    /// proxy's own that the service rejects (401), the token is renewed and the request sent
    /// once more.
    /// `path_and_query` is a checked route's ([`crate::routes::ApiRequest`] or
    /// [`crate::routes::GraphRequest`]), after the upstream's root.
    pub async fn forward(
        &self,
        method: Method,
        path_and_query: String,
        incoming: &HeaderMap,
        body: Bytes,
    ) -> Result<Response, ProxyError> {
        if !valid_target(&path_and_query) {
            return Err(ProxyError::NotFound);
        }
        let url = format!(
            "{}{}{}",
            self.upstream_origin(),
            self.prefix,
            path_and_query
        );
        let body = if method == Method::POST {
            body
        } else {
            Bytes::new()
        };
        // One timer for the whole exchange: the answer's head, then its body.
        let mut deadline = Box::pin(tokio::time::sleep(self.timeout));
        let authorization = match (&self.token, incoming.get(header::AUTHORIZATION)) {
            (Some(source), _) => Some(source.token().await?.header_value()),
            (None, Some(value)) => Some(checked_authorization(value)?),
            (None, None) => None,
        };
        let mut upstream = self
            .exchange(&mut deadline, &method, &url, &body, authorization.clone())
            .await?;
        if upstream.status() == StatusCode::UNAUTHORIZED {
            if let (Some(source), Some(used)) =
                (self.token.as_ref().filter(|s| s.renews()), authorization)
            {
                tracing::info!(
                    "the service rejected the proxy's token: renewing it and sending again, once"
                );
                let used = crate::token::Token::from_header(used);
                let renewed = source.renew(&used).await?;
                upstream = self
                    .exchange(
                        &mut deadline,
                        &method,
                        &url,
                        &body,
                        Some(renewed.header_value()),
                    )
                    .await?;
            }
        }
        self.answer(upstream, deadline).await
    }

    /// The origin of every upstream URL (`scheme://authority`).
    fn upstream_origin(&self) -> &str {
        &self.upstream[..self.upstream.len() - self.prefix.len()]
    }

    /// One request, and the answer's head. A GET whose connection ended before the answer
    /// (a kept connection the server was just closing) goes out once more, as nginx retries
    /// an idempotent request; a POST (cancel, go-live) is never sent twice.
    async fn exchange(
        &self,
        deadline: &mut Pin<Box<tokio::time::Sleep>>,
        method: &Method,
        url: &str,
        body: &Bytes,
        authorization: Option<HeaderValue>,
    ) -> Result<hyper::Response<Incoming>, ProxyError> {
        let mut again = *method == Method::GET;
        loop {
            let request = self.request(method, url, body, authorization.clone())?;
            match before(deadline, self.client.request(request)).await? {
                Ok(answer) => return Ok(answer),
                Err(e) => match Failure::of(&e) {
                    Failure::Lost if again => again = false,
                    Failure::Unreadable => {
                        tracing::warn!(error = %e, "upstream answer not readable");
                        return Err(not_http());
                    }
                    Failure::Lost | Failure::Unreachable => {
                        // The URL holds no secret; the error is logged, never sent.
                        tracing::warn!(error = %e, "upstream request failed");
                        return Err(ProxyError::Unreachable);
                    }
                },
            }
        }
    }

    fn request(
        &self,
        method: &Method,
        url: &str,
        body: &Bytes,
        authorization: Option<HeaderValue>,
    ) -> Result<Request<Full<Bytes>>, ProxyError> {
        let json = HeaderValue::from_static("application/json");
        let mut request = Request::builder()
            .method(method.clone())
            .uri(url)
            .header(header::ACCEPT, json.clone())
            .header(header::CONTENT_TYPE, json)
            .header(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"))
            .header(
                header::USER_AGENT,
                HeaderValue::from_static(concat!("cpp-proxy/", env!("CARGO_PKG_VERSION"))),
            );
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        request
            .body(Full::new(body.clone()))
            .map_err(|_| ProxyError::NotFound)
    }

    /// The browser's answer from the service's: only the kept headers, a relative
    /// follow-up URL, and a body that is whole or never ends cleanly.
    async fn answer(
        &self,
        upstream: hyper::Response<Incoming>,
        mut deadline: Pin<Box<tokio::time::Sleep>>,
    ) -> Result<Response, ProxyError> {
        let status = upstream.status();
        if status.is_redirection() {
            return Err(ProxyError::BadUpstream(
                "The service answered with a redirect, which the proxy does not follow.",
            ));
        }
        let (parts, body) = upstream.into_parts();
        // hyper decodes `chunked` only; any other coding would reach the browser still coded.
        if let Some(te) = parts.headers.get(header::TRANSFER_ENCODING) {
            if !te.as_bytes().trim_ascii().eq_ignore_ascii_case(b"chunked")
                || parts
                    .headers
                    .get_all(header::TRANSFER_ENCODING)
                    .iter()
                    .count()
                    > 1
            {
                tracing::warn!("upstream answer has a transfer coding other than chunked");
                return Err(not_http());
            }
        }
        // The proxy asks for gzip and reads nothing else.
        let gzip = match parts.headers.get(header::CONTENT_ENCODING) {
            None => false,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"identity") => false,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"gzip") => true,
            Some(_) => {
                return Err(ProxyError::BadUpstream(
                    "The service's answer is compressed in a way the proxy does not read.",
                ))
            }
        };
        let mut headers = HeaderMap::with_capacity(KEPT.len() + 12);
        for name in &KEPT {
            if let Some(value) = parts.headers.get(name) {
                let value = if *name == header::LOCATION || *name == OPERATION_LOCATION {
                    self.relative_location(value)
                } else {
                    value.clone()
                };
                headers.insert(name.clone(), value);
            }
        }
        // Streamed when its size is known and within the cap; read whole otherwise.
        let known = body.size_hint().exact().filter(|_| !gzip);
        let body = match known {
            Some(n) if n > self.max_bytes as u64 => return Err(too_large()),
            Some(_) => Body::new(Deadline {
                inner: body,
                sleep: deadline,
            }),
            None => {
                let whole = before(&mut deadline, read_whole(body, gzip, self.max_bytes)).await?;
                match whole {
                    Ok(bytes) => Body::from(bytes),
                    Err(WholeError::TooLarge) => return Err(too_large()),
                    Err(WholeError::Broken) => {
                        tracing::warn!("upstream body broken or badly compressed");
                        return Err(ProxyError::BadUpstream(
                            "The service's answer could not be read (broken or badly compressed).",
                        ));
                    }
                }
            }
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Ok(response)
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

/// Whether `target` can follow the upstream's origin as it is: an origin-form path, visible
/// ASCII only (no space, CR or LF to split the request with).
fn valid_target(target: &str) -> bool {
    target.starts_with('/') && target.bytes().all(|b| b.is_ascii_graphic())
}

fn not_http() -> ProxyError {
    ProxyError::BadUpstream("The service's answer is not HTTP the proxy reads.")
}

/// `work`, unless `deadline` passes first.
async fn before<F: Future>(
    deadline: &mut Pin<Box<tokio::time::Sleep>>,
    work: F,
) -> Result<F::Output, ProxyError> {
    let mut work = std::pin::pin!(work);
    std::future::poll_fn(|cx| {
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(ProxyError::Timeout));
        }
        work.as_mut().poll(cx).map(Ok)
    })
    .await
}

/// A streamed answer still ends at the request's deadline: an upstream that stalls halfway
/// cannot hold the browser's connection open for ever.
struct Deadline<B> {
    inner: B,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl<B> http_body::Body for Deadline<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.sleep.as_mut().poll(cx).is_ready() {
            tracing::warn!("upstream body did not finish in time");
            return Poll::Ready(Some(Err(
                "the service did not finish its answer in time".into()
            )));
        }
        Pin::new(&mut this.inner).poll_frame(cx).map_err(Into::into)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
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
