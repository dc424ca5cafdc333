//! Every refusal and failure as one JSON shape, the API's own
//! (`{"error": {"code", "message"}}`), so the dashboard shows it like a service error.
//! Internal detail is logged by the caller, never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// What went wrong, as the client is told.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// Not one of the API's routes.
    #[error("no such route")]
    NotFound,
    /// A known route with another method.
    #[error("method not allowed")]
    MethodNotAllowed(&'static str),
    /// Refused input (path segment, query parameter, body).
    #[error("{0}")]
    BadRequest(String),
    /// The `Origin` is not on the allow-list.
    #[error("origin not allowed")]
    OriginNotAllowed,
    /// Too many requests from one client.
    #[error("too many requests")]
    TooManyRequests,
    /// The upstream could not be reached.
    #[error("upstream unreachable")]
    Unreachable,
    /// The upstream did not answer in time.
    #[error("upstream timeout")]
    Timeout,
    /// The upstream answered with something we do not pass on.
    #[error("{0}")]
    BadUpstream(&'static str),
    /// No token could be had from the token endpoint (the reason is in the proxy's log).
    #[error("token endpoint failed")]
    TokenEndpoint,
    /// Sign-in is on and the request has no live session.
    #[error("sign-in required")]
    SignInRequired,
    /// A POST without `X-CSRF: 1`.
    #[error("the CSRF header is missing")]
    CsrfHeaderRequired,
    /// A POST from another origin or site.
    #[error("cross-site request")]
    CrossSite,
    /// A viewer's POST.
    #[error("operator role required")]
    OperatorRoleRequired,
    /// A publisher the proxy does not serve (`--allow-publisher`).
    #[error("publisher not allowed")]
    PublisherNotAllowed,
    /// The store of sessions failed (the reason is in the proxy's log).
    #[error("sign-in unavailable")]
    SignInUnavailable,
}

impl ProxyError {
    /// The error's code, as in its body (and the audit's reason).
    pub fn code(&self) -> &'static str {
        self.parts().1
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "NotFound",
                "This proxy only forwards the Cloud Partner Portal API's operation routes.".into(),
            ),
            Self::MethodNotAllowed(_) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "This route does not accept that method.".into(),
            ),
            Self::BadRequest(why) => (StatusCode::BAD_REQUEST, "BadRequest", why.clone()),
            Self::OriginNotAllowed => (
                StatusCode::FORBIDDEN,
                "OriginNotAllowed",
                "This page's origin is not allowed to use the proxy (see --allow-origin).".into(),
            ),
            Self::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests at once from this client; retry shortly.".into(),
            ),
            Self::Unreachable => (
                StatusCode::BAD_GATEWAY,
                "UpstreamUnreachable",
                "The Cloud Partner Portal API could not be reached.".into(),
            ),
            Self::Timeout => (
                StatusCode::GATEWAY_TIMEOUT,
                "UpstreamTimeout",
                "The Cloud Partner Portal API did not answer in time.".into(),
            ),
            Self::BadUpstream(why) => (
                StatusCode::BAD_GATEWAY,
                "BadUpstreamResponse",
                (*why).into(),
            ),
            Self::TokenEndpoint => (
                StatusCode::BAD_GATEWAY,
                "TokenUnavailable",
                "The proxy could not get a token from Microsoft Entra ID: check its tenant, client id and secret, and its log.".into(),
            ),
            Self::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                "SignInRequired",
                "Your session ended. Sign in again.".into(),
            ),
            Self::CsrfHeaderRequired => (
                StatusCode::FORBIDDEN,
                "CsrfHeaderRequired",
                "This request must carry the X-CSRF: 1 header that the dashboard sends.".into(),
            ),
            Self::CrossSite => (
                StatusCode::FORBIDDEN,
                "CrossSiteRequest",
                "This request came from another site; only the dashboard's own pages may change offers.".into(),
            ),
            Self::OperatorRoleRequired => (
                StatusCode::FORBIDDEN,
                "OperatorRoleRequired",
                "Only operators may cancel, go live or cancel configure jobs; ask an administrator for the operator role.".into(),
            ),
            Self::PublisherNotAllowed => (
                StatusCode::FORBIDDEN,
                "PublisherNotAllowed",
                "This proxy does not serve that publisher.".into(),
            ),
            Self::SignInUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "SignInUnavailable",
                "Sign-in is unavailable at the moment; try again shortly.".into(),
            ),
        }
    }
}

/// The API's error body.
pub fn error_body(code: &str, message: &str) -> String {
    serde_json::json!({ "error": { "code": code, "message": message } }).to_string()
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            error_body(code, &message),
        )
            .into_response();
        match self {
            Self::MethodNotAllowed(allow) => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            Self::TooManyRequests => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
