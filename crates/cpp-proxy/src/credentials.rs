//! Where the proxy's own token comes from: fixed (read once at start), or fetched as a
//! service principal from the Microsoft Entra ID token endpoint (client credentials) and
//! renewed: cached until five minutes before it expires, one shared renewal however many
//! requests need it, and renewed at once when the service rejects it (401).
//!
//! The tenant, the client id and the secret come from the environment, the secret also from
//! a file, and a client certificate (instead of a secret) from a file: never from flag
//! values, which `ps` shows. Secrets, keys and tokens are redacted from `Debug` and never
//! logged; the token endpoint's own error code is.

mod assertion;
mod principal;

pub(crate) use principal::enc;
pub use principal::{
    Names, ServicePrincipal, CLIENT_ENV, SECRET_ENV, SERVICE, SIGN_IN, TENANT_ENV,
};

use std::time::{Duration, Instant};

use axum::http::{header, Method, Request, StatusCode, Uri};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};

use crate::config::ConfigError;
use crate::connector::{HttpClient, Outbound};
use crate::error::ProxyError;
use crate::token::Token;

/// The resource a token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The CPP API: the v1 endpoint, `resource=https://cloudpartner.azure.com`.
    CloudPartner,
    /// Microsoft Graph (the Product Ingestion API): the v2 endpoint,
    /// `scope=https://graph.microsoft.com/.default`.
    Graph,
}

impl Audience {
    fn path(self) -> &'static str {
        match self {
            Self::CloudPartner => "oauth2/token",
            Self::Graph => "oauth2/v2.0/token",
        }
    }

    pub(super) fn field(self) -> (&'static str, &'static str) {
        match self {
            Self::CloudPartner => ("resource", "https://cloudpartner.azure.com"),
            Self::Graph => ("scope", "https://graph.microsoft.com/.default"),
        }
    }
}

/// A token and when to stop using it.
#[derive(Clone)]
struct Cached {
    token: Token,
    renew_at: Instant,
}

/// Tokens from the Entra ID token endpoint for one audience.
pub struct Entra {
    principal: ServicePrincipal,
    audience: Audience,
    endpoint: String,
    client: HttpClient,
    timeout: Duration,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

/// Where the proxy's token comes from.
pub enum TokenSource {
    /// Read once at start (`--token-file`, `CPP_PROXY_TOKEN`).
    Fixed(Token),
    /// Fetched and renewed as a service principal.
    Entra(Box<Entra>),
}

impl TokenSource {
    /// Tokens for `audience` from `endpoint` (`https://login.microsoftonline.com`, or the
    /// simulator's), as `principal`, connecting and waiting as `out` says.
    pub fn entra(
        principal: ServicePrincipal,
        audience: Audience,
        endpoint: &str,
        out: &Outbound,
    ) -> Result<Self, ConfigError> {
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let valid = (endpoint.starts_with("https://") || endpoint.starts_with("http://"))
            && endpoint.parse::<Uri>().is_ok_and(|u| u.host().is_some());
        if !valid {
            return Err(ConfigError::Token(format!(
                "--token-endpoint {endpoint:?} must be an http(s) URL"
            )));
        }
        Ok(Self::Entra(Box::new(Entra {
            principal,
            audience,
            endpoint,
            client: out.client().clone(),
            timeout: out.timeout,
            cached: tokio::sync::Mutex::new(None),
        })))
    }

    /// True when a rejected token can be renewed.
    pub fn renews(&self) -> bool {
        matches!(self, Self::Entra(_))
    }

    /// The token to send now: the cached one while it is good, else a new one. Requests that
    /// ask while one is being fetched wait for it: one request to the endpoint for all.
    pub async fn token(&self) -> Result<Token, ProxyError> {
        let entra = match self {
            Self::Fixed(token) => return Ok(token.clone()),
            Self::Entra(entra) => entra,
        };
        let mut cached = entra.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(c.token.clone());
        }
        let fresh = entra.fetch().await?;
        *cached = Some(fresh.clone());
        Ok(fresh.token)
    }

    /// A new token after the service rejected `rejected`; the one already renewed when
    /// another request renewed it meanwhile.
    pub async fn renew(&self, rejected: &Token) -> Result<Token, ProxyError> {
        let entra = match self {
            Self::Fixed(token) => return Ok(token.clone()),
            Self::Entra(entra) => entra,
        };
        let mut cached = entra.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| &c.token != rejected) {
            return Ok(c.token.clone());
        }
        let fresh = entra.fetch().await?;
        *cached = Some(fresh.clone());
        Ok(fresh.token)
    }
}

impl Entra {
    async fn fetch(&self) -> Result<Cached, ProxyError> {
        let url = format!(
            "{}/{}/{}",
            self.endpoint,
            self.principal.tenant,
            self.audience.path()
        );
        let form = self.principal.form(self.audience, &url).ok_or_else(|| {
            tracing::warn!("the client assertion could not be signed");
            ProxyError::TokenEndpoint
        })?;
        let request = Request::builder()
            .method(Method::POST)
            .uri(url.parse::<Uri>().map_err(|_| ProxyError::TokenEndpoint)?)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Full::new(Bytes::from(form)))
            .map_err(|_| ProxyError::TokenEndpoint)?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let response = tokio::time::timeout_at(deadline, self.client.request(request))
            .await
            .map_err(|_| {
                tracing::warn!(endpoint = %self.endpoint, "the token endpoint did not answer in time");
                ProxyError::TokenEndpoint
            })?
            .map_err(|e| {
                tracing::warn!(endpoint = %self.endpoint, error = %e, "the token endpoint could not be reached");
                ProxyError::TokenEndpoint
            })?;
        let status = response.status();
        let body = tokio::time::timeout_at(
            deadline,
            Limited::new(response.into_body(), 64 * 1024).collect(),
        )
        .await
        .map_err(|_| ProxyError::TokenEndpoint)?
        .map_err(|_| ProxyError::TokenEndpoint)?
        .to_bytes();
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if status != StatusCode::OK {
            // Entra's error code and AADSTS number say what is wrong; neither is secret.
            tracing::warn!(
                status = status.as_u16(),
                error = answer["error"].as_str().unwrap_or("-"),
                codes = %answer["error_codes"],
                "the token endpoint refused"
            );
            return Err(ProxyError::TokenEndpoint);
        }
        let token = answer["access_token"]
            .as_str()
            .and_then(|t| Token::new(t).ok().flatten())
            .ok_or_else(|| {
                tracing::warn!("the token endpoint's answer has no usable access_token");
                ProxyError::TokenEndpoint
            })?;
        // v1 sends expires_in as text, v2 as a number.
        let lifetime = answer["expires_in"]
            .as_u64()
            .or_else(|| {
                answer["expires_in"]
                    .as_str()
                    .and_then(|s| s.trim().parse().ok())
            })
            .unwrap_or(300);
        tracing::info!(
            lifetime_s = lifetime,
            "fetched a token from the token endpoint"
        );
        Ok(Cached {
            token,
            renew_at: Instant::now() + renew_after(Duration::from_secs(lifetime)),
        })
    }
}

/// How long a token is used: until five minutes before it expires, or half its life when
/// that is shorter (a token of a few minutes is still used, briefly).
pub fn renew_after(lifetime: Duration) -> Duration {
    let margin = Duration::from_secs(300);
    if lifetime > margin * 2 {
        lifetime - margin
    } else {
        lifetime / 2
    }
}
