//! Forwarding to the real service: the upstream URL is rebuilt from the checked route, only
//! allow-listed headers cross in either direction, redirects are never followed, and the
//! answer is size-capped. The upstream is asked for gzip (a 2,000-operation list is 686 KiB
//! of JSON); the cap applies to the decompressed size, so a decompression bomb is refused.
//! An answer of known size within the cap is streamed through; one of unknown size (every
//! compressed one) is collected first, so that nothing partial is ever passed on.
//!
//! The connections are the proxy's own HTTP/1.1 over hyper-rustls's connector, each driven by
//! the request that uses it ([`crate::upstream`]), not reqwest's: reqwest parses every URL
//! again (with IDNA) and clones its client and connector per request, and a general client's
//! head parsing showed in the profile under load too (README, "Decisions").

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use bytes::Bytes;
use http_body::{Body as _, Frame, SizeHint};

use crate::config::ConfigError;
use crate::connector::Outbound;
use crate::credentials::TokenSource;
use crate::error::ProxyError;
use crate::upstream::{valid_target, Upstream, UpstreamError};
use crate::whole::{read_whole, WholeError};

const OPERATION_LOCATION: HeaderName = HeaderName::from_static("operation-location");

/// The answer headers read from the upstream: the encoding, which the proxy reads, and those
/// passed back to the browser. Everything else (cookies, hop-by-hop, server internals) is
/// dropped as the answer is parsed.
static KEPT: [HeaderName; 6] = [
    header::CONTENT_ENCODING,
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    header::LOCATION,
    OPERATION_LOCATION,
    HeaderName::from_static("x-ms-correlation-request-id"),
];

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The forwarding client.
pub struct Forwarder {
    client: Arc<Upstream>,
    upstream: String,
    /// The upstream's own path before every route's (usually none).
    prefix: String,
    token: Option<TokenSource>,
    timeout: Duration,
    max_bytes: usize,
}

impl Forwarder {
    /// A forwarder to `upstream` (an `http(s)://host[:port]` base), connecting and waiting
    /// as `out` says.
    pub fn new(
        upstream: &str,
        token: Option<TokenSource>,
        out: &Outbound,
        max_bytes: usize,
    ) -> Result<Self, ConfigError> {
        let upstream = upstream.trim_end_matches('/').to_owned();
        let parsed = (upstream.starts_with("https://") || upstream.starts_with("http://"))
            .then(|| upstream.parse::<Uri>().ok())
            .flatten();
        let Some((connections, prefix)) = parsed.and_then(|uri| {
            let prefix = uri.path().trim_end_matches('/').to_owned();
            let base = Uri::builder()
                .scheme(uri.scheme()?.clone())
                .authority(uri.authority()?.clone())
                .path_and_query("/")
                .build()
                .ok()?;
            Some((Upstream::new(base, out.connector(), &KEPT)?, prefix))
        }) else {
            return Err(ConfigError::Upstream(upstream));
        };
        let client = connections;
        Ok(Self {
            client,
            upstream,
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
        method: axum::http::Method,
        mut path_and_query: String,
        incoming: &HeaderMap,
        body: Bytes,
    ) -> Result<Response, ProxyError> {
        path_and_query.insert_str(0, &self.prefix);
        if !valid_target(&path_and_query) {
            return Err(ProxyError::NotFound);
        }
        let body = if method == axum::http::Method::POST {
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
        let send = |authorization: Option<HeaderValue>| {
            let json = HeaderValue::from_static("application/json");
            let mut headers = Vec::with_capacity(5);
            headers.extend([
                (header::ACCEPT, json.clone()),
                (header::CONTENT_TYPE, json),
                (header::ACCEPT_ENCODING, HeaderValue::from_static("gzip")),
                (
                    header::USER_AGENT,
                    HeaderValue::from_static(concat!("cpp-proxy/", env!("CARGO_PKG_VERSION"))),
                ),
            ]);
            headers.extend(authorization.map(|value| (header::AUTHORIZATION, value)));
            let (client, method, target, body) =
                (self.client.clone(), &method, &path_and_query, &body);
            async move { client.send(method, target, &headers, body).await }
        };
        // A GET that a kept connection took and never answered goes out once more, as nginx
        // retries an idempotent request; a POST (cancel, go-live) is never sent twice.
        let idempotent = method == axum::http::Method::GET;
        let mut send = async |authorization: Option<HeaderValue>| {
            let mut again = idempotent;
            loop {
                let answer = before(&mut deadline, send(authorization.clone())).await?;
                match answer {
                    Ok(answer) => return Ok(answer),
                    Err(UpstreamError::Unanswered) if again => again = false,
                    Err(e @ UpstreamError::Wire(_)) => {
                        tracing::warn!(error = %e, "upstream answer not readable");
                        return Err(ProxyError::BadUpstream(
                            "The service's answer is not HTTP the proxy reads.",
                        ));
                    }
                    Err(e) => {
                        // The URL holds no secret; the error is logged, never sent.
                        tracing::warn!(error = %e, "upstream request failed");
                        return Err(ProxyError::Unreachable);
                    }
                }
            }
        };
        let mut upstream = send(authorization.clone()).await?;
        if upstream.status() == StatusCode::UNAUTHORIZED {
            if let (Some(source), Some(used)) =
                (self.token.as_ref().filter(|s| s.renews()), authorization)
            {
                tracing::info!(
                    "the service rejected the proxy's token: renewing it and sending again, once"
                );
                let used = crate::token::Token::from_header(used);
                let renewed = source.renew(&used).await?;
                upstream = send(Some(renewed.header_value())).await?;
            }
        }
        let status = upstream.status();
        if status.is_redirection() {
            return Err(ProxyError::BadUpstream(
                "The service answered with a redirect, which the proxy does not follow.",
            ));
        }
        let mut headers = std::mem::take(upstream.headers_mut());
        // The proxy asks for gzip and reads nothing else.
        let gzip = match headers.remove(header::CONTENT_ENCODING) {
            None => false,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"identity") => false,
            Some(v) if v.as_bytes().eq_ignore_ascii_case(b"gzip") => true,
            Some(_) => {
                return Err(ProxyError::BadUpstream(
                    "The service's answer is compressed in a way the proxy does not read.",
                ))
            }
        };
        for name in [header::LOCATION, OPERATION_LOCATION] {
            if let Some(value) = headers.get_mut(name) {
                *value = self.relative_location(value);
            }
        }
        // Streamed when its size is known and within the cap; read whole otherwise.
        let known = upstream.body().size_hint().exact().filter(|_| !gzip);
        let body = upstream.into_body();
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
        *response.status_mut() =
            StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
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
