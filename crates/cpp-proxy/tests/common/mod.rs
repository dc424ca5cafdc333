//! Shared helpers: a recording fake upstream and the proxy, each on 127.0.0.1:0.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Parser;
use cpp_proxy::config::Args;
use cpp_proxy::{app, AppState};

/// What the fake upstream saw.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Request method.
    pub method: String,
    /// Path and query as received.
    pub path_and_query: String,
    /// Headers as received.
    pub headers: HeaderMap,
    /// Body as received.
    pub body: Vec<u8>,
}

/// Everything the fake upstream saw.
pub type Log = Arc<Mutex<Vec<Seen>>>;

/// Serves `router` on a fresh loopback port.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    addr
}

/// A fake CPP service: records every request; some paths behave specially.
pub async fn upstream() -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let seen = log.clone();
    let router = Router::new().fallback(move |request: Request| {
        let seen = seen.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default()
                .to_vec();
            let path = parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default();
            seen.lock().expect("log").push(Seen {
                method: parts.method.to_string(),
                path_and_query: path.clone(),
                headers: parts.headers.clone(),
                body,
            });
            let host = parts
                .headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            upstream_answer(&path, &host).await
        }
    });
    (serve(router).await, log)
}

async fn upstream_answer(path: &str, host: &str) -> Response {
    let json = |status: StatusCode, body: &str| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("set-cookie", "session=secret")
            .header("x-powered-by", "fake")
            .header("connection", "close")
            .body(Body::from(body.to_owned()))
            .expect("response")
    };
    if path.contains("/offers/slow/") {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    if path.contains("/offers/redirect/") {
        return Response::builder()
            .status(StatusCode::FOUND)
            .header("location", "https://elsewhere.example/")
            .body(Body::empty())
            .expect("response");
    }
    if path.contains("/offers/huge/") {
        return json(
            StatusCode::OK,
            &format!("[\"{}\"]", "x".repeat(2 * 1024 * 1024)),
        );
    }
    if path.contains("/offers/busy/") {
        let mut r = json(
            StatusCode::TOO_MANY_REQUESTS,
            r#"{"error":{"code":"TooMany","message":"slow down"}}"#,
        );
        r.headers_mut()
            .insert("retry-after", "7".parse().expect("value"));
        return r;
    }
    if path.contains("/cancel") {
        let mut r = StatusCode::ACCEPTED.into_response();
        r.headers_mut().insert(
            "operation-location",
            format!("http://{host}/api/publishers/contoso/offers/o/operations/abc?api-version=2017-10-31")
                .parse()
                .expect("value"),
        );
        return r;
    }
    json(
        StatusCode::OK,
        r#"[{"id":"op-1","submissionState":"running"}]"#,
    )
}

/// Proxy arguments, as on the command line.
pub fn args(extra: &[&str]) -> Args {
    let mut all = vec!["cpp-proxy"];
    all.extend_from_slice(extra);
    Args::parse_from(all)
}

/// The proxy with `extra` arguments, on a fresh loopback port.
pub async fn proxy(extra: &[&str]) -> SocketAddr {
    let state = AppState::from_args(&args(extra)).expect("valid arguments");
    serve(app(state)).await
}

/// A client that never follows redirects and never adds an Origin.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

/// The query every API call carries.
pub const V: &str = "api-version=2017-10-31";

/// `http://addr/path`.
pub fn url(addr: SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

/// `GET` of a path and query on `addr`, with the test client.
pub async fn fetch(addr: SocketAddr, path_and_query: &str) -> reqwest::Response {
    client()
        .get(url(addr, path_and_query))
        .send()
        .await
        .expect("send")
}
