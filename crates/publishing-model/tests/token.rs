//! Reading a pasted token's expiry, for display only.

use chrono::{DateTime, TimeDelta, Utc};
use publishing_model::token::{expiry, jwt_expiry, Expiry};

/// A JWT with this payload (header and signature are not read).
fn jwt(payload: &str) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl",
        b64(payload.as_bytes())
    )
}

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("valid")
}

#[test]
fn the_expiry_is_read_from_exp() {
    let token =
        jwt(r#"{"aud":"https://cloudpartner.azure.com","exp":1764590400,"name":"Ünïcødé"}"#);
    assert_eq!(jwt_expiry(&token), Some(at(1_764_590_400)));
    assert_eq!(jwt_expiry(&format!("  {token}\n")), Some(at(1_764_590_400)));
    // Padded, and a float exp.
    assert_eq!(
        jwt_expiry(&format!("a.{}==.b", b64(br#"{"exp":1700000000.0}"#))),
        Some(at(1_700_000_000))
    );
}

#[test]
fn anything_else_has_no_expiry() {
    for token in [
        String::new(),
        "opaque-token".to_owned(),
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        jwt(r#"{"aud":"x"}"#),
        jwt(r#"{"exp":"tomorrow"}"#),
        jwt("not json"),
        "a.!!!.c".to_owned(),
        format!("a.{}.c", "A".repeat(20_000)),
        jwt(r#"{"exp":99999999999999999}"#),
    ] {
        assert_eq!(jwt_expiry(&token), None, "{token:.40}");
    }
}

#[test]
fn a_token_is_fine_then_soon_then_expired() {
    let soon = TimeDelta::minutes(15);
    let now = at(1_000_000);
    assert_eq!(expiry(None, now, soon), Expiry::Fine);
    assert_eq!(expiry(Some(at(1_000_000 + 3_600)), now, soon), Expiry::Fine);
    assert_eq!(
        expiry(Some(at(1_000_000 + 720)), now, soon),
        Expiry::Soon(TimeDelta::minutes(12))
    );
    assert_eq!(
        expiry(Some(at(1_000_000 - 180)), now, soon),
        Expiry::Expired(TimeDelta::minutes(3))
    );
    assert_eq!(
        expiry(Some(now), now, soon),
        Expiry::Expired(TimeDelta::zero())
    );
}
