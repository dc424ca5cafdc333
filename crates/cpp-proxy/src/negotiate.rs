//! Compression of the proxy's answers, where the client takes it. tower-http's layer
//! compresses JSON and the app's text formats above 1 KB for clients that accept br or gzip.
//! Its answer body holds every encoder's state inline (several KB, moved on every answer), so
//! a request that names no encoding at all, which that layer could only pass through, skips
//! it: the same answer, `Vary` included, without the copies.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::response::Response;
use tower::{Layer, Service, ServiceExt};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{Compression, CompressionLayer};

use crate::serve::Answer;

/// JSON and the app's text formats, above 1 KB, are worth compressing on the fly; the app's
/// files usually come precompressed (already encoded answers are left alone).
#[derive(Clone, Copy)]
pub struct Compressible;

impl Predicate for Compressible {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: http_body::Body,
    {
        SizeAbove::new(1024).should_compress(response)
            && response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or_default().trim())
                .is_some_and(|mime| {
                    mime == "application/json"
                        || mime.starts_with("text/")
                        || mime.ends_with("javascript")
                        || mime == "application/wasm"
                        || mime == "image/svg+xml"
                })
    }
}

/// Adds [`Negotiated`] around a service.
#[derive(Clone, Copy)]
pub struct NegotiateLayer;

impl<S: Clone> Layer<S> for NegotiateLayer {
    type Service = Negotiated<S>;

    fn layer(&self, inner: S) -> Negotiated<S> {
        Negotiated {
            compressing: CompressionLayer::new()
                .compress_when(Compressible)
                .layer(inner.clone()),
            plain: inner,
        }
    }
}

/// `S` behind tower-http's compression, or directly when the request names no encoding.
#[derive(Clone)]
pub struct Negotiated<S> {
    compressing: Compression<S, Compressible>,
    plain: S,
}

impl<S> Service<Request> for Negotiated<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // `oneshot` waits for the inner service's readiness with each request.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.headers().contains_key(header::ACCEPT_ENCODING) {
            let compressing = self.compressing.clone();
            return Box::pin(async move {
                let response = compressing.oneshot(request).await?;
                Ok(response.map(Body::new))
            });
        }
        let plain = self.plain.clone();
        Box::pin(async move {
            let mut response = plain.oneshot(request).await?;
            // What the compression layer adds to a compressible answer for any client.
            let compressible = !response.headers().contains_key(header::CONTENT_ENCODING)
                && !response.headers().contains_key(header::CONTENT_RANGE)
                && Compressible.should_compress(&response);
            if compressible && !varies_by_encoding(&response) {
                response
                    .headers_mut()
                    .append(header::VARY, header::ACCEPT_ENCODING.into());
            }
            Ok(response)
        })
    }
}

fn varies_by_encoding(response: &Response) -> bool {
    response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    })
}
