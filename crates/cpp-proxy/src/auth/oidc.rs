//! The OpenID Connect side of sign-in, on the proxy's own HTTP client: the identity
//! provider's metadata (discovery), its signing keys, the authorize request, and the code
//! redeemed for an ID token. Only the ID token is kept from the token endpoint's answer,
//! and only until it is checked: no user token is stored or sent anywhere.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use jsonwebtoken::DecodingKey;
use serde::Deserialize;

use super::{Settings, SignInError};
use crate::connector::Outbound;
use crate::credentials::enc;

/// The keys are fetched again for an unknown `kid` at most this often.
const KEYS_REFETCH: Duration = Duration::from_secs(60);
/// The largest metadata, key set or token answer read.
const MAX_ANSWER: usize = 256 * 1024;

/// What discovery says, as far as the proxy uses it.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Metadata {
    pub(crate) issuer: String,
    pub(crate) authorization_endpoint: String,
    pub(crate) token_endpoint: String,
    pub(crate) jwks_uri: String,
    #[serde(default)]
    pub(crate) end_session_endpoint: Option<String>,
}

#[derive(Default)]
struct KeySet {
    keys: HashMap<String, Arc<DecodingKey>>,
    fetched: Option<Instant>,
}

/// The identity provider, as the proxy has learned it.
pub(crate) struct Oidc {
    out: Outbound,
    metadata: tokio::sync::Mutex<Option<Arc<Metadata>>>,
    keys: tokio::sync::Mutex<KeySet>,
}

impl Oidc {
    pub(crate) fn new(out: Outbound) -> Self {
        Self {
            out,
            metadata: tokio::sync::Mutex::new(None),
            keys: tokio::sync::Mutex::new(KeySet::default()),
        }
    }

    /// The provider's metadata, fetched once and kept; its issuer must be the tenant's.
    pub(crate) async fn metadata(&self, settings: &Settings) -> Result<Arc<Metadata>, SignInError> {
        let mut cached = self.metadata.lock().await;
        if let Some(m) = cached.as_ref() {
            return Ok(m.clone());
        }
        let issuer = settings.issuer()?;
        let url = format!("{issuer}/.well-known/openid-configuration");
        let (status, body) = self
            .out
            .exchange(Method::GET, &url, None, MAX_ANSWER)
            .await
            .map_err(SignInError::Unavailable)?;
        if status != StatusCode::OK {
            return Err(SignInError::Unavailable(format!(
                "discovery answered {}",
                status.as_u16()
            )));
        }
        let metadata: Metadata = serde_json::from_slice(&body)
            .map_err(|e| SignInError::Unavailable(format!("discovery's answer: {e}")))?;
        if metadata.issuer != issuer {
            return Err(SignInError::Unavailable(format!(
                "discovery names the issuer {:?}, not the tenant's {issuer:?}",
                metadata.issuer
            )));
        }
        let http_allowed = issuer.starts_with("http://");
        for url in [
            &metadata.authorization_endpoint,
            &metadata.token_endpoint,
            &metadata.jwks_uri,
        ] {
            if !(url.starts_with("https://") || (http_allowed && url.starts_with("http://"))) {
                return Err(SignInError::Unavailable(format!(
                    "discovery names an endpoint that is not https: {url:?}"
                )));
            }
        }
        let metadata = Arc::new(metadata);
        *cached = Some(metadata.clone());
        Ok(metadata)
    }

    /// The address to send the browser to, to sign in.
    pub(crate) fn authorize_url(
        metadata: &Metadata,
        settings: &Settings,
        state: &str,
        nonce: &str,
        challenge: &str,
        login_hint: Option<&str>,
    ) -> Result<String, SignInError> {
        let mut url = format!(
            "{}{}client_id={}&response_type=code&response_mode=query&scope={}&redirect_uri={}\
             &state={}&nonce={}&code_challenge={}&code_challenge_method=S256",
            metadata.authorization_endpoint,
            if metadata.authorization_endpoint.contains('?') {
                '&'
            } else {
                '?'
            },
            enc(settings.client.client_id()),
            enc("openid profile"),
            enc(&settings.redirect_uri()?),
            enc(state),
            enc(nonce),
            enc(challenge),
        );
        if let Some(hint) = login_hint {
            url.push_str("&login_hint=");
            url.push_str(&enc(hint));
        }
        Ok(url)
    }

    /// Redeems `code` (with the PKCE `verifier`) for the ID token, as the sign-in app.
    pub(crate) async fn redeem(
        &self,
        metadata: &Metadata,
        settings: &Settings,
        code: &str,
        verifier: &str,
    ) -> Result<String, SignInError> {
        let proof = settings
            .client
            .proof(&metadata.token_endpoint)
            .ok_or_else(|| {
                SignInError::Unavailable("the client assertion could not be signed".into())
            })?;
        let form = format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}&code_verifier={}&scope={}&{proof}",
            enc(settings.client.client_id()),
            enc(code),
            enc(&settings.redirect_uri()?),
            enc(verifier),
            enc("openid profile"),
        );
        let (status, body) = self
            .out
            .exchange(
                Method::POST,
                &metadata.token_endpoint,
                Some(form),
                MAX_ANSWER,
            )
            .await
            .map_err(SignInError::Unavailable)?;
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if status != StatusCode::OK {
            // Entra's error code and AADSTS numbers say what is wrong; neither is secret.
            return Err(SignInError::Refused(format!(
                "{} {}",
                answer["error"].as_str().unwrap_or("error"),
                answer["error_codes"]
            )));
        }
        answer["id_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or(SignInError::Token("the token endpoint sent no ID token"))
    }

    /// The key `kid` names, from the provider's key set; the set is fetched again for a
    /// `kid` it does not hold, at most once a minute.
    pub(crate) async fn key(
        &self,
        metadata: &Metadata,
        kid: &str,
    ) -> Result<Arc<DecodingKey>, SignInError> {
        let mut set = self.keys.lock().await;
        if let Some(key) = set.keys.get(kid) {
            return Ok(key.clone());
        }
        if set.fetched.is_some_and(|at| at.elapsed() < KEYS_REFETCH) {
            return Err(SignInError::Token(
                "signed with a key the provider does not publish",
            ));
        }
        set.fetched = Some(Instant::now());
        let (status, body) = self
            .out
            .exchange(Method::GET, &metadata.jwks_uri, None, MAX_ANSWER)
            .await
            .map_err(SignInError::Unavailable)?;
        if status != StatusCode::OK {
            return Err(SignInError::Unavailable(format!(
                "the key set answered {}",
                status.as_u16()
            )));
        }
        set.keys = parse_keys(&body)?;
        set.keys.get(kid).cloned().ok_or(SignInError::Token(
            "signed with a key the provider does not publish",
        ))
    }
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    usage: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

/// The RSA signing keys of a JSON Web Key Set, by `kid`; others are left out.
fn parse_keys(body: &[u8]) -> Result<HashMap<String, Arc<DecodingKey>>, SignInError> {
    let set: Jwks = serde_json::from_slice(body)
        .map_err(|e| SignInError::Unavailable(format!("the key set: {e}")))?;
    Ok(set
        .keys
        .into_iter()
        .filter(|k| k.kty == "RSA" && k.usage.as_deref().is_none_or(|u| u == "sig"))
        .filter_map(|k| {
            let key = DecodingKey::from_rsa_components(k.n.as_deref()?, k.e.as_deref()?).ok()?;
            Some((k.kid?, Arc::new(key)))
        })
        .collect())
}
