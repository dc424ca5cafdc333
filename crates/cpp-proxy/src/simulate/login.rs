//! The simulator's Microsoft Entra ID token endpoint (`/_sim/login/{tenant}/oauth2/token`
//! and `…/oauth2/v2.0/token`): a client-credentials form in, a short opaque token out, in
//! Entra's shapes, including its refusals. It can be told to fail (`/_sim/token-endpoint`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use super::Simulator;

/// The token endpoint's state.
#[derive(Debug)]
pub(super) struct Login {
    lifetime: AtomicU64,
    failing: AtomicBool,
    issued: AtomicU64,
}

impl Default for Login {
    fn default() -> Self {
        Self {
            lifetime: AtomicU64::new(3_600),
            failing: AtomicBool::new(false),
            issued: AtomicU64::new(0),
        }
    }
}

/// An error in Entra's shape: `error`, `AADSTS…` in words, and its number.
pub(super) fn entra_error(
    status: StatusCode,
    error: &str,
    code: u32,
    description: &str,
) -> Response {
    let body = serde_json::json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description}"),
        "error_codes": [code],
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// One field of an `application/x-www-form-urlencoded` body.
fn field(form: &str, name: &str) -> Option<String> {
    form.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

impl Simulator {
    /// Tokens from the token endpoint live this many seconds.
    pub fn with_token_lifetime(self, seconds: u64) -> Self {
        self.login.lifetime.store(seconds, Ordering::Relaxed);
        self
    }

    /// Makes the token endpoint refuse every request (503), or answer again.
    pub fn set_token_endpoint_failing(&self, failing: bool) {
        self.login.failing.store(failing, Ordering::Relaxed);
    }

    /// How many tokens the endpoint has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.login.issued.load(Ordering::Relaxed)
    }

    /// Answers a client-credentials request. A secret of `wrong` is refused as Entra refuses
    /// a bad secret; any other is accepted, and so is a client assertion of the right type
    /// and shape (a signed JWT; the simulator does not know the certificate to check the
    /// signature). The token carries no part of the secret.
    /// An authorization-code request goes to the identity provider ([`super::idp`]), with
    /// `login_base` (`http://host/_sim/login`) and the path's `tenant`.
    pub fn token_endpoint(&self, body: &[u8], login_base: &str, tenant: &str) -> Response {
        if self.login.failing.load(Ordering::Relaxed) {
            return entra_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                50001,
                "The service is temporarily unavailable (simulated).",
            );
        }
        let form = String::from_utf8_lossy(body);
        if field(&form, "grant_type").as_deref() == Some("authorization_code") {
            return self
                .idp
                .redeem(login_base, tenant, |name| field(&form, name));
        }
        if field(&form, "grant_type").as_deref() != Some("client_credentials") {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type.",
            );
        }
        let client = field(&form, "client_id").unwrap_or_default();
        let secret = field(&form, "client_secret").unwrap_or_default();
        let assertion = field(&form, "client_assertion_type").as_deref()
            == Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            && field(&form, "client_assertion").is_some_and(|jwt| {
                let parts: Vec<&str> = jwt.split('.').collect();
                parts.len() == 3 && parts.iter().all(|p| !p.is_empty())
            });
        if client.is_empty() || (!assertion && (secret.is_empty() || secret == "wrong")) {
            return entra_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7_000_215,
                "Invalid client secret provided.",
            );
        }
        if field(&form, "resource").is_none() && field(&form, "scope").is_none() {
            return entra_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900_144,
                "The request body must contain the parameter 'resource' or 'scope'.",
            );
        }
        let n = self.login.issued.fetch_add(1, Ordering::Relaxed) + 1;
        let lifetime = self.login.lifetime.load(Ordering::Relaxed);
        let body = serde_json::json!({
            "token_type": "Bearer",
            // v1 writes the lifetime as text; readers must take both.
            "expires_in": lifetime.to_string(),
            "access_token": format!("sim-token-{n}"),
        });
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}
