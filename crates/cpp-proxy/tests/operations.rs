//! Running the proxy for real: the API's in-flight limit (static files exempt, clients told
//! apart behind a trusted front end only), readiness, and draining on shutdown.

mod common;

use std::time::Duration;

use common::*;

fn site() -> std::path::PathBuf {
    let dir = temp_path("ops");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<!doctype html>").expect("write");
    dir
}

const SLOW: &str = "/api/publishers/contoso/offers/slow/status?api-version=2017-10-31";

async fn get_as(addr: std::net::SocketAddr, path: &str, forwarded: Option<&str>) -> u16 {
    let mut request = client().get(url(addr, path));
    if let Some(ip) = forwarded {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.expect("send").status().as_u16()
}

#[tokio::test]
async fn a_stalled_upstream_never_blocks_the_apps_own_files() {
    let (up, log) = upstream().await;
    let dir = site();
    let addr = proxy(&[
        "--upstream",
        &format!("http://{up}"),
        "--static",
        dir.to_str().expect("utf-8"),
        "--max-in-flight-per-client",
        "1",
    ])
    .await;
    let slow = tokio::spawn(async move { get_as(addr, SLOW, None).await });
    log.arrival("/offers/slow/").await;
    assert_eq!(
        get_as(addr, &format!("/api/publishers?{V}"), None).await,
        429
    );
    for path in ["/", "/index.html", "/live/publishers/a/offers/b"] {
        assert_eq!(get_as(addr, path, None).await, 200, "{path}");
    }
    assert_eq!(slow.await.expect("join"), 200);
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_front_end() {
    let (up, log) = upstream().await;
    let upstream_url = format!("http://{up}");
    let base = [
        "--upstream",
        upstream_url.as_str(),
        "--max-in-flight-per-client",
        "1",
    ];

    let mut trusted = base.to_vec();
    trusted.extend(["--trusted-front-end", "127.0.0.0/8"]);
    let addr = proxy(&trusted).await;
    let slow = tokio::spawn(async move { get_as(addr, SLOW, Some("203.0.113.1")).await });
    log.arrival("/offers/slow/").await;
    let other = format!("/api/publishers?{V}");
    assert_eq!(
        get_as(addr, &other, Some("203.0.113.2")).await,
        200,
        "another user"
    );
    assert_eq!(
        get_as(addr, &other, Some("203.0.113.1")).await,
        429,
        "the same user"
    );
    assert_eq!(slow.await.expect("join"), 200);

    // Without the option the header is anyone's to forge, so it is ignored.
    let (up, log) = upstream().await;
    let upstream_url = format!("http://{up}");
    let addr = proxy(&[
        "--upstream",
        upstream_url.as_str(),
        "--max-in-flight-per-client",
        "1",
    ])
    .await;
    let slow = tokio::spawn(async move { get_as(addr, SLOW, Some("203.0.113.1")).await });
    log.arrival("/offers/slow/").await;
    assert_eq!(get_as(addr, &other, Some("203.0.113.2")).await, 429);
    assert_eq!(slow.await.expect("join"), 200);
}

#[tokio::test]
async fn a_bad_front_end_is_refused_at_start() {
    assert!(
        cpp_proxy::AppState::from_args(&args(&["--trusted-front-end", "lb.example"]))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn readiness_needs_a_token_when_forwarding() {
    let (up, _log) = upstream().await;
    let upstream_url = format!("http://{up}");
    let addr = proxy(&[
        "--upstream",
        &upstream_url,
        "--token-env",
        "CPP_PROXY_UNSET_VARIABLE_FOR_TEST",
    ])
    .await;
    let r = fetch(addr, "/readyz").await;
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body["reason"]
        .as_str()
        .is_some_and(|r| r.contains("No token")));
    assert_eq!(
        fetch(addr, "/healthz").await.status(),
        200,
        "alive all the same"
    );

    let token = temp_path("ready");
    std::fs::write(&token, "a-token").expect("write");
    let addr = proxy(&[
        "--upstream",
        &upstream_url,
        "--token-file",
        token.to_str().expect("utf-8"),
    ])
    .await;
    assert_eq!(fetch(addr, "/readyz").await.status(), 200);
    let addr = proxy(&["--simulate"]).await;
    assert_eq!(fetch(addr, "/readyz").await.status(), 200);
}

#[test]
fn the_upstream_gives_up_before_the_app_does() {
    // The app's own timeout is 20 s: the proxy must answer 504 first.
    assert!(args(&[]).timeout_secs < 20);
}

#[tokio::test]
async fn shutdown_drains_requests_in_flight() {
    let (up, log) = upstream().await;
    let mut proxy = spawn_proxy(&["--upstream", &format!("http://{up}")], &[]);
    let base = proxy.base.clone();
    let request = tokio::spawn(async move {
        let r = client()
            .get(format!("{base}{SLOW}"))
            .send()
            .await
            .expect("send");
        (r.status().as_u16(), r.text().await.expect("body"))
    });
    log.arrival("/offers/slow/").await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &proxy.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let (code, body) = request.await.expect("join");
    assert_eq!(code, 200, "the request in flight is answered");
    assert!(body.contains("op-1"), "{body}");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(exit) = proxy.child.try_wait().expect("wait") {
            assert!(exit.success(), "exits cleanly: {exit}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = proxy.base.trim_start_matches("http://").to_owned();
    assert!(
        std::net::TcpStream::connect(after).is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn a_credential_of_its_own_beyond_loopback_needs_allow_anonymous() {
    let token = temp_path("open");
    std::fs::write(&token, "a-token").expect("write");
    let token = token.to_str().expect("utf-8").to_owned();
    let open = ["--listen", "0.0.0.0:8787", "--token-file", token.as_str()];
    let refused = cpp_proxy::AppState::from_args(&args(&open)).await;
    let message = refused.err().expect("refused").to_string();
    assert!(
        message.starts_with("refusing to listen on 0.0.0.0:8787 with a credential")
            && message.contains("--allow-anonymous")
            && message.contains("loopback"),
        "{message}"
    );
    // The binary says so and stops, before it listens.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--listen", "0.0.0.0:0", "--token-file", token.as_str()])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to listen"));
    // On loopback, or holding no credential, or in the simulator, it starts.
    for ok in [
        vec!["--listen", "127.0.0.1:8787", "--token-file", token.as_str()],
        vec!["--listen", "[::1]:8787", "--token-file", token.as_str()],
        vec![
            "--listen",
            "0.0.0.0:8787",
            "--token-env",
            "CPP_PROXY_UNSET_VARIABLE_FOR_TEST",
        ],
        vec!["--listen", "0.0.0.0:8787", "--simulate"],
    ] {
        assert!(
            cpp_proxy::AppState::from_args(&args(&ok)).await.is_ok(),
            "{ok:?}"
        );
    }
    // Told to, it starts, and readiness says what that means.
    let mut anonymous = open.to_vec();
    anonymous.push("--allow-anonymous");
    let state = cpp_proxy::AppState::from_args(&args(&anonymous))
        .await
        .expect("allowed");
    assert!(state.anonymous());
    let addr = serve_state(state, cpp_proxy::serve::Limits::default()).await;
    let ready: serde_json::Value = fetch(addr, "/readyz").await.json().await.expect("json");
    assert_eq!(ready["anonymous"], true, "{ready}");
    assert!(ready["warning"]
        .as_str()
        .is_some_and(|w| w.contains("acts as the publisher")));
}
