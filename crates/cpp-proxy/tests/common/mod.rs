//! Shared helpers: a recording fake upstream and the proxy, each on 127.0.0.1:0.

#![allow(dead_code)]

pub mod browser;
pub mod postgres;
pub mod receiver;
pub mod smtp;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
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
use tokio::io::{AsyncRead, AsyncReadExt};

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

/// Everything the fake upstream saw, and a signal for each request as it arrives.
pub type Log = Arc<Recorded>;

/// The fake upstream's record.
#[derive(Default)]
pub struct Recorded {
    seen: Mutex<Vec<Seen>>,
    arrived: tokio::sync::Notify,
}

impl Recorded {
    /// The requests so far.
    pub fn lock(&self) -> std::sync::LockResult<std::sync::MutexGuard<'_, Vec<Seen>>> {
        self.seen.lock()
    }

    fn push(&self, seen: Seen) {
        self.seen.lock().expect("log").push(seen);
        self.arrived.notify_waiters();
    }

    /// Resolves once a request whose path and query contain `fragment` has arrived (at
    /// once if one has): the fake upstream's signal that the proxy sent it.
    pub async fn arrival(&self, fragment: &str) {
        loop {
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let found = (self.seen.lock().expect("log"))
                .iter()
                .any(|s| s.path_and_query.contains(fragment));
            if found {
                return;
            }
            arrived.await;
        }
    }
}

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
            seen.push(Seen {
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
    if path.contains("/offers/stall-body/") {
        // Promises 100,000 bytes, sends two, then never another.
        let mut r = json(StatusCode::OK, "");
        *r.body_mut() = Body::new(StallingBody(false));
        return r;
    }
    if path.contains("/offers/bomb/") {
        // 8 MiB of JSON in about 8 KiB of gzip.
        let mut body = b"[\"".to_vec();
        body.extend(std::iter::repeat_n(b'a', 8 * 1024 * 1024));
        body.extend_from_slice(b"\"]");
        let mut r = json(StatusCode::OK, "");
        r.headers_mut()
            .insert("content-encoding", "gzip".parse().expect("value"));
        *r.body_mut() = Body::from(gzip(&body));
        return r;
    }
    if path.contains("/offers/gzipped/") {
        let mut r = json(StatusCode::OK, "");
        r.headers_mut()
            .insert("content-encoding", "gzip".parse().expect("value"));
        *r.body_mut() = Body::from(gzip(big_json().as_bytes()));
        return r;
    }
    if path.contains("/offers/big/") {
        return json(StatusCode::OK, &big_json());
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
    if path.starts_with("/api/publishers?") {
        return json(
            StatusCode::OK,
            r#"[{"id":"contoso","name":"Contoso"},{"id":"fabrikam","name":"Fabrikam"}]"#,
        );
    }
    if path.contains("/cancel") || path.contains("/golive") {
        let mut r = StatusCode::ACCEPTED.into_response();
        // The 2020 pages name the header Location; the 2018 ones Operation-Location.
        let header = if path.contains("/golive") {
            "location"
        } else {
            "operation-location"
        };
        r.headers_mut().insert(
            header,
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

/// A body of announced size that stops after its first frame.
struct StallingBody(bool);

impl http_body::Body for StallingBody {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        if self.0 {
            return std::task::Poll::Pending;
        }
        self.0 = true;
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(bytes::Bytes::from_static(
            b"[{",
        )))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(100_000)
    }
}

/// Gzip-compressed bytes.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compress");
    encoder.finish().expect("compress")
}

/// A JSON list of 300 operations (about 30 KB): worth compressing.
pub fn big_json() -> String {
    let rows: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"id":"op-{i:04}","submissionState":"running","slot":"staging"}}"#))
        .collect();
    format!("[{}]", rows.join(","))
}

/// A proxy binary running in its own process, stopped when dropped.
pub struct Running {
    /// The process.
    pub child: std::process::Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the proxy binary on a free port with `args` and `env` (set for that process only,
/// never in the test process, whose threads run tests side by side).
pub fn spawn_proxy(args: &[&str], env: &[(&str, &str)]) -> Running {
    spawn_proxy_at(0, args, env)
}

/// [`spawn_proxy`] on `port` (0 for any).
pub fn spawn_proxy_at(port: u16, args: &[&str], env: &[(&str, &str)]) -> Running {
    use std::io::BufRead;
    let listen = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--listen", listen.as_str()])
        .args(args)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the proxy");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the address line");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .expect("announces its address")
        .to_owned();
    Running { child, base }
}

impl Running {
    /// GETs `path` from the process and reads the answer as JSON, checking that it may not
    /// be cached.
    pub async fn json(&self, path: &str) -> serde_json::Value {
        let answer = client()
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(answer.headers()["cache-control"], "no-store", "{path}");
        answer
            .json()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// A path in the temporary folder no other test (or run) uses: `cpp-proxy-{name}-{pid}-{n}`.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("cpp-proxy-{name}-{}-{n}", std::process::id()))
}

/// A fake upstream and a proxy forwarding to it with `extra` arguments.
pub async fn pair(extra: &[&str]) -> (SocketAddr, Log) {
    let (up, log) = upstream().await;
    let upstream_url = format!("http://{up}");
    let mut all = vec!["--upstream", upstream_url.as_str()];
    all.extend_from_slice(extra);
    (proxy(&all).await, log)
}

/// Proxy arguments, as on the command line.
pub fn args(extra: &[&str]) -> Args {
    let mut all = vec!["cpp-proxy"];
    all.extend_from_slice(extra);
    Args::parse_from(all)
}

/// The proxy with `extra` arguments, on a fresh loopback port.
pub async fn proxy(extra: &[&str]) -> SocketAddr {
    let state = AppState::from_args(&args(extra))
        .await
        .expect("valid arguments");
    serve_state(state, cpp_proxy::serve::Limits::default()).await
}

/// `state` served within `limits` on a fresh loopback port, as `main` serves it.
pub async fn serve_state(state: AppState, limits: cpp_proxy::serve::Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    state.listening_on(addr);
    tokio::spawn(cpp_proxy::serve::serve(
        listener,
        app(state),
        limits,
        std::future::pending(),
    ));
    addr
}

/// A client that never follows redirects, never adds an Origin, and never asks for or
/// decodes compression by itself (the proxy's reqwest has gzip on, and features unify): the
/// tests see exactly what a browser would receive.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .no_gzip()
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

/// A raw server on a fresh loopback port: each accepted connection goes to `serve` in a task
/// of its own, with a counter that `serve` adds to when the connection counts (at once, or
/// after a TLS handshake). Returns the address and the counter.
pub async fn raw_server<F, Fut>(serve: F) -> (SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream, Arc<AtomicUsize>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let counted = Arc::new(AtomicUsize::new(0));
    let count = counted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, count.clone()));
        }
    });
    (addr, counted)
}

/// The path of the next request, its body (by `Content-Length`) read and dropped, or `None`
/// at the end.
pub async fn read_request<S: AsyncRead + Unpin>(socket: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8(head).ok()?;
    let length = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    socket.read_exact(&mut body).await.ok()?;
    text.split(' ').nth(1).map(str::to_owned)
}

/// The test service principal's client secret.
pub const SECRET: &str = "s3cr3t+value/with=signs";

/// A service principal with [`SECRET`], read as the proxy reads one from its environment.
pub fn principal() -> cpp_proxy::credentials::ServicePrincipal {
    let env: std::collections::HashMap<&str, &str> = [
        ("CPP_PROXY_TENANT_ID", "contoso.onmicrosoft.com"),
        (
            "CPP_PROXY_CLIENT_ID",
            "11111111-2222-3333-4444-555555555555",
        ),
        ("CPP_PROXY_CLIENT_SECRET", SECRET),
    ]
    .into();
    cpp_proxy::credentials::ServicePrincipal::load(
        |name| env.get(name).map(|v| (*v).to_owned()),
        None,
        None,
    )
    .expect("valid")
    .expect("configured")
}

/// Connecting out with `trust`, and five seconds to answer.
pub fn outbound(trust: cpp_proxy::connector::Trust) -> cpp_proxy::connector::Outbound {
    cpp_proxy::connector::Outbound::new(&trust, Duration::from_secs(5))
}
