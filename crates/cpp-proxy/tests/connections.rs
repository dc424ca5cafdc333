//! What a connection may take of the proxy, on real sockets: a client that sends half a
//! request head and goes quiet is closed after the header-read timeout while everyone else is
//! still answered; a kept-alive connection outlives the header timeout but not the idle one;
//! past the connection cap a new connection is closed at once, and those held go on being
//! answered. Each wait for a close is bounded only so that a broken build fails instead of
//! hanging; no test measures how fast anything is.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use cpp_proxy::serve::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest any test waits for a close that should come after a few seconds.
const GIVE_UP: Duration = Duration::from_secs(30);

/// The simulating proxy served within `limits`.
async fn proxy_within(limits: Limits) -> SocketAddr {
    let state = cpp_proxy::AppState::from_args(&args(&["--simulate"]))
        .await
        .expect("valid arguments");
    serve_state(state, limits).await
}

/// Reads until the proxy closes the connection; `true` when it did (EOF or a reset) before
/// [`GIVE_UP`].
async fn closed(socket: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    let read_to_end = async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(GIVE_UP, read_to_end).await.is_ok()
}

/// One request on an open connection, and the status line of its answer (read to the end of
/// its `Content-Length`).
async fn ask(socket: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: proxy\r\n\r\n");
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed before answering {path}");
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .expect("a content-length");
            if body.len() >= length {
                return head.lines().next().unwrap_or_default().to_owned();
            }
        }
    }
}

#[tokio::test]
async fn half_a_head_is_closed_after_the_header_timeout_while_others_are_answered() {
    let addr = proxy_within(Limits {
        header_read: Duration::from_secs(2),
        ..Limits::default()
    })
    .await;
    let mut quiet = Vec::new();
    for _ in 0..200 {
        let mut socket = TcpStream::connect(addr).await.expect("connect");
        socket
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: proxy\r\nX-Half: a")
            .await
            .expect("write");
        quiet.push(socket);
    }
    // Meanwhile, health and an API request are answered.
    assert_eq!(fetch(addr, "/healthz").await.status(), 200);
    let api = format!("/api/publishers/contoso/offers?{V}");
    assert_eq!(fetch(addr, &api).await.status(), 200);
    let started = tokio::time::Instant::now();
    for socket in &mut quiet {
        assert!(closed(socket).await, "a half head was never closed");
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "closed before the header timeout could have passed"
    );
    assert_eq!(fetch(addr, "/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_connection_that_never_speaks_is_held_to_the_header_timeout() {
    let addr = proxy_within(Limits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(600),
        ..Limits::default()
    })
    .await;
    let mut socket = TcpStream::connect(addr).await.expect("connect");
    assert!(closed(&mut socket).await);
}

#[tokio::test]
async fn a_kept_alive_connection_outlives_the_header_timeout_but_not_the_idle_one() {
    let addr = proxy_within(Limits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(4),
        ..Limits::default()
    })
    .await;
    let mut socket = TcpStream::connect(addr).await.expect("connect");
    assert!(ask(&mut socket, "/healthz").await.contains("200"));
    // Longer than the header timeout: a kept-alive connection waiting is not a slow head.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(ask(&mut socket, "/healthz").await.contains("200"));
    let quiet_since = tokio::time::Instant::now();
    assert!(
        closed(&mut socket).await,
        "an idle connection was never closed"
    );
    assert!(quiet_since.elapsed() >= Duration::from_secs(3));
}

#[tokio::test]
async fn past_the_cap_new_connections_are_closed_and_held_ones_still_answered() {
    let addr = proxy_within(Limits {
        max_connections: 8,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut socket = TcpStream::connect(addr).await.expect("connect");
        assert!(ask(&mut socket, "/healthz").await.contains("200"));
        held.push(socket);
    }
    for _ in 0..20 {
        let mut extra = TcpStream::connect(addr).await.expect("the kernel accepts");
        let _ = extra
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: proxy\r\n\r\n")
            .await;
        assert!(
            closed(&mut extra).await,
            "a connection over the cap was served"
        );
    }
    for socket in &mut held {
        assert!(ask(socket, "/healthz").await.contains("200"));
    }
    // A slot freed is a slot to use.
    drop(held.pop());
    let mut next = None;
    for _ in 0..100 {
        let mut socket = TcpStream::connect(addr).await.expect("connect");
        let request = b"GET /healthz HTTP/1.1\r\nHost: proxy\r\n\r\n";
        let mut first = [0u8; 12];
        if socket.write_all(request).await.is_ok()
            && socket.read_exact(&mut first).await.is_ok()
            && first.starts_with(b"HTTP/1.1 200")
        {
            next = Some(socket);
            break;
        }
        // The closed connection's slot is freed when its task ends: soon, not at once.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(next.is_some(), "the freed slot was never given out");
}
