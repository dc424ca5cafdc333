//! A client certificate instead of a secret: the proxy proves who it is with a short-lived
//! JWT (a client assertion) signed with the certificate's private key (RS256), naming the
//! certificate by its SHA-1 thumbprint (`x5t`), as Entra ID asks.

use std::time::{SystemTime, UNIX_EPOCH};

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};

use publishing_model::base64::{decode, encode_url as base64url};

use crate::config::ConfigError;

/// A certificate and its private key.
pub(super) struct Certificate {
    key: RsaKeyPair,
    thumbprint: String,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("x5t", &self.thumbprint)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Certificate {
    /// From PEM text holding the private key (`PRIVATE KEY`, PKCS #8, or `RSA PRIVATE KEY`)
    /// and the certificate (`CERTIFICATE`), in either order.
    pub(super) fn from_pem(pem: &str) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError::Token(format!("the client certificate file: {why}"));
        let block = |label: &str| pem_block(pem, label);
        let key = match (block("PRIVATE KEY"), block("RSA PRIVATE KEY")) {
            (Some(der), _) => RsaKeyPair::from_pkcs8(&der),
            (None, Some(der)) => RsaKeyPair::from_der(&der),
            (None, None) => return Err(bad("no PRIVATE KEY block")),
        }
        .map_err(|_| bad("the private key is not an RSA key ring can use (2048 bits or more)"))?;
        let cert = block("CERTIFICATE").ok_or_else(|| bad("no CERTIFICATE block"))?;
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &cert);
        Ok(Self {
            key,
            thumbprint: base64url(sha1.as_ref()),
        })
    }

    /// The certificate's `x5t`: its SHA-1 thumbprint, base64url.
    pub(super) fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// A client assertion for `audience` (the token URL), valid for ten minutes.
    pub(super) fn assertion(&self, client_id: &str, audience: &str) -> Option<String> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        let mut jti = [0u8; 16];
        let rng = SystemRandom::new();
        rng.fill(&mut jti).ok()?;
        let jti: String = jti.iter().map(|b| format!("{b:02x}")).collect();
        let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "x5t": self.thumbprint });
        let claims = serde_json::json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": jti,
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        });
        let signed = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &rng, signed.as_bytes(), &mut signature)
            .ok()?;
        Some(format!("{signed}.{}", base64url(&signature)))
    }
}

/// The bytes of the first `-----BEGIN {label}-----` block.
fn pem_block(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    decode(&pem[start..stop])
}
