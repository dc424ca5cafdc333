//! The connections to the upstream: kept alive and used again, replaced when the server has
//! closed them (before or after taking the request), and never used again after an answer
//! that was not read to its end. The upstream here is raw TCP, so that each test decides
//! exactly when a connection closes.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How the raw upstream treats a connection after each answer.
#[derive(Clone, Copy)]
enum After {
    /// Waits for the next request.
    KeepAlive,
    /// Closes the connection at once, without saying so in the answer.
    Close,
    /// Reads the next request, then closes without answering it.
    TakeThenClose,
}

/// A raw HTTP/1.1 upstream answering each request with its path in a JSON string (or, for a
/// path with `/big/`, the start of 4 MiB of JSON that never ends); counts the connections it
/// accepted.
async fn raw_upstream(after: After) -> (SocketAddr, Arc<AtomicUsize>) {
    raw_server(move |mut socket, count| async move {
        count.fetch_add(1, Ordering::SeqCst);
        let mut answered = 0;
        while let Some(path) = read_request(&mut socket).await {
            if answered > 0 && matches!(after, After::TakeThenClose) {
                return;
            }
            if path.contains("/big/") {
                // Part of a large answer, then nothing more until the proxy lets go of the
                // connection: the answer can never end, so its connection must not be used
                // again.
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            content-length: 4194304\r\n\r\n[\"";
                let part = "x".repeat(64 * 1024);
                if socket.write_all(head.as_bytes()).await.is_ok()
                    && socket.write_all(part.as_bytes()).await.is_ok()
                {
                    let _ = socket.read(&mut [0u8; 1]).await;
                }
                return;
            }
            let body = format!("[\"{path}\"]");
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if socket.write_all(head.as_bytes()).await.is_err()
                || socket.write_all(body.as_bytes()).await.is_err()
            {
                return;
            }
            answered += 1;
            if matches!(after, After::Close) {
                return;
            }
        }
    })
    .await
}

async fn proxy_to(up: SocketAddr) -> SocketAddr {
    proxy(&["--upstream", &format!("http://{up}")]).await
}

fn path(offer: &str) -> String {
    format!("/api/publishers/contoso/offers/{offer}/submissions?{V}")
}

async fn get_ok(addr: SocketAddr, offer: &str) -> String {
    let r = fetch(addr, &path(offer)).await;
    assert_eq!(r.status(), 200, "{offer}");
    r.text().await.expect("body")
}

#[tokio::test]
async fn a_kept_alive_connection_serves_request_after_request() {
    let (up, accepted) = raw_upstream(After::KeepAlive).await;
    let addr = proxy_to(up).await;
    for i in 0..5 {
        let offer = format!("o{i}");
        let body = get_ok(addr, &offer).await;
        assert!(body.contains(&format!("/offers/{offer}/")), "{body}");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced() {
    let (up, accepted) = raw_upstream(After::Close).await;
    let addr = proxy_to(up).await;
    for i in 0..4 {
        let offer = format!("c{i}");
        assert!(get_ok(addr, &offer).await.contains(&offer));
        if i % 2 == 1 {
            // Time for the close to arrive before the next request, too.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_get_the_server_took_and_never_answered_goes_out_again() {
    let (up, accepted) = raw_upstream(After::TakeThenClose).await;
    let addr = proxy_to(up).await;
    for i in 0..3 {
        let offer = format!("t{i}");
        assert!(get_ok(addr, &offer).await.contains(&offer));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_answer_left_unread_closes_its_connection() {
    let (up, accepted) = raw_upstream(After::KeepAlive).await;
    let addr = proxy_to(up).await;
    {
        let r = fetch(addr, &path("big")).await;
        assert_eq!(r.status(), 200);
        // Dropped with most of its 4 MiB never sent.
    }
    // The next answer is its own, not the rest of the last one.
    let body = get_ok(addr, "after").await;
    assert!(
        body.contains("/offers/after/"),
        "{}",
        &body[..body.len().min(80)]
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

/// A raw upstream that answers every request with `answer`, byte for byte, then keeps the
/// connection open for the next (or, with `close`, closes it); counts its connections.
async fn scripted_upstream(answer: &'static str, close: bool) -> (SocketAddr, Arc<AtomicUsize>) {
    raw_server(move |mut socket, count| async move {
        count.fetch_add(1, Ordering::SeqCst);
        while read_request(&mut socket).await.is_some() {
            if socket.write_all(answer.as_bytes()).await.is_err() || close {
                return;
            }
        }
    })
    .await
}

/// Two requests through the proxy to a scripted upstream: each answer's body, and how many
/// connections the upstream saw.
async fn twice(answer: &'static str, close: bool) -> (Vec<String>, usize) {
    let (up, accepted) = scripted_upstream(answer, close).await;
    let addr = proxy_to(up).await;
    let mut bodies = Vec::new();
    for offer in ["one", "two"] {
        bodies.push(get_ok(addr, offer).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (bodies, accepted.load(Ordering::SeqCst))
}

#[tokio::test]
async fn a_chunked_answer_is_passed_on_whole_and_its_connection_kept() {
    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                  Transfer-Encoding: chunked\r\n\r\n4;x=y\r\n[\"ab\r\n2\r\n\"]\r\n0\r\nT: 1\r\n\r\n";
    assert_eq!(twice(answer, false).await, (vec!["[\"ab\"]".into(); 2], 1));
}

#[tokio::test]
async fn an_answer_ended_by_closing_is_read_to_its_end_and_not_used_again() {
    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[1,2,3]";
    assert_eq!(twice(answer, true).await, (vec!["[1,2,3]".into(); 2], 2));
}

#[tokio::test]
async fn an_answer_saying_close_is_not_used_again() {
    // The server says so, yet leaves the connection open: the proxy takes its word.
    let answer = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n[]";
    assert_eq!(twice(answer, false).await, (vec!["[]".into(); 2], 2));
}

#[tokio::test]
async fn an_informational_head_before_the_answer_is_skipped() {
    let answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n[7]";
    assert_eq!(twice(answer, false).await, (vec!["[7]".into(); 2], 1));
}

#[tokio::test]
async fn an_answer_the_proxy_cannot_frame_is_a_502_in_words() {
    let unframed = "not HTTP the proxy reads";
    for (answer, says) in [
        ("SSH-2.0-OpenSSH_9.2\r\n\r\n", unframed),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n[1]",
            unframed,
        ),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            unframed,
        ),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "could not be read",
        ),
    ] {
        let (up, _) = scripted_upstream(answer, false).await;
        let addr = proxy_to(up).await;
        let r = fetch(addr, &path("x")).await;
        assert_eq!(r.status(), 502, "{answer:?}");
        let text = r.text().await.expect("body");
        assert!(text.contains(says), "{answer:?}: {text}");
    }
}

#[tokio::test]
async fn an_answer_cut_short_never_reaches_the_browser_as_complete() {
    let (up, _) = scripted_upstream(
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[\"only part",
        true,
    )
    .await;
    let addr = proxy_to(up).await;
    // Its head may already be on the way: then the answer breaks off, never ends cleanly.
    let sent = client().get(url(addr, &path("x"))).send().await;
    match sent {
        Ok(r) => assert!(
            r.text().await.is_err(),
            "a cut answer must fail in the browser"
        ),
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    // A chunked answer is read whole first: cut short, it is a 502, not a shorter body.
    let (up, _) = scripted_upstream(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[1,2]\r\n",
        true,
    )
    .await;
    let r = fetch(proxy_to(up).await, &path("x")).await;
    assert_eq!(r.status(), 502);
    assert!(r.text().await.expect("body").contains("could not be read"));
}

#[tokio::test]
async fn a_post_the_server_took_and_never_answered_is_not_sent_again() {
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let (up, _) = raw_server(move |mut socket, _| {
        let seen = seen.clone();
        async move {
            let mut answered = 0;
            while read_request(&mut socket).await.is_some() {
                seen.fetch_add(1, Ordering::SeqCst);
                if answered > 0 {
                    // The kept connection takes the request, then closes without a word.
                    return;
                }
                let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]";
                if socket.write_all(answer.as_bytes()).await.is_err() {
                    return;
                }
                answered += 1;
            }
        }
    })
    .await;
    let addr = proxy_to(up).await;
    get_ok(addr, "kept").await;
    let cancel = format!("/api/publishers/contoso/offers/kept/cancel?{V}");
    let r = client()
        .post(url(addr, &cancel))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 502);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "the cancel went out once"
    );
}
