//! Where a sign-in may return to: a path on the proxy's own origin, never another site.
//! Browsers read `//host`, `/\host` and paths with tabs or newlines in them (which they
//! drop) as another host, so anything that is not plainly a local path becomes `/`.

/// `rd` as a path to return to on the proxy's own origin, or `/`.
pub fn local_return(rd: Option<&str>) -> String {
    match rd {
        Some(rd) if is_local(rd, true) && is_local(&decoded(rd), false) => rd.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path that starts with one `/`, and has no backslash or control character (nor, as
/// sent, any space: a browser sends `%20`).
fn is_local(path: &str, as_sent: bool) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && path.len() <= 2048
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_control() || (as_sent && c.is_whitespace()))
}

/// `path` with its percent-escapes read once more: a path that only turns hostile when a
/// server or browser decodes it again is refused too.
fn decoded(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::local_return;

    /// The vectors and oauth2-proxy's kinds: absolute URLs, scheme-relative ones,
    /// backslashes, tabs and newlines that browsers drop, encodings of each.
    #[test]
    fn anything_but_a_local_path_returns_home() {
        for rd in [
            "https://evil.example",
            "http://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/./\\evil.example",
            "\\\\evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%5C%5Cevil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "///evil.example",
            "/ /evil.example",
        ] {
            assert_eq!(local_return(Some(rd)), "/", "{rd:?}");
        }
        assert_eq!(local_return(None), "/");
    }

    #[test]
    fn local_paths_come_back_as_they_are() {
        for rd in [
            "/",
            "/publishers/contoso/offers/contoso-vm",
            "/publishers/contoso/offers/contoso-vm?status=running&q=gpu",
            "/ops/overview",
            "/search?q=a%20b",
            "/offers#history",
        ] {
            assert_eq!(local_return(Some(rd)), rd);
        }
    }
}
