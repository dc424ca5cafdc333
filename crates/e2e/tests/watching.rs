//! The watcher in the dashboard, in Chromium through the proxy: the overview marks the
//! offers the proxy watches and links to the *Watching* page, which shows the watched offers,
//! the channel's last delivery and the events told; *Send a test message* reaches the
//! channel's receiver and says so.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};

use e2e::{Browser, Server};

/// A receiver of webhooks on a loopback port: the paths it was sent, in order.
fn receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream);
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let body = String::from_utf8_lossy(&body).into_owned();
            seen.lock().expect("got").push(body);
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (port, got)
}

#[tokio::test]
async fn the_watching_page_shows_what_the_proxy_watches_and_sends_a_test_message() {
    let (port, got) = receiver();
    let dir = std::env::temp_dir().join(format!("e2e-watching-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("secret"),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
    )
    .expect("secret");
    let config = dir.join("watch.toml");
    std::fs::write(
        &config,
        format!(
            "[polling]\nrunning_every = \"2s\"\nidle_every = \"4s\"\n[alerts]\ngroup_wait = \"1s\"\n\
             [[watch]]\npublisher = \"contoso\"\n\
             [[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{port}/hook\"\nsecret_file = \"{}\"\n\
             [[rule]]\noffer = \"contoso-data-science-vm\"\nevents = [\"signoff\"]\nchannels = [\"bot\"]\n",
            dir.join("secret").display()
        ),
    )
    .expect("config");
    let state = dir.display().to_string();
    let config = config.display().to_string();
    let s = Server::simulator(&["--state-dir", &state, "--config", &config]);
    // The sign-off reaches the receiver before anyone opens a page.
    for _ in 0..300 {
        if !got.lock().expect("got").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        got.lock().expect("got").len(),
        1,
        "the sign-off was told once"
    );

    let b = Browser::start().await;
    b.goto(&s.url("/live/publishers/contoso")).await;
    b.wait("[data-testid=watched]").await;
    let marks = b.all("[data-testid=watched]").await.len();
    assert_eq!(marks, 5, "every offer of contoso is marked as watched");
    b.click("[data-testid=watching-link]").await;
    b.until(
        "the watching page",
        "location.pathname === '/live/publishers/contoso/watching'",
    )
    .await;
    b.wait("[data-testid=watched-offer]").await;
    let text = b.page_text().await;
    assert!(text.contains("What the proxy watches of contoso"), "{text}");
    assert!(text.contains("Last answer"), "{text}");
    assert!(text.contains("Contoso Data Science VM"), "{text}");
    assert!(
        text.contains("delivered (200)"),
        "the channel's last delivery: {text}"
    );
    assert!(
        text.contains("webhook · 127.0.0.1"),
        "the channel's host, never its URL: {text}"
    );
    let events = b
        .wait("[data-testid=watching-events]")
        .await
        .text()
        .await
        .expect("events");
    assert!(
        events.contains("Contoso Data Science VM: Waiting for your sign-off"),
        "{events}"
    );
    assert_eq!(b.all("[data-testid=watched-offer]").await.len(), 5);

    b.click("[data-testid=channel-test]").await;
    let result = b
        .wait("[data-testid=channel-test-result]")
        .await
        .text()
        .await
        .expect("result");
    assert_eq!(result, "Delivered (HTTP 200).");
    let bodies = got.lock().expect("got").clone();
    assert_eq!(bodies.len(), 2, "the test message reached the receiver");
    assert!(
        bodies[1].contains("Test message from cpp-proxy"),
        "{}",
        bodies[1]
    );
    let console = b.console().await;
    assert!(
        console
            .iter()
            .all(|m| !m.contains("Content Security Policy")),
        "{console:?}"
    );
    b.stop().await;
}

#[tokio::test]
async fn an_operation_page_takes_its_estimates_from_the_watchers_history_of_every_offer() {
    let dir = std::env::temp_dir().join(format!("e2e-watching-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("watch.toml");
    std::fs::write(
        &config,
        "[polling]\nrunning_every = \"1s\"\nidle_every = \"1s\"\n[[watch]]\npublisher = \"contoso\"\n",
    )
    .expect("config");
    let (state, config) = (dir.display().to_string(), config.display().to_string());
    // Simulated days pass in seconds: the watcher sees steps of other offers begin and end.
    let s = Server::simulator(&[
        "--speed",
        "20000",
        "--state-dir",
        &state,
        "--config",
        &config,
    ]);
    let b = Browser::start().await;
    // The IoT gateway has no completed publish of its own: its estimates can only come from
    // the watcher's runs of the publisher's other offers.
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-iot-edge"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let mut measured = false;
    for _ in 0..240 {
        let history = b
            .get_json("/dashboard/v1/history/contoso/contoso-iot-edge")
            .await;
        measured = history["steps"].as_array().is_some_and(|steps| {
            steps
                .iter()
                .any(|s| s["publisher"]["count"].as_u64().unwrap_or(0) >= 1)
        });
        if measured {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(measured, "the watcher measured no run");
    b.click("[data-testid=operation-row] a").await;
    b.until(
        "a step's estimate from every offer's runs",
        "[...document.querySelectorAll('[data-testid=step-estimate]')].some(e => e.innerText.includes('(all offers): median'))",
    )
    .await;
    b.stop().await;
}
