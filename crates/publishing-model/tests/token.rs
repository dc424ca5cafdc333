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
    publishing_model::base64::encode_url(bytes)
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
fn base64_reads_both_alphabets_and_writes_the_url_one() {
    use publishing_model::base64::{decode, encode_url};
    for bytes in [
        &b""[..],
        b"f",
        b"fo",
        b"foo",
        b"\xfb\xff\xfe",
        b"any carnal pleasure.",
    ] {
        let url = encode_url(bytes);
        assert!(!url.contains(['+', '/', '=']), "{url}");
        assert_eq!(decode(&url).as_deref(), Some(bytes));
        let standard = url.replace('-', "+").replace('_', "/");
        assert_eq!(decode(&format!("{standard}==\n")).as_deref(), Some(bytes));
    }
    assert_eq!(encode_url(b"\xfb\xff"), "-_8");
    assert_eq!(decode("a*b"), None);
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
