//! Checking an ID token: an RS256 signature by a key the provider publishes (no other
//! algorithm), the tenant's issuer, this app as the audience, `exp` and `nbf` with a minute's
//! leeway, the sign-in's `nonce`, and `tid` equal to the configured tenant. Users are who
//! `tid` and `oid` say, never an e-mail address or a sign-in name.

use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use super::oidc::{Metadata, Oidc};
use super::{Settings, SignInError};
use crate::secret;

/// Clock skew allowed on `exp` and `nbf`, in seconds.
const LEEWAY_SECS: u64 = 60;

/// Who signed in, from a checked ID token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) tid: String,
    pub(crate) oid: String,
    pub(crate) name: String,
    pub(crate) upn: String,
    /// Every app role in the token.
    pub(crate) roles: Vec<String>,
    /// The token's group information was too large and is only referred to.
    pub(crate) overage: bool,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    tid: Option<String>,
    #[serde(default)]
    oid: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    upn: Option<String>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default, rename = "_claim_names")]
    claim_names: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Checks `token` for the sign-in that sent `nonce`.
pub(crate) async fn check(
    oidc: &Oidc,
    metadata: &Metadata,
    settings: &Settings,
    token: &str,
    nonce: &str,
) -> Result<Identity, SignInError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| {
        SignInError::Token("not a signed token the proxy reads (alg must be RS256)")
    })?;
    if header.alg != Algorithm::RS256 {
        return Err(SignInError::Token(
            "signed with an algorithm other than RS256",
        ));
    }
    let kid = header
        .kid
        .ok_or(SignInError::Token("names no signing key (kid)"))?;
    let key = oidc.key(metadata, &kid).await?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_audience(&[settings.client.client_id()]);
    validation.set_issuer(&[settings.issuer()?]);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map_err(|e| SignInError::Token(reason(e.kind())))?
        .claims;
    if !claims
        .nonce
        .as_deref()
        .is_some_and(|n| secret::same(n, nonce))
    {
        return Err(SignInError::Token("its nonce is not this sign-in's"));
    }
    if claims.tid.as_deref() != Some(settings.tenant.as_str()) {
        return Err(SignInError::Token("it is from another tenant"));
    }
    let oid = claims
        .oid
        .filter(|o| !o.is_empty() && o.len() <= 64)
        .ok_or(SignInError::Token("it names no user (oid)"))?;
    let upn = claims.preferred_username.or(claims.upn).unwrap_or_default();
    let overage = claims
        .claim_names
        .is_some_and(|names| names.contains_key("groups"));
    Ok(Identity {
        tid: settings.tenant.clone(),
        name: claims
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| upn.clone()),
        upn,
        oid,
        roles: claims.roles.unwrap_or_default(),
        overage,
    })
}

fn reason(kind: &jsonwebtoken::errors::ErrorKind) -> &'static str {
    use jsonwebtoken::errors::ErrorKind as K;
    match kind {
        K::InvalidSignature => "its signature does not verify",
        K::ExpiredSignature => "it has expired",
        K::ImmatureSignature => "it is not valid yet (nbf)",
        K::InvalidAudience => "it is for another app (aud)",
        K::InvalidIssuer => "it is from another issuer (iss)",
        K::InvalidAlgorithm => "signed with an algorithm other than RS256",
        K::MissingRequiredClaim(_) => "it lacks exp, iss or aud",
        _ => "it cannot be read",
    }
}
