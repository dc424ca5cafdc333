//! Delivery: precompressed static files chosen by Accept-Encoding, caching headers, 304,
//! HEAD; API answers compressed for the browser, asked gzipped from the upstream, and the
//! response cap applied to the decompressed size.

mod common;

use std::io::Read;

use common::*;

const HASHED: &str = "app-0123456789abcdef.js";

/// A built app: index.html, a hashed module with brotli and gzip copies beside it, boot.js.
fn site() -> std::path::PathBuf {
    let dir = temp_path("delivery");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    write("index.html", b"<!doctype html><title>app</title>");
    write(HASHED, b"export const app = 1;");
    // The brotli copy is a marker: these tests are about which file is chosen.
    write(&format!("{HASHED}.br"), b"brotli copy");
    write(&format!("{HASHED}.gz"), &gzip(b"export const app = 1;"));
    write("boot.js", b"import('./app.js');");
    dir
}

async fn get(addr: std::net::SocketAddr, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut request = client().get(url(addr, path));
    if let Some(e) = encoding {
        request = request.header("accept-encoding", e);
    }
    request.send().await.expect("send")
}

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_owned())
}

async fn static_proxy() -> std::net::SocketAddr {
    let dir = site();
    proxy(&["--simulate", "--static", dir.to_str().expect("utf-8")]).await
}

#[tokio::test]
async fn the_precompressed_copy_is_chosen_by_accept_encoding() {
    let addr = static_proxy().await;
    let path = format!("/{HASHED}");
    let r = get(addr, &path, Some("gzip, deflate, br")).await;
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&r, "vary").as_deref(), Some("accept-encoding"));
    assert!(header(&r, "content-type").is_some_and(|t| t.contains("javascript")));
    assert_eq!(r.bytes().await.expect("body").as_ref(), b"brotli copy");

    let r = get(addr, &path, Some("gzip")).await;
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("gzip"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(r.bytes().await.expect("body").as_ref())
        .read_to_string(&mut text)
        .expect("gzip");
    assert_eq!(text, "export const app = 1;");

    let r = get(addr, &path, None).await;
    assert_eq!(header(&r, "content-encoding"), None);
    assert_eq!(header(&r, "vary").as_deref(), Some("accept-encoding"));
    assert_eq!(r.text().await.expect("body"), "export const app = 1;");
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_revalidated() {
    let addr = static_proxy().await;
    let r = get(addr, &format!("/{HASHED}"), None).await;
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some(cpp_proxy::IMMUTABLE)
    );
    for path in [
        "/",
        "/index.html",
        "/boot.js",
        "/demo/publishers/a/offers/b",
    ] {
        let r = get(addr, path, Some("br")).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        assert!(header(&r, "last-modified").is_some(), "{path}");
    }
    let api = fetch(addr, &format!("/api/publishers?{V}")).await;
    assert_eq!(header(&api, "cache-control").as_deref(), Some("no-store"));
}

#[tokio::test]
async fn an_unchanged_page_answers_304_without_a_body() {
    let addr = static_proxy().await;
    for path in ["/", "/live/publishers/a/offers/b", "/boot.js"] {
        let first = get(addr, path, None).await;
        let stamp = header(&first, "last-modified").expect("last-modified");
        let r = client()
            .get(url(addr, path))
            .header("if-modified-since", &stamp)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 304, "{path}");
        assert_eq!(header(&r, "cache-control").as_deref(), Some("no-cache"));
        assert!(r.bytes().await.expect("body").is_empty());
        let r = client()
            .get(url(addr, path))
            .header("if-modified-since", "Fri, 09 Aug 1996 14:21:40 GMT")
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200, "changed since then: {path}");
    }
}

#[tokio::test]
async fn head_answers_the_headers_alone() {
    let addr = static_proxy().await;
    for path in ["/", &format!("/{HASHED}")] {
        let r = client().head(url(addr, path)).send().await.expect("send");
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            header(&r, "content-length").is_some_and(|n| n != "0"),
            "{path}"
        );
        assert!(header(&r, "content-security-policy").is_some());
        assert!(r.bytes().await.expect("body").is_empty());
    }
}

#[tokio::test]
async fn json_is_compressed_for_browsers_that_accept_it() {
    let (addr, _log) = pair(&[]).await;
    let path = format!("/api/publishers/contoso/offers/big/submissions?{V}");

    let r = get(addr, &path, Some("gzip, deflate, br")).await;
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("br"));
    assert!(header(&r, "vary").is_some_and(|v| v.contains("accept-encoding")));
    let compressed = r.bytes().await.expect("body");
    assert!(
        compressed.len() * 5 < big_json().len(),
        "{} bytes",
        compressed.len()
    );
    let mut text = String::new();
    brotli_decompressor::Decompressor::new(compressed.as_ref(), 4096)
        .read_to_string(&mut text)
        .expect("brotli");
    assert_eq!(text, big_json());

    let r = get(addr, &path, Some("gzip")).await;
    assert_eq!(header(&r, "content-encoding").as_deref(), Some("gzip"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(r.bytes().await.expect("body").as_ref())
        .read_to_string(&mut text)
        .expect("gzip");
    assert_eq!(text, big_json());

    // A client that names no encoding (it skips the compression layer) or only identity
    // gets the same plain answer, and the same Vary, so a cache keeps the two apart.
    for encoding in [None, Some("identity")] {
        let r = get(addr, &path, encoding).await;
        assert_eq!(header(&r, "content-encoding"), None);
        let vary: Vec<_> = r.headers().get_all("vary").iter().collect();
        assert!(
            vary.iter().any(|v| v.as_bytes() == b"accept-encoding"),
            "{encoding:?}: {vary:?}"
        );
        assert_eq!(r.text().await.expect("body"), big_json());
    }

    // Below about 1 KB compression is not worth it, and the answer does not vary by it.
    for encoding in [None, Some("br, gzip")] {
        let r = get(addr, &format!("/api/publishers?{V}"), encoding).await;
        assert_eq!(header(&r, "content-encoding"), None);
        let vary: Vec<_> = r.headers().get_all("vary").iter().collect();
        assert!(
            !vary.iter().any(|v| v.as_bytes() == b"accept-encoding"),
            "{encoding:?}: {vary:?}"
        );
    }
}

#[tokio::test]
async fn the_upstream_is_asked_for_gzip_and_its_answer_decoded() {
    let (addr, log) = pair(&[]).await;
    let r = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/gzipped/status?{V}"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-encoding"), None);
    assert_eq!(r.text().await.expect("body"), big_json());
    let seen = log.lock().expect("log");
    let asked = seen[0]
        .headers
        .get("accept-encoding")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    assert!(asked.contains("gzip"), "{asked:?}");
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_whole_with_502() {
    let (addr, _log) = pair(&["--max-response-bytes", "1048576"]).await;
    let r = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/bomb/status?{V}"),
    )
    .await;
    assert_eq!(r.status(), 502);
    let body: serde_json::Value = r.json().await.expect("a JSON error, nothing partial");
    assert_eq!(body["error"]["code"], "BadUpstreamResponse");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("decompressed")),
        "{body}"
    );
}

#[tokio::test]
async fn an_answer_of_known_size_streams_through_whole() {
    let (addr, _log) = pair(&["--max-response-bytes", "1048576"]).await;
    let r = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/big/status?{V}"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("body"), big_json());
    // Known to be over the cap before a byte is read.
    let r = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/huge/status?{V}"),
    )
    .await;
    assert_eq!(r.status(), 502);
}

#[tokio::test]
async fn a_streamed_answer_that_stalls_ends_at_the_deadline() {
    let (addr, _log) = pair(&["--timeout-secs", "1"]).await;
    let r = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/stall-body/status?{V}"),
    )
    .await;
    assert_eq!(r.status(), 200, "the headers came in time");
    // The upstream never sends the rest: only the proxy's deadline can end the body. The
    // bound is a guard against a hang, not a measure of the deadline.
    let body = tokio::time::timeout(std::time::Duration::from_secs(60), r.bytes())
        .await
        .expect("the proxy ended the stalled body");
    assert!(body.is_err(), "the body is cut, not passed on as if whole");
}
