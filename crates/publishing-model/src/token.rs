//! What a pasted bearer token says about itself: its expiry (`exp`), read for display only.
//! Nothing here verifies a token; the service does. The token's other claims are never kept.

use chrono::{DateTime, TimeDelta, Utc};

/// When a JWT expires, from its payload's `exp` (seconds since 1970). `None` for anything
/// that is not a JWT with a numeric `exp`: an opaque token, a malformed one, an oversized one.
pub fn jwt_expiry(token: &str) -> Option<DateTime<Utc>> {
    // Access tokens are a few kilobytes; anything far larger is not worth decoding.
    if token.len() > 16 * 1024 {
        return None;
    }
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = base64url(payload)?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    let exp = value.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    DateTime::from_timestamp(seconds, 0)
}

/// How a token stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// More than `soon` left (or no `exp` to read).
    Fine,
    /// Expires within `soon`: in this long.
    Soon(TimeDelta),
    /// Expired this long ago.
    Expired(TimeDelta),
}

/// Whether a token with this expiry is fine, nearly expired (within `soon`), or expired.
pub fn expiry(expires: Option<DateTime<Utc>>, now: DateTime<Utc>, soon: TimeDelta) -> Expiry {
    match expires {
        None => Expiry::Fine,
        Some(at) if at <= now => Expiry::Expired(now - at),
        Some(at) if at - now <= soon => Expiry::Soon(at - now),
        Some(_) => Expiry::Fine,
    }
}

/// Base64url without padding (padding tolerated), as JWTs use it.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
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
