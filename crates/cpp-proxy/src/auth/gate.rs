//! What every API request must bring when sign-in is on: a live session (else 401
//! `SignInRequired`, never a redirect); for a POST, `X-CSRF: 1`, an `Origin` (when sent)
//! equal to the public URL's, no `Sec-Fetch-Site: cross-site`, and the operator role.
//! Identity headers a client sends (`X-MS-CLIENT-PRINCIPAL*`, `X-Forwarded-User`, …) are
//! never read: only the session says who someone is.

use axum::http::{header, HeaderMap, HeaderName, Method};

use super::{Auth, Role};
use crate::error::ProxyError;
use crate::store::SessionRow;

const CSRF: HeaderName = HeaderName::from_static("x-csrf");
const FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// A POST's proof that the dashboard's own page sent it: the header a cross-site form cannot
/// add, an origin of ours, and the browser's own word that it is not cross-site.
pub(crate) fn same_site_post(headers: &HeaderMap, origin: &str) -> Result<(), ProxyError> {
    if headers.get(&CSRF).and_then(|v| v.to_str().ok()) != Some("1") {
        return Err(ProxyError::CsrfHeaderRequired);
    }
    if let Some(sent) = headers.get(header::ORIGIN) {
        if !sent.as_bytes().eq_ignore_ascii_case(origin.as_bytes()) {
            return Err(ProxyError::CrossSite);
        }
    }
    if headers
        .get(&FETCH_SITE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return Err(ProxyError::CrossSite);
    }
    Ok(())
}

impl Auth {
    /// The signed-in user a request may act as, or why not.
    pub(crate) async fn admit(
        &self,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<SessionRow, (ProxyError, Option<SessionRow>)> {
        let user = match self.session(headers).await {
            Ok(Some(user)) => user,
            Ok(None) => return Err((ProxyError::SignInRequired, None)),
            Err(e) => {
                tracing::error!(error = %e, "the session could not be read");
                return Err((ProxyError::SignInUnavailable, None));
            }
        };
        if method == Method::POST {
            let origin = match self.settings.public() {
                Ok(public) => public.origin(),
                Err(_) => return Err((ProxyError::SignInUnavailable, Some(user))),
            };
            if let Err(refusal) = same_site_post(headers, origin) {
                return Err((refusal, Some(user)));
            }
            if self.settings.role(&user.roles) != Some(Role::Operator) {
                return Err((ProxyError::OperatorRoleRequired, Some(user)));
            }
        } else if self.settings.role(&user.roles).is_none() {
            return Err((ProxyError::SignInRequired, Some(user)));
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_post_needs_the_header_our_origin_and_no_cross_site() {
        let ours = "https://ops.example.com";
        assert!(same_site_post(&headers(&[("x-csrf", "1")]), ours).is_ok());
        assert!(same_site_post(
            &headers(&[
                ("x-csrf", "1"),
                ("origin", "https://ops.example.com"),
                ("sec-fetch-site", "same-origin")
            ]),
            ours
        )
        .is_ok());
        for (h, code) in [
            (headers(&[]), "CsrfHeaderRequired"),
            (headers(&[("x-csrf", "true")]), "CsrfHeaderRequired"),
            (
                headers(&[("x-csrf", "1"), ("origin", "https://evil.example")]),
                "CrossSiteRequest",
            ),
            (
                headers(&[("x-csrf", "1"), ("origin", "null")]),
                "CrossSiteRequest",
            ),
            (
                headers(&[("x-csrf", "1"), ("sec-fetch-site", "cross-site")]),
                "CrossSiteRequest",
            ),
        ] {
            assert_eq!(
                same_site_post(&h, ours).expect_err("refused").code(),
                code,
                "{h:?}"
            );
        }
    }
}
