//! `--simulate`: the service's routes from the simulated world, and every fault.

mod common;

use std::time::{Duration, Instant};

use common::*;
use cpp_proxy::simulate::Fault;

async fn get(addr: std::net::SocketAddr, path: &str) -> reqwest::Response {
    fetch(addr, &format!("{path}?{V}")).await
}

#[tokio::test]
async fn serves_the_simulated_world() {
    let addr = proxy(&["--simulate"]).await;
    let publishers: serde_json::Value = get(addr, "/api/publishers")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(publishers[0]["id"], "contoso");
    let offers = publishing_model::api::parse_offers(
        &get(addr, "/api/publishers/contoso/offers")
            .await
            .text()
            .await
            .expect("text"),
    )
    .expect("offers");
    assert!(offers.iter().any(|o| o.id.as_str() == "contoso-ubuntu-vm"));
    let running = get(
        addr,
        "/api/publishers/contoso/offers/contoso-ubuntu-vm/submissions/",
    )
    .await;
    let ops =
        publishing_model::api::parse_operations(&running.text().await.expect("text")).expect("ops");
    let op = ops
        .iter()
        .find(|o| o.effective_status() == publishing_model::PublishStatus::Running)
        .expect("one running");
    let detail = get(
        addr,
        &format!(
            "/api/publishers/contoso/offers/contoso-ubuntu-vm/operations/{}",
            op.id
        ),
    )
    .await;
    let text = detail.text().await.expect("text");
    assert!(
        text.starts_with('['),
        "an array of one, like the real service"
    );
    assert_eq!(
        publishing_model::api::parse_operation(&text)
            .expect("detail")
            .steps
            .len(),
        6
    );
    let status = get(
        addr,
        "/api/publishers/contoso/offers/contoso-ubuntu-vm/status",
    )
    .await;
    assert!(publishing_model::api::parse_offer_status(&status.text().await.expect("text")).is_ok());
    assert_eq!(
        get(addr, "/api/publishers/nobody/offers").await.status(),
        404
    );
    assert_eq!(
        get(addr, "/api/publishers/contoso/offers/nope/status")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn status_filter_is_applied() {
    let addr = proxy(&["--simulate"]).await;
    let r = fetch(
        addr,
        &format!(
            "/api/publishers/fabrikam/offers/fabrikam-hardened-vm/submissions/?{V}&status=failed"
        ),
    )
    .await;
    let ops = publishing_model::api::parse_operations(&r.text().await.expect("text")).expect("ops");
    assert!(!ops.is_empty());
    assert!(ops
        .iter()
        .all(|o| o.effective_status() == publishing_model::PublishStatus::Failed));
}

#[tokio::test]
async fn cancel_answers_202_with_both_follow_up_headers_then_400() {
    let addr = proxy(&["--simulate"]).await;
    let cancel = || {
        client()
            .post(url(
                addr,
                &format!("/api/publishers/contoso/offers/contoso-ubuntu-vm/cancel?{V}"),
            ))
            .header("content-type", "application/json")
            .body(r#"{"metadata":{"notification-emails":"a@contoso.com"}}"#)
            .send()
    };
    let r = cancel().await.expect("send");
    assert_eq!(r.status(), 202);
    let location = r
        .headers()
        .get("location")
        .expect("location")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        r.headers()
            .get("operation-location")
            .map(|v| v.to_str().expect("ascii")),
        Some(location.as_str())
    );
    let followed = fetch(addr, &location).await;
    let detail = publishing_model::api::parse_operation(&followed.text().await.expect("text"))
        .expect("detail");
    assert_eq!(
        detail.status,
        Some(publishing_model::PublishStatus::Canceled)
    );
    let again = cancel().await.expect("send");
    assert_eq!(again.status(), 400);
    let r = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/contoso-data-science-vm/cancel?{V}"),
        ))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400, "past sign-off");
}

#[tokio::test]
async fn go_live_answers_202_follows_to_a_running_go_live_then_409() {
    let addr = proxy(&["--simulate"]).await;
    let go_live = || {
        client()
            .post(url(
                addr,
                &format!("/api/publishers/contoso/offers/contoso-data-science-vm/golive?{V}"),
            ))
            .header("content-type", "application/json")
            .body(r#"{"metadata":{"notification-emails":"a@contoso.com"}}"#)
            .send()
    };
    let r = go_live().await.expect("send");
    assert_eq!(r.status(), 202);
    let location = r
        .headers()
        .get("location")
        .expect("location")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        r.headers()
            .get("operation-location")
            .map(|v| v.to_str().expect("ascii")),
        Some(location.as_str())
    );
    let followed = fetch(addr, &location).await;
    let detail = publishing_model::api::parse_operation(&followed.text().await.expect("text"))
        .expect("detail");
    assert_eq!(
        detail.status,
        Some(publishing_model::PublishStatus::Running)
    );
    assert_eq!(
        detail
            .steps
            .first()
            .and_then(|s| s.id.as_ref())
            .map(|i| i.as_str()),
        Some("live")
    );
    let again = go_live().await.expect("send");
    assert_eq!(again.status(), 409, "nothing waits for sign-off any more");
    let text = again.text().await.expect("text");
    assert!(text.contains("NotWaitingForSignOff"), "{text}");
    let running = client()
        .post(url(
            addr,
            &format!("/api/publishers/contoso/offers/contoso-ubuntu-vm/golive?{V}"),
        ))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(running.status(), 409, "running, not waiting");
}

async fn fault_by_id(addr: std::net::SocketAddr, fault: &str) -> reqwest::Response {
    get(
        addr,
        &format!("/api/publishers/contoso/offers/fault-{fault}/status"),
    )
    .await
}

#[tokio::test]
async fn status_faults_by_offer_id() {
    let addr = proxy(&["--simulate"]).await;
    for (fault, status, code) in [
        ("bad-request", 400, "InvalidAPIVersion"),
        ("unauthorized", 401, "Unauthorized"),
        ("forbidden", 403, "Forbidden"),
        ("not-found", 404, "NotFound"),
        ("throttled", 429, "TooManyRequests"),
        ("server-error", 500, "InternalServerError"),
    ] {
        let r = fault_by_id(addr, fault).await;
        assert_eq!(r.status(), status, "{fault}");
        if fault == "throttled" {
            assert_eq!(
                r.headers().get("retry-after").map(|v| v.as_bytes()),
                Some(&b"2"[..])
            );
        }
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["error"]["code"], code);
    }
}

#[tokio::test]
async fn body_faults_by_id_break_the_json_in_their_own_way() {
    let addr = proxy(&["--simulate"]).await;
    // The offer does not exist in the world, so use the run-time plan on a real offer instead.
    let set = |kind: &str| {
        client()
            .post(url(addr, "/_sim/fault"))
            .json(&serde_json::json!({"kind": kind, "count": 1}))
            .send()
    };
    let path = "/api/publishers/contoso/offers/contoso-windows-vm/status";
    set("truncated").await.expect("set");
    let text = get(addr, path).await.text().await.expect("text");
    let err = publishing_model::api::parse_offer_status(&text).expect_err("a broken body");
    assert!(err.reason.contains("ended too early"), "{err}");
    set("malformed").await.expect("set");
    let text = get(addr, path).await.text().await.expect("text");
    let err = publishing_model::api::parse_offer_status(&text).expect_err("a broken body");
    assert!(err.line >= 1 && err.column > 1, "{err}");
    set("xss").await.expect("set");
    let text = get(addr, path).await.text().await.expect("text");
    let status = publishing_model::api::parse_offer_status(&text).expect("valid JSON");
    let html: Vec<_> = status
        .steps
        .iter()
        .flat_map(|s| &s.messages)
        .filter_map(|m| m.html.clone())
        .collect();
    assert!(html.iter().any(|h| h.contains("<script>")));
    assert!(
        publishing_model::api::parse_offer_status(
            &get(addr, path).await.text().await.expect("text")
        )
        .is_ok(),
        "count 1: back to normal"
    );
}

#[tokio::test]
async fn slow_fault_delays_the_answer() {
    let addr = proxy(&["--simulate"]).await;
    let started = Instant::now();
    let r = fault_by_id(addr, "slow").await;
    assert!(started.elapsed() >= Duration::from_millis(2_900));
    assert_eq!(
        r.status(),
        404,
        "then answers normally: that offer does not exist"
    );
}

#[tokio::test]
async fn server_error_then_recovery() {
    let addr = proxy(&["--simulate"]).await;
    let plan = client()
        .post(url(addr, "/_sim/fault"))
        .json(&serde_json::json!({"kind": "server-error", "count": 2}))
        .send()
        .await
        .expect("set");
    assert_eq!(plan.status(), 200);
    let path = "/api/publishers/contoso/offers/contoso-ubuntu-vm/status";
    assert_eq!(get(addr, path).await.status(), 500);
    assert_eq!(get(addr, path).await.status(), 500);
    assert_eq!(get(addr, path).await.status(), 200);
    let current: serde_json::Value = client()
        .get(url(addr, "/_sim/fault"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(current["kind"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_fault_flag_applies_to_every_request_until_restart() {
    let addr = proxy(&["--simulate", "--fault", "unauthorized"]).await;
    for _ in 0..3 {
        assert_eq!(get(addr, "/api/publishers").await.status(), 401);
    }
    assert!(
        cpp_proxy::AppState::from_args(&args(&["--simulate", "--fault", "nonsense"]))
            .await
            .is_err()
    );
}

#[test]
fn every_fault_has_a_name() {
    for fault in Fault::ALL {
        let name = serde_json::to_value(fault).expect("name");
        assert_eq!(Fault::parse(name.as_str().expect("string")), Some(fault));
    }
}

#[tokio::test]
async fn the_fault_control_exists_only_when_simulating() {
    let (up, _log) = upstream().await;
    let addr = proxy(&["--upstream", &format!("http://{up}")]).await;
    let r = client()
        .post(url(addr, "/_sim/fault"))
        .json(&serde_json::json!({"kind": "xss"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn offers_gives_northwind_that_many_offers_and_latency_delays_every_answer() {
    let addr = proxy(&["--simulate", "--offers", "120", "--latency", "150"]).await;
    let started = std::time::Instant::now();
    let response = fetch(addr, &format!("/api/publishers/northwind/offers?{V}")).await;
    let took = started.elapsed();
    assert_eq!(response.status(), 200);
    let offers: serde_json::Value = response.json().await.expect("json");
    assert_eq!(offers.as_array().map(Vec::len), Some(120));
    assert!(took >= std::time::Duration::from_millis(150), "{took:?}");
}

#[tokio::test]
async fn the_simulated_token_endpoint_answers_in_entras_shapes_and_can_fail() {
    let addr = proxy(&["--simulate", "--sim-token-lifetime", "120"]).await;
    let ask = |secret: &'static str| {
        client()
            .post(url(addr, "/_sim/login/contoso.onmicrosoft.com/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "grant_type=client_credentials&client_id=app&client_secret={secret}&resource=https%3A%2F%2Fcloudpartner.azure.com"
            ))
            .send()
    };
    let ok = ask("good").await.expect("send");
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "120");
    assert!(body["access_token"]
        .as_str()
        .is_some_and(|t| t.starts_with("sim-token-")));
    let wrong = ask("wrong").await.expect("send");
    assert_eq!(wrong.status(), 401);
    let body: serde_json::Value = wrong.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 7_000_215);
    // v2, with a scope and a client assertion instead of a secret.
    let v2 = client()
        .post(url(addr, "/_sim/login/t/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")
        .send()
        .await
        .expect("send");
    assert_eq!(v2.status(), 200);
    // Told to fail, it refuses until told otherwise.
    let set = |failing: bool| {
        client()
            .post(url(addr, "/_sim/token-endpoint"))
            .json(&serde_json::json!({ "failing": failing }))
            .send()
    };
    assert_eq!(set(true).await.expect("send").status(), 200);
    assert_eq!(ask("good").await.expect("send").status(), 503);
    assert_eq!(set(false).await.expect("send").status(), 200);
    assert_eq!(ask("good").await.expect("send").status(), 200);
}
