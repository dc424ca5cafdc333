//! The proxy in forwarding mode, against a fake upstream on loopback.

mod common;

use common::*;

#[tokio::test]
async fn forwards_an_allowed_route_with_a_rebuilt_url() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/vm-1/submissions/?{V}&status=running"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.text().await.expect("body"),
        r#"[{"id":"op-1","submissionState":"running"}]"#
    );
    let seen = log.lock().expect("log");
    assert_eq!(seen[0].method, "GET");
    assert_eq!(
        seen[0].path_and_query,
        "/api/publishers/contoso/offers/vm-1/submissions/?api-version=2017-10-31&status=running"
    );
}

#[tokio::test]
async fn every_api_route_is_forwarded() {
    let (addr, log) = pair(&[]).await;
    for path in [
        "/api/publishers",
        "/api/publishers/contoso/offers",
        "/api/publishers/contoso/offers/vm/submissions",
        "/api/publishers/contoso/offers/vm/operations/5a63deb5-925b-4ee0-938b-7c86fbf287c5",
        "/api/publishers/contoso/offers/vm/status",
    ] {
        let r = fetch(addr, &format!("{path}?{V}")).await;
        assert_eq!(r.status(), 200, "{path}");
    }
    assert_eq!(log.lock().expect("log").len(), 5);
}

#[tokio::test]
async fn injects_the_configured_token_over_the_browsers() {
    let dir = temp_path("token");
    std::fs::write(&dir, "Bearer injected-secret\n").expect("write token");
    let path = dir.to_string_lossy().into_owned();
    let (addr, log) = pair(&["--token-file", &path]).await;
    let r = client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("authorization", "Bearer from-browser")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let seen = log.lock().expect("log");
    assert_eq!(
        seen[0]
            .headers
            .get("authorization")
            .map(|v| v.to_str().expect("ascii")),
        Some("Bearer injected-secret")
    );
    let _ = std::fs::remove_file(dir);
}

#[tokio::test]
async fn token_from_environment_variable() {
    let (up, log) = upstream().await;
    let proxy = spawn_proxy(
        &[
            "--upstream",
            &format!("http://{up}"),
            "--token-env",
            "CPP_PROXY_TEST_TOKEN_VAR",
        ],
        &[("CPP_PROXY_TEST_TOKEN_VAR", "env-secret")],
    );
    let r = client()
        .get(format!("{}/api/publishers?{V}", proxy.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(
        log.lock().expect("log")[0]
            .headers
            .get("authorization")
            .map(|v| v.to_str().expect("ascii").to_owned()),
        Some("Bearer env-secret".to_owned())
    );
}

#[tokio::test]
async fn passes_the_browsers_token_when_none_is_configured() {
    let (addr, log) = pair(&["--token-env", "CPP_PROXY_UNSET_VARIABLE_FOR_TEST"]).await;
    client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("authorization", "Bearer from-browser")
        .send()
        .await
        .expect("send");
    assert_eq!(
        log.lock().expect("log")[0]
            .headers
            .get("authorization")
            .map(|v| v.to_str().expect("ascii").to_owned()),
        Some("Bearer from-browser".to_owned())
    );
    let r = client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400, "only bearer tokens pass");
}

#[tokio::test]
async fn strips_hop_by_hop_cookie_and_forwarding_headers_both_ways() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("cookie", "a=b")
        .header("proxy-authorization", "Basic x")
        .header("x-forwarded-for", "10.0.0.1")
        .header("x-forwarded-host", "evil.example")
        .header("te", "trailers")
        .header("x-custom", "1")
        .send()
        .await
        .expect("send");
    assert!(r.headers().get("set-cookie").is_none());
    assert!(r.headers().get("x-powered-by").is_none());
    assert_eq!(
        r.headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    let seen = log.lock().expect("log");
    for name in [
        "cookie",
        "proxy-authorization",
        "x-forwarded-for",
        "x-forwarded-host",
        "te",
        "x-custom",
        "origin",
    ] {
        assert!(
            seen[0].headers.get(name).is_none(),
            "{name} reached the upstream"
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404_with_a_json_body() {
    let (addr, log) = pair(&[]).await;
    for path in [
        "/api",
        "/api/",
        "/api/publishers/contoso/offers/vm/publish",
        "/api/other",
        "/etc/passwd",
        "/",
    ] {
        let r = fetch(addr, &format!("{path}?{V}")).await;
        assert_eq!(r.status(), 404, "{path}");
        let body: serde_json::Value = r.json().await.expect("json body");
        assert_eq!(body["error"]["code"], "NotFound");
    }
    assert!(log.lock().expect("log").is_empty());
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let (addr, log) = pair(&[]).await;
    let c = client();
    for (method, path, allow) in [
        (reqwest::Method::DELETE, "/api/publishers", "GET"),
        (
            reqwest::Method::POST,
            "/api/publishers/contoso/offers/vm/status",
            "GET",
        ),
        (
            reqwest::Method::PUT,
            "/api/publishers/contoso/offers/vm/submissions",
            "GET",
        ),
        (
            reqwest::Method::GET,
            "/api/publishers/contoso/offers/vm/cancel",
            "POST",
        ),
        (
            reqwest::Method::GET,
            "/api/publishers/contoso/offers/vm/golive",
            "POST",
        ),
        (
            reqwest::Method::DELETE,
            "/api/publishers/contoso/offers/vm/golive",
            "POST",
        ),
    ] {
        let r = c
            .request(method.clone(), url(addr, &format!("{path}?{V}")))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 405, "{method} {path}");
        assert_eq!(
            r.headers()
                .get("allow")
                .map(|v| v.to_str().expect("ascii").to_owned()),
            Some(allow.to_owned())
        );
    }
    assert!(log.lock().expect("log").is_empty());
}

#[tokio::test]
async fn bad_path_segments_are_refused() {
    let (addr, log) = pair(&[]).await;
    for segment in [
        "..",
        "%2e%2e",
        "a%2Fb",
        "a%5Cb",
        ".hidden",
        "user@evil.example",
        "a%00",
        "caf%C3%A9",
        "-lead",
    ] {
        let r = fetch(addr, &format!("/api/publishers/{segment}/offers?{V}")).await;
        assert!(
            matches!(r.status().as_u16(), 400 | 404),
            "{segment}: {}",
            r.status()
        );
    }
    let long = "a".repeat(129);
    let r = fetch(addr, &format!("/api/publishers/{long}/offers?{V}")).await;
    assert_eq!(r.status(), 400);
    assert!(
        log.lock().expect("log").is_empty(),
        "nothing refused reached the upstream"
    );
}

#[tokio::test]
async fn query_parameters_are_checked() {
    let (addr, log) = pair(&[]).await;
    for query in [
        "",
        "api-version=latest",
        "api-version=2017-10-31&api-version=2018-01-01",
        "api-version=2017-10-31&redirect=https://evil.example",
        "api-version=2017-10-31&status=running;drop",
        "api-version=2017-10-31%26x%3D1",
    ] {
        let r = client()
            .get(url(
                addr,
                &format!("/api/publishers/contoso/offers/vm/submissions?{query}"),
            ))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 400, "{query}");
    }
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/vm/status?{V}&status=running"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400, "status only on the submissions list");
    assert!(log.lock().expect("log").is_empty());
}

#[tokio::test]
async fn post_must_be_json_so_browsers_preflight_it() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/vm/cancel?{V}"),
        ))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    assert!(log.lock().expect("log").is_empty());
}

#[tokio::test]
async fn cancel_is_forwarded_and_the_follow_up_url_points_at_the_proxy() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/vm/cancel?{V}"),
        ))
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"metadata":{"notification-emails":"a@contoso.com"}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 202);
    let seen = log.lock().expect("log");
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        seen[0].body,
        br#"{"metadata":{"notification-emails":"a@contoso.com"}}"#
    );
    assert_eq!(
        r.headers()
            .get("operation-location")
            .map(|v| v.to_str().expect("ascii").to_owned()),
        Some("/api/publishers/contoso/offers/o/operations/abc?api-version=2017-10-31".to_owned()),
        "an absolute upstream URL becomes a path on the proxy"
    );
}

#[tokio::test]
async fn go_live_is_the_one_other_post_and_its_location_points_at_the_proxy() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/vm/golive?{V}"),
        ))
        .header("content-type", "application/json")
        .body(r#"{"metadata":{"notification-emails":""}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 202);
    assert_eq!(
        r.headers()
            .get("location")
            .map(|v| v.to_str().expect("ascii").to_owned()),
        Some("/api/publishers/contoso/offers/o/operations/abc?api-version=2017-10-31".to_owned()),
        "an absolute upstream URL becomes a path on the proxy"
    );
    let seen = log.lock().expect("log").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert!(
        seen[0].path_and_query.contains("/offers/vm/golive?"),
        "{}",
        seen[0].path_and_query
    );
    // Nothing else under the offer takes a POST.
    for path in ["golive/now", "go-live", "publish", "golive2"] {
        let r = client()
            .post(url(
                addr,
                &format!("/api/publishers/contoso/offers/vm/{path}?{V}"),
            ))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 404, "{path}");
    }
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn redirects_are_never_followed() {
    let (addr, log) = pair(&[]).await;
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/redirect/status?{V}"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 502);
    assert!(r.headers().get("location").is_none());
    assert_eq!(
        log.lock().expect("log").len(),
        1,
        "asked once, not followed"
    );
}

#[tokio::test]
async fn a_slow_upstream_times_out_with_504() {
    // The upstream answers after 3 s: a 504 can only be the proxy's own 1 s deadline.
    let (addr, _log) = pair(&["--timeout-secs", "1"]).await;
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/slow/status?{V}"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 504);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "UpstreamTimeout");
}

#[tokio::test]
async fn an_unreachable_upstream_is_502() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let addr = proxy(&["--upstream", &format!("http://{closed}")]).await;
    let r = fetch(addr, &format!("/api/publishers?{V}")).await;
    assert_eq!(r.status(), 502);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "UpstreamUnreachable");
    assert!(
        !body.to_string().contains(&closed.to_string()),
        "no internal detail sent"
    );
}

#[tokio::test]
async fn oversized_answers_are_cut_off() {
    let (addr, _log) = pair(&["--max-response-bytes", "1048576"]).await;
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/huge/status?{V}"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 502);
}

#[tokio::test]
async fn retry_after_is_passed_back() {
    let (addr, _log) = pair(&[]).await;
    let r = client()
        .get(url(
            addr,
            &format!("/api/publishers/contoso/offers/busy/status?{V}"),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"7"[..])
    );
}

#[tokio::test]
async fn too_many_requests_in_flight_from_one_client_get_429() {
    let (addr, log) = pair(&["--max-in-flight-per-client", "1"]).await;
    let slow = tokio::spawn(
        client()
            .get(url(
                addr,
                &format!("/api/publishers/contoso/offers/slow/status?{V}"),
            ))
            .send(),
    );
    log.arrival("/offers/slow/").await;
    let r = fetch(addr, &format!("/api/publishers?{V}")).await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    assert_eq!(slow.await.expect("join").expect("send").status(), 200);
    let r = fetch(addr, &format!("/api/publishers?{V}")).await;
    assert_eq!(r.status(), 200, "the slot is released");
}

#[tokio::test]
async fn health_route_and_request_ids() {
    let (addr, _log) = pair(&[]).await;
    let r = fetch(addr, "/healthz").await;
    assert_eq!(r.status(), 200);
    let id = r.headers().get("x-request-id").cloned();
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"status": "ok", "mode": "proxy"}));
    assert!(id.is_some());
}
