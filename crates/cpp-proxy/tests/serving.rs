//! Static serving of the app, log hygiene, and the binary's start and graceful shutdown.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;

fn site() -> std::path::PathBuf {
    let dir = temp_path("site");
    std::fs::create_dir_all(dir.join("assets")).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>app</title>").expect("write");
    std::fs::write(dir.join("app.js"), "export {}").expect("write");
    dir
}

#[tokio::test]
async fn serves_the_app_with_index_fallback_and_a_csp() {
    let dir = site();
    let addr = proxy(&["--simulate", "--static", dir.to_str().expect("utf-8")]).await;
    let r = fetch(addr, "/app.js").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("text"), "export {}");
    for route in [
        "/",
        "/demo/publishers/contoso/offers/x",
        "/live/publishers/a/offers/b/operations/c",
    ] {
        let r = fetch(addr, route).await;
        assert_eq!(r.status(), 200, "{route}");
        let csp = r
            .headers()
            .get("content-security-policy")
            .expect("csp")
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline")
        );
        assert!(r.text().await.expect("text").contains("<title>app</title>"));
    }
    assert_eq!(fetch(addr, "/missing.js").await.status(), 404);
    assert_eq!(fetch(addr, "/../../etc/passwd.txt").await.status(), 404);
    assert_eq!(fetch(addr, "/%2e%2e/secret.txt").await.status(), 404);
    assert_eq!(
        client()
            .post(url(addr, "/"))
            .send()
            .await
            .expect("send")
            .status(),
        405
    );
}

#[tokio::test]
async fn serves_under_a_sub_path() {
    let dir = site();
    let addr = proxy(&[
        "--simulate",
        "--static",
        dir.to_str().expect("utf-8"),
        "--static-prefix",
        "/ops/",
    ])
    .await;
    assert_eq!(fetch(addr, "/ops/app.js").await.status(), 200);
    assert_eq!(
        fetch(addr, "/ops/demo/publishers/a/offers/b")
            .await
            .status(),
        200
    );
    assert_eq!(fetch(addr, "/app.js").await.status(), 404);
    assert_eq!(fetch(addr, "/opsx/app.js").await.status(), 404);
}

#[tokio::test]
async fn a_static_dir_without_index_is_refused_at_start() {
    let empty = temp_path("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    assert!(
        cpp_proxy::AppState::from_args(&args(&["--static", empty.to_str().expect("utf-8")]))
            .await
            .is_err()
    );
}

/// A writer that keeps what the subscriber logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_line_per_request_and_the_token_never_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .json()
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let token_file = temp_path("log-token");
    std::fs::write(&token_file, "super-secret-token-value").expect("write token");
    let (up, _log) = upstream().await;
    let addr = proxy(&[
        "--upstream",
        &format!("http://{up}"),
        "--token-file",
        token_file.to_str().expect("utf-8"),
    ])
    .await;
    client()
        .get(url(addr, &format!("/api/publishers?{V}")))
        .header("authorization", "Bearer browser-secret-value")
        .send()
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let text = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        !text.contains("super-secret-token-value") && !text.contains("browser-secret-value"),
        "{text}"
    );
    assert!(!text.contains("api-version"), "no query strings in logs");
    let request_lines: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "request")
        .collect();
    assert_eq!(request_lines.len(), 1, "{text}");
    let fields = &request_lines[0]["fields"];
    assert_eq!(fields["method"], "GET");
    assert_eq!(fields["path"], "/api/publishers");
    assert_eq!(fields["status"], 200);
    assert!(fields["latency_ms"].is_number());
    assert!(fields["request_id"].is_string());
    let token = cpp_proxy::token::Token::new("super-secret-token-value")
        .expect("ok")
        .expect("some");
    assert_eq!(format!("{token:?}"), "Token(<redacted>)");
}

#[test]
fn the_binary_starts_and_stops_gracefully_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--simulate", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read");
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .expect("announces its address")
        .to_owned();
    let health = std::net::TcpStream::connect(address.trim_start_matches("http://"));
    assert!(health.is_ok(), "accepts connections at {address}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            assert!(exit.success(), "exits cleanly: {exit}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn bad_arguments_exit_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--allow-origin", "*"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never * or null"));
}
