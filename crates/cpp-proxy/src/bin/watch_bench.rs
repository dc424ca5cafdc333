//! The watcher's figures for `scripts/bench.sh`: `cpp-proxy --watch` (the release binary) on
//! 200 offers of a local fake service, 20 of them running. It prints the upstream requests
//! per second (the most in any one second, and the mean), the time from a change at the
//! service to the message at a local webhook receiver, and the proxy's memory. Nothing is
//! asserted: the figures are read.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::response::IntoResponse;

const OFFERS: usize = 200;
const RUNNING: usize = 20;
/// The offer that changes: running, then waiting for the publisher's sign-off.
const CHANGING: usize = 7;

#[derive(Default)]
struct Service {
    requests: Vec<Instant>,
    polled: std::collections::BTreeSet<usize>,
    changed_at: Option<Instant>,
}

fn status(i: usize, changed: bool) -> serde_json::Value {
    let step = |name: &str, status: &str| serde_json::json!({ "id": name, "stepName": name, "status": status });
    if i == CHANGING && changed {
        return serde_json::json!({ "status": "waitingForPublisherReview", "steps": [
            step("certification", "completed"), step("publisher-signoff", "waitingForPublisherReview") ] });
    }
    let s = if i < RUNNING { "running" } else { "completed" };
    serde_json::json!({ "status": s, "steps": [ step("certification", s), step("publisher-signoff", if i < RUNNING { "notStarted" } else { "completed" }) ] })
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let running_every = arg("--running-every", 30);
    let service = Arc::new(Mutex::new(Service::default()));
    let shared = service.clone();
    let upstream = axum::Router::new().fallback(move |request: Request| {
        let shared = shared.clone();
        async move {
            let mut s = shared.lock().expect("service");
            s.requests.push(Instant::now());
            let path = request.uri().path().to_owned();
            let body = if path.ends_with("/offers") {
                serde_json::Value::Array(
                    (0..OFFERS)
                        .map(|i| serde_json::json!({ "id": format!("offer-{i}"), "definition": { "displayText": format!("Offer {i}") } }))
                        .collect(),
                )
            } else {
                let i: usize = path.rsplit('/').nth(1).and_then(|o| o.strip_prefix("offer-")).and_then(|n| n.parse().ok()).unwrap_or(0);
                s.polled.insert(i);
                status(i, s.changed_at.is_some())
            };
            axum::Json(body).into_response()
        }
    });
    let received = Arc::new(Mutex::new(None::<Instant>));
    let got = received.clone();
    let receiver = axum::Router::new().fallback(move || {
        let got = got.clone();
        async move {
            got.lock()
                .expect("received")
                .get_or_insert_with(Instant::now);
            axum::http::StatusCode::NO_CONTENT
        }
    });
    let up = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let rx = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let (up_addr, rx_addr) = (
        up.local_addr().expect("addr"),
        rx.local_addr().expect("addr"),
    );
    tokio::spawn(async move { axum::serve(up, upstream).await });
    tokio::spawn(async move { axum::serve(rx, receiver).await });

    let dir = std::env::temp_dir().join(format!("watch-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("watch.toml");
    std::fs::write(
        &config,
        format!(
            "[polling]\nrunning_every = \"{running_every}s\"\nidle_every = \"15m\"\n[alerts]\ngroup_wait = \"1s\"\n\
             [[watch]]\npublisher = \"northwind\"\n\
             [[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://{rx_addr}/hook\"\nsecret_env = \"BENCH_SECRET\"\n\
             [[rule]]\nevents = [\"signoff\"]\nchannels = [\"bot\"]\n"
        ),
    )
    .expect("config");
    let bin = std::env::current_exe()
        .expect("exe")
        .with_file_name("cpp-proxy");
    let mut proxy = std::process::Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &format!("http://{up_addr}"),
            "--state-dir",
        ])
        .arg(&dir)
        .arg("--config")
        .arg(&config)
        .env("CPP_PROXY_TOKEN", "bench-token")
        .env("BENCH_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start cpp-proxy");
    let started = Instant::now();
    // Warm up: every offer looked at once (one request a second: about 200 s).
    while service.lock().expect("service").polled.len() < OFFERS {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if started.elapsed() > Duration::from_secs(600) {
            break;
        }
    }
    let warm = started.elapsed();
    // Change one running offer, at a random moment of its poll period.
    tokio::time::sleep(Duration::from_millis(
        1_000 + (std::process::id() as u64 % 5) * 1_000,
    ))
    .await;
    let changed = Instant::now();
    service.lock().expect("service").changed_at = Some(changed);
    let deadline = changed + Duration::from_secs(running_every * 3 + 30);
    let latency = loop {
        if let Some(at) = *received.lock().expect("received") {
            break Some(at - changed);
        }
        if Instant::now() > deadline {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let rss = std::fs::read_to_string(format!("/proc/{}/status", proxy.id())).unwrap_or_default();
    let field = |name: &str| {
        rss.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.trim_start_matches(name).trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    let (resident, peak) = (field("VmRSS:"), field("VmHWM:"));
    let _ = proxy.kill();
    let _ = proxy.wait();
    let times = service.lock().expect("service").requests.clone();
    let most = times
        .iter()
        .map(|t| {
            times
                .iter()
                .filter(|u| **u >= *t && **u < *t + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0);
    let span = times
        .last()
        .zip(times.first())
        .map_or(0.0, |(l, f)| (*l - *f).as_secs_f64());
    println!("| figure | value |\n|---|---:|");
    println!("| watched offers (running) | {OFFERS} ({RUNNING}) |");
    println!("| running_every | {running_every} s |");
    println!(
        "| first look at every offer | {:.0} s |",
        warm.as_secs_f64()
    );
    println!("| upstream requests | {} in {:.0} s |", times.len(), span);
    println!("| most upstream requests in any one second | {most} |");
    println!(
        "| mean upstream requests per second | {:.2} |",
        times.len() as f64 / span.max(1.0)
    );
    match latency {
        Some(l) => println!("| change at the service → message at the receiver | {:.1} s (bound: one poll period + 5 s = {} s) |", l.as_secs_f64(), running_every + 5),
        None => println!("| change at the service → message at the receiver | not received |"),
    }
    println!("| proxy memory, resident (peak) | {resident} ({peak}) |");
    let _ = std::fs::remove_dir_all(&dir);
}
