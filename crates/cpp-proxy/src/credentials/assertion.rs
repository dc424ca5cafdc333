//! A client certificate instead of a secret: the proxy proves who it is with a short-lived
//! JWT (a client assertion) signed with the certificate's private key (RS256), naming the
//! certificate by its SHA-1 thumbprint (`x5t`), as Entra ID asks.

use std::time::{SystemTime, UNIX_EPOCH};

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};

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
    base64_decode(&pem[start..stop])
}

/// Standard base64 (PEM), whitespace ignored.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
    {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Base64url without padding (JWTs, `x5t`).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}
