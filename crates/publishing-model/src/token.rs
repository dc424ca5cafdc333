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
    let json = crate::base64::decode(payload)?;
    let value = crate::json::parse(std::str::from_utf8(&json).ok()?).ok()?;
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
