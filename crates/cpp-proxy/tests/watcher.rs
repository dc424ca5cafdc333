//! The watcher on real sockets, against the simulator and local receivers: a sign-off told
//! once per channel and never again (over ten polls and across a clean restart), each
//! channel's payload as its receiver needs it, and one watcher per SQLite store.

mod common;

use std::path::Path;
use std::time::Duration;

use base64::Engine;
use common::receiver::{self, Received};
use common::{spawn_proxy, temp_path, Running};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The simulated offer that waits for its publisher's sign-off from the start.
const WAITING: &str = "contoso-data-science-vm";

/// A config file in `dir`: contoso watched, polled every second, and the sign-off of
/// [`WAITING`] routed to a Teams, a Slack and a webhook channel at `base`.
fn config(dir: &Path, base: &str, events: &str) -> std::path::PathBuf {
    config_with(dir, base, events, None)
}

/// [`config`], and with `mail` (the SMTP server), an e-mail channel too.
fn config_with(
    dir: &Path,
    base: &str,
    events: &str,
    mail: Option<&common::smtp::Smtp>,
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join("watch.toml");
    let (email, owners) = match mail {
        Some(smtp) => {
            let ca = dir.join("smtp-ca.pem");
            std::fs::write(&ca, &smtp.ca_pem).expect("ca");
            (
                format!(
                    "[[channel]]\nname = \"owners\"\nkind = \"email\"\nsmtp_url_env = \"SMTP_URL\"\n\
                     from = \"publishing@contoso.test\"\nto = [\"owner@contoso.test\"]\nca_file = \"{}\"\n",
                    ca.display()
                ),
                ", \"owners\"",
            )
        }
        None => (String::new(), ""),
    };
    let text = format!(
        r#"
[polling]
running_every = "1s"
idle_every = "2s"

[alerts]
group_wait = "1s"

[[watch]]
publisher = "contoso"

[[channel]]
name = "team"
kind = "teams"
url_env = "TEAMS_URL"

[[channel]]
name = "chat"
kind = "slack"
url_env = "SLACK_URL"

[[channel]]
name = "bot"
kind = "webhook"
url = "{base}/hook"
secret_env = "HOOK_SECRET"

{email}
[[rule]]
publisher = "contoso"
offer = "{WAITING}"
events = [{events}]
channels = ["team", "chat", "bot"{owners}]
"#
    );
    std::fs::write(&path, text).expect("write config");
    path
}

fn start(dir: &Path, config: &Path, base: &str) -> Running {
    start_with(dir, config, base, 0)
}

/// [`start`], with the SMTP server on `smtp_port` (a password given in the URL).
fn start_with(dir: &Path, config: &Path, base: &str, smtp_port: u16) -> Running {
    let teams = format!("{base}/teams");
    let slack = format!("{base}/slack");
    let smtp = format!("smtp://cpp%40contoso.test:{SMTP_PASSWORD}@127.0.0.1:{smtp_port}");
    spawn_proxy(
        &[
            "--simulate",
            "--state-dir",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
            "--public-url",
            "https://dash.example.com",
        ],
        &[
            ("TEAMS_URL", teams.as_str()),
            ("SLACK_URL", slack.as_str()),
            ("HOOK_SECRET", SECRET),
            ("SMTP_URL", smtp.as_str()),
        ],
    )
}

const SMTP_PASSWORD: &str = "smtp-pass-2718";

/// Stops the process as systemd does (SIGTERM) and waits for it.
fn stop_cleanly(mut running: Running) {
    let pid = running.child.id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    let _ = running.child.wait();
}

/// Checks a Teams body with Microsoft's Adaptive Cards SDK (`scripts/check-adaptive-card.mjs`).
fn check_card(body: &[u8]) {
    use std::io::Write;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/check-adaptive-card.mjs"
    );
    let mut child = std::process::Command::new("node")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (scripts/setup.sh installs the SDK into tools/)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(body)
        .expect("write the card");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "the Adaptive Cards SDK refused the card: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_kind_of_teams_card_passes_the_adaptive_cards_sdk_even_with_hostile_names() {
    use publishing_model::alerts::{Event, EventKind, Notice};
    let at = chrono::Utc::now();
    let events: Vec<Event> = EventKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| Event {
            kind: *kind,
            publisher: "contoso".into(),
            offer: "saas".into(),
            offer_name:
                "Evil\"}]</b><script>alert(1)</script> *bold* [x](https://evil.example) ${{tmpl}}"
                    .into(),
            publish: "p".into(),
            step: Some("Certification \u{202e}".into()),
            status: "running".parse().unwrap_or_else(|n| match n {}),
            message: Some("<img src=x onerror=alert(1)>".into()),
            first_look: i % 2 == 0,
            since: Some(at - chrono::TimeDelta::days(2)),
            reminder: u32::try_from(i % 3).unwrap_or(0),
            occurred_at: at,
            service: publishing_model::alerts::Service::Cpp,
        })
        .collect();
    for url in [None, Some("https://dash.example.com")] {
        check_card(
            Notice::new(events.clone(), url)
                .teams()
                .to_string()
                .as_bytes(),
        );
        check_card(
            Notice::new(events[..1].to_vec(), url)
                .teams()
                .to_string()
                .as_bytes(),
        );
    }
}

fn verify_signature(r: &Received) {
    let header = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (id, timestamp, signature) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    );
    assert!(id.starts_with("msg_"), "{id}");
    let ts: i64 = timestamp
        .parse()
        .expect("webhook-timestamp is Unix seconds");
    assert!((chrono::Utc::now().timestamp() - ts).abs() < 120);
    let key = base64::engine::general_purpose::STANDARD
        .decode(SECRET.trim_start_matches("whsec_"))
        .expect("key");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key);
    let signed = [id.as_bytes(), b".", timestamp.as_bytes(), b".", &r.raw].concat();
    let expected =
        base64::engine::general_purpose::STANDARD.encode(ring::hmac::sign(&key, &signed).as_ref());
    assert_eq!(signature, format!("v1,{expected}"));
}

#[tokio::test]
async fn a_sign_off_is_told_once_to_each_channel_and_never_again_even_after_a_restart() {
    let (addr, inbox) = receiver::start(receiver::ok()).await;
    let base = format!("http://{addr}");
    let dir = temp_path("watch-signoff");
    let mail = common::smtp::start().await;
    let config = config_with(&dir, &base, r#""signoff""#, Some(&mail));
    let proxy = start_with(&dir, &config, &base, mail.port);

    let hooks = inbox.wait_for("/hook", 1, Duration::from_secs(30)).await;
    let teams = inbox.wait_for("/teams", 1, Duration::from_secs(10)).await;
    let slack = inbox.wait_for("/slack", 1, Duration::from_secs(10)).await;
    assert_eq!((hooks.len(), teams.len(), slack.len()), (1, 1, 1));
    for _ in 0..100 {
        if !mail.seen.lock().expect("mail").messages.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The e-mail: over STARTTLS, signed in after it, a text and an HTML part.
    let seen = mail.seen.lock().expect("mail").clone();
    let channels = proxy.json("/dashboard/v1/channels").await;
    assert_eq!(seen.messages.len(), 1, "one e-mail: {channels}");
    assert!(!seen.auth_in_clear, "no credential before TLS");
    assert_eq!(
        seen.logins,
        [("cpp@contoso.test".to_owned(), SMTP_PASSWORD.to_owned())]
    );
    let message = &seen.messages[0];
    assert!(
        message.contains("Subject: Contoso Data Science VM: Waiting for your sign-off"),
        "{message}"
    );
    assert!(
        message.contains("To: owner@contoso.test")
            && message.contains("From: publishing@contoso.test"),
        "{message}"
    );
    assert!(
        message.contains("multipart/alternative")
            && message.contains("text/plain")
            && message.contains("text/html"),
        "{message}"
    );
    let message_id = message
        .lines()
        .find(|l| l.starts_with("Message-ID:"))
        .expect("a Message-ID");
    assert!(message_id.ends_with("@cpp-proxy>"), "{message_id}");

    // The signed webhook: its body and its Standard Webhooks signature.
    let hook = &hooks[0];
    verify_signature(hook);
    assert_eq!(hook.body["type"], "signoff");
    assert_eq!(hook.body["publisher"], "contoso");
    assert_eq!(hook.body["offer"], WAITING);
    assert_eq!(hook.body["step"], "Publisher signoff");
    assert_eq!(hook.body["status"], "waitingForPublisherReview");
    assert_eq!(hook.body["firstLook"], true);
    assert_eq!(
        hook.body["url"],
        format!("https://dash.example.com/live/publishers/contoso/offers/{WAITING}")
    );
    assert!(hook.body["occurredAt"].is_string() && hook.body["operation"].is_string());

    // Teams: a Workflows message with one Adaptive Card 1.4 naming the offer and the link,
    // which Microsoft's Adaptive Cards SDK parses and validates without a warning.
    check_card(&teams[0].raw);
    let card = &teams[0].body["attachments"][0];
    assert_eq!(teams[0].body["type"], "message");
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(card["content"]["type"], "AdaptiveCard");
    assert_eq!(card["content"]["version"], "1.4");
    let text = card["content"].to_string();
    assert!(
        text.contains("Contoso Data Science VM") && text.contains("Waiting for your sign-off"),
        "{text}"
    );
    assert!(text.contains("What to do"), "{text}");
    assert!(card["content"]["actions"][0]["url"]
        .as_str()
        .is_some_and(|u| u.ends_with(WAITING)));

    // Slack: text and blocks.
    assert!(slack[0].body["text"]
        .as_str()
        .is_some_and(|t| t.contains("Waiting for your sign-off")));
    assert!(slack[0].body["blocks"]
        .as_array()
        .is_some_and(|b| b.len() >= 2));

    // Ten polls more (one a second): nothing else.
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(
        inbox.0.lock().expect("inbox").len(),
        3,
        "nothing more over ten polls"
    );

    // A clean restart on the same store sends nothing again.
    stop_cleanly(proxy);
    let again = start_with(&dir, &config, &base, mail.port);
    let watch = again.json("/dashboard/v1/watch").await;
    assert_eq!(watch["watching"], true);
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        inbox.0.lock().expect("inbox").len(),
        3,
        "a clean restart sends nothing again"
    );
    let events = again.json("/dashboard/v1/events").await;
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"signoff"), "{events}");
    drop(again);
}

#[tokio::test]
async fn a_second_process_on_the_same_sqlite_store_refuses_to_start_in_words() {
    let (addr, _inbox) = receiver::start(receiver::ok()).await;
    let base = format!("http://{addr}");
    let dir = temp_path("watch-twice");
    let config = config(&dir, &base, r#""signoff""#);
    let first = start(&dir, &config, &base);
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--listen", "127.0.0.1:0", "--simulate", "--state-dir"])
        .arg(&dir)
        .arg("--config")
        .arg(&config)
        .envs([
            ("TEAMS_URL", "http://127.0.0.1:9/t"),
            ("SLACK_URL", "http://127.0.0.1:9/s"),
            ("HOOK_SECRET", SECRET),
        ])
        .output()
        .expect("run");
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(
        said.contains("another cpp-proxy already watches with the store"),
        "{said}"
    );
    assert!(said.contains("state.db"), "names the store: {said}");
    drop(first);
}

#[tokio::test]
async fn a_corrupt_store_file_stops_the_proxy_naming_its_path() {
    let dir = temp_path("watch-corrupt");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("state.db"), vec![0x5a; 8192]).expect("garbage");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--simulate",
            "--watch",
            "contoso",
            "--state-dir",
        ])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&dir.join("state.db").display().to_string()),
        "{said}"
    );
}

#[tokio::test]
async fn the_watcher_refuses_a_config_it_cannot_follow_in_words() {
    let dir = temp_path("watch-bad");
    std::fs::create_dir_all(&dir).expect("dir");
    let cases = [
        (
            "[[channel]]\nname = \"t\"\nkind = \"teams\"\nurl = \"https://x.example/hook\"\n",
            "URL is its secret",
        ),
        (
            "[[channel]]\nname = \"w\"\nkind = \"webhook\"\nurl = \"https://x.example/hook\"\n",
            "a webhook is signed",
        ),
        (
            "[[channel]]\nname = \"w\"\nkind = \"teams\"\nurl_env = \"NOT_SET_ANYWHERE\"\n",
            "NOT_SET_ANYWHERE is not set",
        ),
        (
            "[[rule]]\nchannels = [\"nope\"]\n",
            "no channel is named \"nope\"",
        ),
        ("[polling]\nrunning_every = \"soon\"\n", "running_every"),
        ("[[watch]]\npublisher = \"../etc\"\n", "is not an id"),
        ("[surprise]\n", "unknown field"),
        (
            "[[channel]]\nname = \"m\"\nkind = \"email\"\nsmtp_url_env = \"PATH\"\n",
            "SMTP URL must be smtp://",
        ),
        (
            "[[channel]]\nname = \"m\"\nkind = \"email\"\nurl = \"https://x.example\"\n",
            "an e-mail channel takes smtp_url_env",
        ),
    ];
    for (text, says) in cases {
        let path = dir.join("bad.toml");
        std::fs::write(&path, text).expect("write");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
            .args(["--listen", "127.0.0.1:0", "--simulate", "--state-dir"])
            .arg(&dir)
            .arg("--config")
            .arg(&path)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{text}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{text:?} should say {says:?}: {said}");
    }
    // Forwarding with no credential of its own: no browser's token is there to use.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--watch",
            "contoso",
            "--state-dir",
        ])
        .arg(&dir)
        .env_remove("CPP_PROXY_TOKEN")
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("watching needs the proxy's own credential")
    );
}

#[tokio::test]
async fn replicas_on_postgresql_poll_and_send_one_at_a_time_and_take_over_when_the_leader_dies() {
    let (addr, inbox) = receiver::start(receiver::ok()).await;
    let base = format!("http://{addr}");
    let dir = temp_path("watch-replicas");
    let config = config(&dir, &base, r#""signoff""#);
    let url = common::postgres::database().await;
    let replica = |n: &str| {
        let teams = format!("{base}/teams");
        let slack = format!("{base}/slack");
        let state = dir.join(n);
        spawn_proxy(
            &[
                "--simulate",
                "--store",
                url.as_str(),
                "--state-dir",
                state.to_str().expect("path"),
                "--config",
                config.to_str().expect("path"),
            ],
            &[
                ("TEAMS_URL", teams.as_str()),
                ("SLACK_URL", slack.as_str()),
                ("HOOK_SECRET", SECRET),
            ],
        )
    };
    let (a, b) = (replica("a"), replica("b"));
    inbox.wait_for("/hook", 1, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (sa, sb) = (
        a.json("/dashboard/v1/watch").await,
        b.json("/dashboard/v1/watch").await,
    );
    assert_ne!(sa["leader"], sb["leader"], "exactly one leads: {sa} {sb}");
    // Kill the leader without a chance to give its lease up.
    let (mut leader, standby) = if sa["leader"] == true { (a, b) } else { (b, a) };
    let _ = leader.child.kill();
    let _ = leader.child.wait();
    let killed = std::time::Instant::now();
    loop {
        let s = standby.json("/dashboard/v1/watch").await;
        if s["leader"] == true && s["lastOk"].is_string() {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(30),
            "the standby never took over: {s}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        killed.elapsed() <= super_lease(),
        "took over in {:?}",
        killed.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(
        inbox.on("/hook").len(),
        1,
        "the new leader tells nothing twice"
    );
    assert_eq!(inbox.on("/teams").len(), 1);
}

/// The lease (15 s), one poll and a margin.
fn super_lease() -> Duration {
    cpp_proxy::watch::LEASE + Duration::from_secs(8)
}

#[tokio::test]
async fn the_history_counts_the_step_runs_the_watcher_saw_begin_and_end() {
    let dir = temp_path("watch-history");
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("watch.toml");
    std::fs::write(&config, "[polling]\nrunning_every = \"1s\"\nidle_every = \"1s\"\n[[watch]]\npublisher = \"contoso\"\n").expect("config");
    // Simulated time runs 20,000 times faster: a day of steps passes in seconds.
    let proxy = spawn_proxy(
        &[
            "--simulate",
            "--speed",
            "20000",
            "--state-dir",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
        ],
        &[],
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let found = loop {
        let history = proxy
            .json("/dashboard/v1/history/contoso/contoso-ubuntu-vm")
            .await;
        let steps = history["steps"].as_array().cloned().unwrap_or_default();
        if steps
            .iter()
            .any(|s| s["publisher"]["count"].as_u64().unwrap_or(0) > 0)
        {
            break steps;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no run measured: {history}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    let step = found
        .iter()
        .find(|s| s["publisher"].is_object())
        .expect("a measured step");
    let all = &step["publisher"];
    assert!(
        all["medianSeconds"].as_i64().is_some_and(|m| m >= 0),
        "{step}"
    );
    assert!(
        all["minSeconds"].as_i64() <= all["p80Seconds"].as_i64()
            && all["p80Seconds"].as_i64() <= all["maxSeconds"].as_i64(),
        "{step}"
    );
    assert!(step["key"].is_string() && step["name"].is_string());
    // Another publisher's offer has none of contoso's runs as its own.
    let other = proxy.json("/dashboard/v1/history/fabrikam/anything").await;
    assert_eq!(other["steps"], serde_json::json!([]));
}

#[tokio::test]
async fn product_ingestion_products_are_watched_at_most_once_a_minute_and_linked_to_their_source() {
    let (addr, inbox) = receiver::start(receiver::ok()).await;
    let dir = temp_path("watch-ingestion");
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("watch.toml");
    std::fs::write(
        &config,
        format!(
            "[polling]\nrunning_every = \"1s\"\nidle_every = \"1s\"\n[alerts]\ngroup_wait = \"1s\"\n\
             [[watch]]\nservice = \"ingestion\"\n\
             [[channel]]\nname = \"bot\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nsecret_env = \"HOOK_SECRET\"\n\
             [[rule]]\nchannels = [\"bot\"]\n"
        ),
    )
    .expect("config");
    let proxy = spawn_proxy(
        &[
            "--simulate",
            "--state-dir",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
            "--public-url",
            "https://dash.example.com",
        ],
        &[("HOOK_SECRET", SECRET)],
    );
    let got = inbox.wait_for("/hook", 1, Duration::from_secs(60)).await;
    assert!(!got.is_empty(), "a product that needs someone is told");
    let hook = &got[0].body;
    assert_eq!(hook["publisher"], "account");
    assert!(
        hook["url"].as_str().is_some_and(
            |u| u.starts_with("https://dash.example.com/ingestion/publishers/account/offers/")
        ),
        "{hook}"
    );
    // Every product has had its first look: none is asked again within the minute.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let watch = proxy.json("/dashboard/v1/watch").await;
    let offers = watch["offers"].as_array().expect("offers").clone();
    assert!(!offers.is_empty());
    for o in &offers {
        assert_eq!(o["publisher"], "account");
        let (polled, next) = (o["polledAt"].as_str(), o["nextAt"].as_str());
        if let (Some(p), Some(n)) = (polled, next) {
            let p = chrono::DateTime::parse_from_rfc3339(p).expect("time");
            let n = chrono::DateTime::parse_from_rfc3339(n).expect("time");
            assert!(n - p >= chrono::TimeDelta::seconds(60), "{o}");
        }
    }
    let problems: Vec<_> = offers
        .iter()
        .filter(|o| !o["lastError"].is_null())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}
