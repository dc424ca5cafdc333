//! CORS and origin rules.

mod common;

use common::*;

const ALLOWED: &str = "https://ops.example.com";

#[tokio::test]
async fn preflight_from_an_allowed_origin() {
    let addr = proxy(&["--simulate", "--allow-origin", ALLOWED]).await;
    let r = client()
        .request(
            reqwest::Method::OPTIONS,
            url(addr, &format!("/api/publishers?{V}")),
        )
        .header("origin", ALLOWED)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .expect("send");
    assert!(r.status().is_success());
    let h = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_lowercase())
            .unwrap_or_default()
    };
    assert_eq!(h("access-control-allow-origin"), ALLOWED);
    assert!(h("vary").contains("origin"));
    let max_age: u64 = h("access-control-max-age").parse().expect("max-age");
    assert!(max_age > 0 && max_age <= 7200);
    assert!(h("access-control-allow-headers").contains("authorization"));
    assert!(h("access-control-allow-methods").contains("get"));
    assert!(!h("access-control-allow-methods").contains("delete"));
    assert!(h("access-control-allow-credentials").is_empty());
}

#[tokio::test]
async fn simple_request_from_an_allowed_origin_exposes_follow_up_headers() {
    let addr = proxy(&[
        "--simulate",
        "--allow-origin",
        ALLOWED,
        "--allow-origin",
        "http://localhost:8080",
    ])
    .await;
    let r = client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("origin", "http://localhost:8080")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("access-control-allow-origin")
            .map(|v| v.as_bytes()),
        Some(&b"http://localhost:8080"[..])
    );
    let exposed = r
        .headers()
        .get("access-control-expose-headers")
        .map(|v| v.to_str().expect("ascii").to_lowercase())
        .unwrap_or_default();
    for name in ["location", "operation-location", "retry-after"] {
        assert!(exposed.contains(name), "{name} not exposed: {exposed}");
    }
}

#[tokio::test]
async fn other_origins_are_refused_and_never_reflected() {
    let addr = proxy(&["--simulate", "--allow-origin", ALLOWED]).await;
    for origin in [
        "https://evil.example",
        "null",
        "https://ops.example.com.evil.example",
        "http://ops.example.com",
        "https://OPS.example.com:443",
        "*",
    ] {
        for method in [reqwest::Method::GET, reqwest::Method::OPTIONS] {
            let r = client()
                .request(method.clone(), url(addr, &format!("/api/publishers?{V}")))
                .header("origin", origin)
                .header("access-control-request-method", "GET")
                .send()
                .await
                .expect("send");
            assert_eq!(r.status(), 403, "{method} from {origin}");
            assert!(
                r.headers().get("access-control-allow-origin").is_none(),
                "{origin} reflected"
            );
        }
    }
}

#[tokio::test]
async fn same_origin_requests_from_the_served_app_pass() {
    let addr = proxy(&["--simulate"]).await;
    let r = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/contoso-ubuntu-vm/cancel?{V}"),
        ))
        .header("origin", format!("http://{addr}"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 202);
}

#[tokio::test]
async fn star_null_and_malformed_origins_are_refused_at_start() {
    for bad in [
        "*",
        "null",
        "NULL",
        "ops.example.com",
        "https://",
        "https://a.example/path",
        "ftp://a.example",
    ] {
        let result = cpp_proxy::AppState::from_args(&args(&["--allow-origin", bad])).await;
        assert!(result.is_err(), "{bad} accepted");
    }
    assert!(
        cpp_proxy::AppState::from_args(&args(&["--allow-origin", "https://a.example/"]))
            .await
            .is_ok(),
        "a trailing slash is trimmed"
    );
}
