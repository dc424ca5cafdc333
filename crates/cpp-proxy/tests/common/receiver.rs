//! A local receiver of the watcher's messages: records every POST (path, headers, body,
//! when) and answers as the test says, by path and by how many it has had.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// One message received.
#[derive(Clone, Debug)]
pub struct Received {
    /// Its path.
    pub path: String,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body, as JSON.
    pub body: serde_json::Value,
    /// Its raw body.
    pub raw: Bytes,
    /// When.
    pub at: Instant,
    /// What the receiver answered.
    pub answered: u16,
}

/// How the receiver answers the `n`-th message (from 0) on `path`: a status and a
/// `Retry-After`, if any.
pub type Answer = Arc<dyn Fn(&str, usize) -> (u16, Option<&'static str>) + Send + Sync>;

/// Everything received so far.
#[derive(Clone, Default)]
pub struct Inbox(pub Arc<Mutex<Vec<Received>>>);

impl Inbox {
    /// The messages received on `path`.
    pub fn on(&self, path: &str) -> Vec<Received> {
        self.0
            .lock()
            .expect("inbox")
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Waits up to `limit` for `n` messages on `path` answered 2xx, and returns them all.
    pub async fn wait_for(&self, path: &str, n: usize, limit: Duration) -> Vec<Received> {
        let deadline = Instant::now() + limit;
        loop {
            let got = self.on(path);
            if got.iter().filter(|r| r.answered < 300).count() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn receive(State((inbox, answer)): State<(Inbox, Answer)>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let raw = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let n = inbox.on(&path).len();
    let (status, retry_after) = answer(&path, n);
    inbox.0.lock().expect("inbox").push(Received {
        path,
        headers,
        body: serde_json::from_slice(&raw).unwrap_or_default(),
        raw,
        at: Instant::now(),
        answered: status,
    });
    let mut response = StatusCode::from_u16(status)
        .unwrap_or(StatusCode::OK)
        .into_response();
    if let Some(after) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", after.parse().expect("header"));
    }
    response
}

/// A receiver on `listener` answering as `answer` says.
pub async fn start_on(listener: tokio::net::TcpListener, answer: Answer) -> Inbox {
    let inbox = Inbox::default();
    let app = Router::new()
        .fallback(receive)
        .with_state((inbox.clone(), answer));
    tokio::spawn(async move { axum::serve(listener, app).await });
    inbox
}

/// A receiver on a fresh loopback port.
pub async fn start(answer: Answer) -> (SocketAddr, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    (addr, start_on(listener, answer).await)
}

/// A receiver that takes everything.
pub fn ok() -> Answer {
    Arc::new(|_, _| (200, None))
}
