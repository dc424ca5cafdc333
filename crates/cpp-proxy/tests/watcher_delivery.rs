//! The outbox's rules on real sockets: a receiver that is down for two minutes gets the
//! message once when it is back, with the same `webhook-id`; Slack's 429 waits its
//! `Retry-After` and holds up no other channel; 404 is dead at once and 410 disables the
//! channel; secrets given as canary values show in no log, row or answer at
//! `RUST_LOG=trace`; and 200 watched offers never take more than one upstream request a
//! second.

mod common;

use std::io::BufRead;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::response::IntoResponse;
use common::receiver;
use common::{spawn_proxy, temp_path, Running};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A config whose one rule sends the sign-off of the simulator's waiting offer to `channels`
/// (TOML of `[[channel]]`s).
fn config(dir: &Path, channels: &str, names: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join("watch.toml");
    let text = format!(
        "[polling]\nrunning_every = \"1s\"\nidle_every = \"2s\"\n[alerts]\ngroup_wait = \"1s\"\n\
         [[watch]]\npublisher = \"contoso\"\n{channels}\n\
         [[rule]]\noffer = \"contoso-data-science-vm\"\nevents = [\"signoff\"]\nchannels = [{names}]\n"
    );
    std::fs::write(&path, text).expect("write config");
    path
}

fn start(dir: &Path, config: &Path, env: &[(&str, &str)]) -> Running {
    spawn_proxy(
        &[
            "--simulate",
            "--state-dir",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
        ],
        env,
    )
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_the_message_once_afterwards_with_the_same_webhook_id() {
    // A port nobody listens on yet: the first attempts are refused.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = reserved.local_addr().expect("addr");
    drop(reserved);
    let dir = temp_path("watch-outage");
    let hook = format!(
        "[[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nsecret_env = \"HOOK_SECRET\"\n"
    );
    let config = config(&dir, &hook, "\"bot\"");
    let proxy = start(&dir, &config, &[("HOOK_SECRET", SECRET)]);
    let down = Instant::now();
    // Down for two minutes: refused for the first, then answering 503 for the second.
    tokio::time::sleep(Duration::from_secs(60)).await;
    let refused = proxy.json("/dashboard/v1/channels").await;
    assert_eq!(
        refused["channels"][0]["lastResult"], "retrying",
        "{refused}"
    );
    assert_eq!(refused["channels"][0]["pending"], 1, "{refused}");
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("the same port again");
    let inbox = receiver::start_on(
        listener,
        Arc::new(move |_, _| {
            (
                if down.elapsed() < Duration::from_secs(120) {
                    503
                } else {
                    200
                },
                None,
            )
        }),
    )
    .await;
    let got = inbox.wait_for("/hook", 1, Duration::from_secs(180)).await;
    assert!(
        got.iter().any(|r| r.answered == 503),
        "it was tried while down: {got:?}"
    );
    let delivered: Vec<_> = got.iter().filter(|r| r.answered == 200).collect();
    assert_eq!(delivered.len(), 1, "once: {got:?}");
    let ids: Vec<_> = got
        .iter()
        .map(|r| r.headers["webhook-id"].clone())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "the same webhook-id on every attempt: {ids:?}"
    );
    assert!(
        got.windows(2).all(|w| w[0].raw == w[1].raw),
        "the same body on every attempt"
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        inbox.on("/hook").len(),
        got.len(),
        "nothing after the delivery"
    );
    let after = proxy.json("/dashboard/v1/channels").await;
    assert_eq!(after["channels"][0]["lastResult"], "delivered");
    assert_eq!(after["channels"][0]["pending"], 0);
}

#[tokio::test]
async fn slacks_429_waits_its_retry_after_and_holds_up_no_other_channel() {
    let (addr, inbox) = receiver::start(Arc::new(|path, n| match (path, n) {
        ("/slack", 0) => (429, Some("7")),
        _ => (200, None),
    }))
    .await;
    let dir = temp_path("watch-429");
    let channels_toml = format!(
        "[[channel]]\nname = \"chat\"\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\n\
         [[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nsecret_env = \"HOOK_SECRET\"\n"
    );
    let config = config(&dir, &channels_toml, "\"chat\", \"bot\"");
    let slack = format!("http://{addr}/slack");
    let _proxy = start(
        &dir,
        &config,
        &[("SLACK_URL", slack.as_str()), ("HOOK_SECRET", SECRET)],
    );
    let slack_got = inbox.wait_for("/slack", 1, Duration::from_secs(60)).await;
    let hook_got = inbox.on("/hook");
    assert_eq!(slack_got.len(), 2, "{slack_got:?}");
    assert_eq!(hook_got.len(), 1);
    let waited = slack_got[1].at - slack_got[0].at;
    assert!(waited >= Duration::from_secs(7), "waited {waited:?}");
    let hook_lag = hook_got[0].at.saturating_duration_since(slack_got[0].at);
    assert!(
        hook_lag < Duration::from_secs(4),
        "the webhook was held up {hook_lag:?}"
    );
}

#[tokio::test]
async fn a_404_is_dead_at_once_and_a_410_disables_its_channel() {
    let (addr, inbox) = receiver::start(Arc::new(|path, _| {
        (if path == "/gone" { 410 } else { 404 }, None)
    }))
    .await;
    let dir = temp_path("watch-4xx");
    let channels_toml = format!(
        "[[channel]]\nname = \"lost\"\nkind = \"webhook\"\nurl = \"http://{addr}/lost\"\nsecret_env = \"HOOK_SECRET\"\n\
         [[channel]]\nname = \"old\"\nkind = \"teams\"\nurl_env = \"GONE_URL\"\n"
    );
    let config = config(&dir, &channels_toml, "\"lost\", \"old\"");
    let gone = format!("http://{addr}/gone");
    let proxy = start(
        &dir,
        &config,
        &[("HOOK_SECRET", SECRET), ("GONE_URL", gone.as_str())],
    );
    inbox.wait_for("/lost", 1, Duration::from_secs(30)).await;
    inbox.wait_for("/gone", 1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(inbox.on("/lost").len(), 1, "a 404 is not sent again");
    assert_eq!(
        inbox.on("/gone").len(),
        1,
        "a disabled channel gets nothing more"
    );
    let seen = proxy.json("/dashboard/v1/channels").await;
    let by_name = |name: &str| {
        seen["channels"]
            .as_array()
            .expect("channels")
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .expect("channel")
    };
    let lost = by_name("lost");
    assert!(lost["disabled"].is_null());
    assert_eq!(lost["dead"][0]["status"], 404, "{lost}");
    assert!(
        lost["dead"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("refused the message (404)")),
        "{lost}"
    );
    let old = by_name("old");
    assert!(
        old["disabled"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("410")),
        "{old}"
    );
    let ready = proxy.json("/readyz").await;
    assert_eq!(ready["watcher"]["deadDeliveries"], 2, "{ready}");
    assert_eq!(
        ready["watcher"]["disabledChannels"],
        serde_json::json!(["old"]),
        "{ready}"
    );
}

#[tokio::test]
async fn secrets_given_as_canaries_show_in_no_log_row_or_answer_at_trace() {
    let (addr, inbox) =
        receiver::start(Arc::new(|_, n| (if n < 1 { 503 } else { 200 }, None))).await;
    let dir = temp_path("watch-canary");
    // The canaries: a Teams URL whose path and query are the secret, and a signing key.
    let teams = format!("http://{addr}/teams/CANARYPATH7731?sig=CANARYQUERY7731");
    let signing = format!(
        "whsec_{}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "CANARYKEY7731-signing"
        )
    );
    let mail = common::smtp::start().await;
    std::fs::create_dir_all(&dir).expect("dir");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &mail.ca_pem).expect("ca");
    let channels_toml = format!(
        "[[channel]]\nname = \"team\"\nkind = \"teams\"\nurl_env = \"TEAMS_URL\"\n\
         [[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nsecret_env = \"HOOK_SECRET\"\n\
         [[channel]]\nname = \"dead\"\nkind = \"slack\"\nurl_env = \"DEAD_URL\"\n\
         [[channel]]\nname = \"owners\"\nkind = \"email\"\nsmtp_url_env = \"SMTP_URL\"\nfrom = \"a@contoso.test\"\nto = [\"b@contoso.test\"]\nca_file = \"{}\"\n",
        ca.display()
    );
    let config = config(
        &dir,
        &channels_toml,
        "\"team\", \"bot\", \"dead\", \"owners\"",
    );
    let smtp = format!("smtp://cpp:CANARYSMTP7731@127.0.0.1:{}", mail.port);
    let log_path = dir.join("log.txt");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--listen", "127.0.0.1:0", "--simulate", "--state-dir"])
        .arg(&dir)
        .arg("--config")
        .arg(&config)
        .envs([
            ("RUST_LOG", "trace"),
            ("TEAMS_URL", teams.as_str()),
            ("HOOK_SECRET", signing.as_str()),
            ("DEAD_URL", "http://127.0.0.1:9/services/CANARYDEAD7731"),
            ("SMTP_URL", smtp.as_str()),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let first = {
        let mut reader = std::io::BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("address");
        let kept = lines.clone();
        std::thread::spawn(move || {
            for l in reader.lines().map_while(Result::ok) {
                kept.lock().expect("lines").push(l);
            }
        });
        line
    };
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .expect("address")
        .to_owned();
    let _running = Running {
        child,
        base: base.clone(),
    };
    inbox.wait_for("/hook", 1, Duration::from_secs(60)).await;
    inbox
        .wait_for("/teams/CANARYPATH7731", 1, Duration::from_secs(30))
        .await;
    let mut answers = String::new();
    for path in [
        "/dashboard/v1/watch",
        "/dashboard/v1/channels",
        "/dashboard/v1/events",
        "/readyz",
    ] {
        let text = common::client()
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("text");
        answers.push_str(&text);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let logged = format!(
        "{}\n{}",
        std::fs::read_to_string(&log_path).unwrap_or_default(),
        lines.lock().expect("lines").join("\n")
    );
    assert!(
        logged.contains("delivered"),
        "the log is at trace: {}",
        &logged[..logged.len().min(2000)]
    );
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("state.db"))
        {
            stored.extend(std::fs::read(&path).expect("store file"));
        }
    }
    let stored = String::from_utf8_lossy(&stored).into_owned();
    for canary in [
        "CANARYPATH7731",
        "CANARYQUERY7731",
        "CANARYKEY7731",
        signing.as_str(),
        "CANARYDEAD7731",
    ] {
        assert!(!logged.contains(canary), "{canary} logged");
        assert!(!stored.contains(canary), "{canary} stored");
        assert!(!answers.contains(canary), "{canary} answered");
    }
}

/// 200 offers of one publisher at a fake service, 20 of them running: the times of every
/// request that reached it.
async fn service() -> (std::net::SocketAddr, Arc<Mutex<Vec<Instant>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |request: Request| {
        let log = log.clone();
        async move {
            log.lock().expect("log").push(Instant::now());
            let path = request.uri().path().to_owned();
            let body = if path.ends_with("/offers") {
                let offers: Vec<_> = (0..200).map(|i| serde_json::json!({ "id": format!("offer-{i}"), "definition": { "displayText": format!("Offer {i}") } })).collect();
                serde_json::Value::Array(offers)
            } else {
                let i: usize = path.rsplit('/').nth(1).and_then(|o| o.strip_prefix("offer-")).and_then(|n| n.parse().ok()).unwrap_or(0);
                let status = if i < 20 { "running" } else { "completed" };
                serde_json::json!({ "status": status, "steps": [{ "stepName": "Certification", "status": status }] })
            };
            axum::Json(body).into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}

#[tokio::test]
async fn two_hundred_offers_twenty_running_never_take_two_upstream_requests_in_a_second() {
    let (addr, seen) = service().await;
    let dir = temp_path("watch-pace");
    std::fs::create_dir_all(&dir).expect("dir");
    let upstream = format!("http://{addr}");
    let _proxy = spawn_proxy(
        &[
            "--upstream",
            upstream.as_str(),
            "--watch",
            "northwind",
            "--state-dir",
            dir.to_str().expect("path"),
        ],
        &[("CPP_PROXY_TOKEN", "test-token-not-a-secret")],
    );
    tokio::time::sleep(Duration::from_secs(12)).await;
    let times = seen.lock().expect("log").clone();
    assert!(
        times.len() >= 8,
        "the watcher polls: {} requests",
        times.len()
    );
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(990),
            "two requests {gap:?} apart"
        );
    }
}
