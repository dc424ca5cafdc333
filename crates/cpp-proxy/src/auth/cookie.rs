//! The two cookies sign-in sets, and reading them back.
//!
//! - `__Host-cpp_session`: the session. `Secure; HttpOnly; SameSite=Strict; Path=/`, no
//!   `Domain`, so no other host or path can set or read it.
//! - `__Host-cpp_login`: a sign-in in flight, for ten minutes. `SameSite=Lax`, so that it
//!   comes back with the identity provider's redirect to `/auth/callback`.

use axum::http::{header, HeaderMap, HeaderValue};

/// The session cookie's name.
pub const SESSION: &str = "__Host-cpp_session";
/// The login transaction's cookie name.
pub const LOGIN: &str = "__Host-cpp_login";

/// The value of cookie `name` in the request's `Cookie` headers, if it is there once.
/// Twice (one planted beside the real one) counts as not at all.
pub fn get<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| value.trim());
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// `Set-Cookie` for the session.
pub fn session(value: &str, max_age_secs: u64) -> HeaderValue {
    set(SESSION, value, max_age_secs, "Strict")
}

/// `Set-Cookie` for a login transaction.
pub fn login(value: &str) -> HeaderValue {
    set(LOGIN, value, 600, "Lax")
}

/// `Set-Cookie` that removes cookie `name`.
pub fn clear(name: &str) -> HeaderValue {
    let same_site = if name == LOGIN { "Lax" } else { "Strict" };
    set(name, "", 0, same_site)
}

fn set(name: &str, value: &str, max_age_secs: u64, same_site: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; Secure; HttpOnly; SameSite={same_site}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("__Host-cpp_invalid=; Path=/; Max-Age=0; Secure"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_read_only_when_it_is_there_once() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-cpp_session=abc; b=2"),
        );
        assert_eq!(get(&headers, SESSION), Some("abc"));
        assert_eq!(get(&headers, LOGIN), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("__Host-cpp_session=planted"),
        );
        assert_eq!(get(&headers, SESSION), None);
    }

    #[test]
    fn cookies_are_host_only_secure_and_http_only() {
        let s = session("v", 28_800);
        let s = s.to_str().expect("ascii");
        for part in [
            "__Host-cpp_session=v",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=28800",
        ] {
            assert!(s.contains(part), "{s}");
        }
        assert!(!s.to_ascii_lowercase().contains("domain"), "{s}");
        let l = login("t");
        assert!(
            l.to_str().expect("ascii").contains("SameSite=Lax; ")
                || l.to_str().expect("ascii").ends_with("SameSite=Lax")
        );
        assert!(clear(SESSION)
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0"));
    }
}
