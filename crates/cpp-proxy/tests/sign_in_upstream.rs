//! Who may do what, with sign-in on in front of a real (fake) service: the proxy's own token
//! upstream and never the browser's cookie or credential; refusals that send nothing
//! upstream; the audit of an operator's cancel; `--allow-publisher`.

mod common;

use common::browser::Browser;
use common::{Log, Running, V};

/// A fake service, a simulator as the identity provider, and the proxy binary signing users
/// in against it (with a token of its own for the service), plus its audit log.
async fn signed_in_proxy(extra: &[&str]) -> (Running, Log, std::path::PathBuf) {
    let (up, log) = common::upstream().await;
    let idp = common::proxy(&["--simulate"]).await;
    let dir = common::temp_path("sign-in-upstream");
    std::fs::create_dir_all(&dir).expect("folder");
    let audit = dir.join("audit.jsonl");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (upstream, authority, public) = (
        format!("http://{up}"),
        format!("http://{idp}/_sim/login"),
        format!("http://127.0.0.1:{port}"),
    );
    let store = format!("sqlite:{}", dir.join("state.db").display());
    let mut args = vec![
        "--upstream",
        upstream.as_str(),
        "--auth",
        "entra",
        "--auth-authority",
        authority.as_str(),
        "--public-url",
        public.as_str(),
        "--store",
        store.as_str(),
        "--audit-log",
        audit.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let env = [
        ("CPP_PROXY_TOKEN", "the-proxys-own-token"),
        ("CPP_PROXY_AUTH_TENANT_ID", cpp_proxy::auth::SIM_TENANT),
        ("CPP_PROXY_AUTH_CLIENT_ID", cpp_proxy::auth::SIM_CLIENT),
        ("CPP_PROXY_AUTH_CLIENT_SECRET", "canary-client-secret-5e1"),
    ];
    let running = common::spawn_proxy_at(port, &args, &env);
    (running, log, audit)
}

fn upstream_saw(log: &Log, fragment: &str) -> usize {
    log.lock()
        .expect("log")
        .iter()
        .filter(|s| s.path_and_query.contains(fragment))
        .count()
}

#[tokio::test]
async fn upstream_gets_the_proxys_token_and_nothing_of_the_browsers() {
    let (proxy, log, _) = signed_in_proxy(&[]).await;
    let mut browser = Browser::default();
    assert_eq!(
        browser
            .sign_in(&proxy.base, "operator@contoso.test", "/")
            .await
            .status,
        303
    );
    let response = common::client()
        .get(format!(
            "{}/api/publishers/contoso/offers/contoso-vm/status?{V}",
            proxy.base
        ))
        .header("cookie", browser.cookie_header())
        .header("authorization", "Bearer the-browsers-own-token")
        .header("x-ms-client-principal-name", "admin@contoso.test")
        .header("x-forwarded-user", "admin")
        .header("x-forwarded-email", "admin@contoso.test")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    let seen = log
        .lock()
        .expect("log")
        .last()
        .cloned()
        .expect("sent upstream");
    assert_eq!(seen.headers["authorization"], "Bearer the-proxys-own-token");
    for gone in [
        "cookie",
        "x-ms-client-principal-name",
        "x-forwarded-user",
        "x-forwarded-email",
    ] {
        assert!(!seen.headers.contains_key(gone), "{gone} went upstream");
    }
}

#[tokio::test]
async fn refusals_send_nothing_upstream() {
    let (proxy, log, _) = signed_in_proxy(&[]).await;
    let cancel = format!(
        "{}/api/publishers/contoso/offers/contoso-vm/cancel?{V}",
        proxy.base
    );
    let base = proxy.base.as_str();
    let mut nobody = Browser::default();
    let step = nobody
        .get(&format!("{base}/api/publishers/contoso/offers?{V}"))
        .await;
    assert_eq!(step.status, 401);
    // Identity headers a client sends grant nothing.
    let spoofed = common::client()
        .get(format!("{base}/api/publishers/contoso/offers?{V}"))
        .header("x-ms-client-principal-name", "operator@contoso.test")
        .header(
            "x-ms-client-principal-id",
            "00000000-0000-0000-0000-000000000001",
        )
        .header("x-forwarded-user", "operator@contoso.test")
        .send()
        .await
        .expect("send");
    assert_eq!(spoofed.status(), 401);
    let mut viewer = Browser::default();
    viewer.sign_in(base, "viewer@contoso.test", "/").await;
    let step = viewer
        .post(&cancel, &[("x-csrf", "1"), ("origin", base)])
        .await;
    assert_eq!(step.status, 403);
    assert!(step.body.contains("OperatorRoleRequired"), "{}", step.body);
    let mut operator = Browser::default();
    operator.sign_in(base, "operator@contoso.test", "/").await;
    for (headers, code) in [
        (vec![("origin", base)], "CsrfHeaderRequired"),
        // The guard refuses a foreign origin before sign-in is asked (CORS).
        (
            vec![("x-csrf", "1"), ("origin", "https://evil.example")],
            "OriginNotAllowed",
        ),
        // The proxy's own address under another name is still not the public URL.
        (
            vec![("x-csrf", "1"), ("origin", "http://localhost:1")],
            "OriginNotAllowed",
        ),
        (
            vec![("x-csrf", "1"), ("sec-fetch-site", "cross-site")],
            "CrossSiteRequest",
        ),
        // Same-origin by its Host, yet not the public URL: sign-in's own check refuses it.
        (
            vec![
                ("x-csrf", "1"),
                ("host", "localhost:1"),
                ("origin", "http://localhost:1"),
            ],
            "CrossSiteRequest",
        ),
    ] {
        let step = operator.post(&cancel, &headers).await;
        assert_eq!(step.status, 403, "{headers:?}");
        assert!(step.body.contains(code), "{headers:?}: {}", step.body);
    }
    assert_eq!(
        upstream_saw(&log, "/cancel"),
        0,
        "no refused POST went upstream"
    );
    assert_eq!(
        upstream_saw(&log, "/offers?"),
        0,
        "no unsigned GET went upstream"
    );
    let step = operator
        .post(
            &cancel,
            &[
                ("x-csrf", "1"),
                ("origin", base),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(step.status, 202, "{}", step.body);
    assert_eq!(upstream_saw(&log, "/cancel"), 1);
}

#[tokio::test]
async fn an_operators_cancel_is_audited_and_operators_read_the_audit() {
    let (proxy, _log, audit_log) = signed_in_proxy(&[]).await;
    let base = proxy.base.as_str();
    let mut operator = Browser::default();
    operator.sign_in(base, "operator@contoso.test", "/").await;
    let step = operator
        .post(
            &format!("{base}/api/publishers/contoso/offers/contoso-vm/cancel?{V}"),
            &[("x-csrf", "1")],
        )
        .await;
    assert_eq!(step.status, 202);
    let mut viewer = Browser::default();
    viewer.sign_in(base, "viewer@contoso.test", "/").await;
    viewer
        .post(
            &format!("{base}/api/publishers/contoso/offers/contoso-vm/golive?{V}"),
            &[("x-csrf", "1")],
        )
        .await;
    let read = operator
        .get(&format!(
            "{base}/auth/audit?publisher=contoso&offer=contoso-vm"
        ))
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    let records: serde_json::Value = serde_json::from_str(&read.body).expect("json");
    let records = records["records"].as_array().expect("records");
    let cancel = records
        .iter()
        .find(|r| r["action"] == "cancel")
        .expect("the cancel's record");
    assert_eq!(cancel["upn"], "operator@contoso.test");
    assert_eq!(cancel["name"], "Operator");
    assert_eq!(cancel["decision"], "allowed");
    assert_eq!(cancel["upstreamStatus"], 202);
    assert_eq!(cancel["target"], "abc", "the operation the answer names");
    assert_eq!(cancel["tid"], cpp_proxy::auth::SIM_TENANT);
    assert!(cancel["oid"].as_str().is_some_and(|o| o.len() == 36));
    assert!(cancel["requestId"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));
    let golive = records
        .iter()
        .find(|r| r["action"] == "golive")
        .expect("the viewer's refusal");
    assert_eq!(
        (golive["decision"].as_str(), golive["reason"].as_str()),
        (Some("refused"), Some("OperatorRoleRequired"))
    );
    assert_eq!(golive["upn"], "viewer@contoso.test");
    // Viewers do not read the audit; nobody reads it signed out.
    assert_eq!(viewer.get(&format!("{base}/auth/audit")).await.status, 403);
    assert_eq!(
        Browser::default()
            .get(&format!("{base}/auth/audit"))
            .await
            .status,
        401
    );
    // The JSON lines hold the same, and no token, cookie or secret.
    let lines = std::fs::read_to_string(&audit_log).expect("the audit log");
    assert!(
        lines
            .lines()
            .any(|l| l.contains("\"action\":\"cancel\"") && l.contains("operator@contoso.test")),
        "{lines}"
    );
    let cookie = &operator.jar["__Host-cpp_session"];
    for secret in [
        "eyJ",
        "the-proxys-own-token",
        "canary-client-secret-5e1",
        cookie.as_str(),
        "access_token",
        "id_token",
    ] {
        assert!(!lines.contains(secret), "{secret} in the audit log");
    }
}

#[tokio::test]
async fn only_the_allowed_publishers_are_served() {
    let (proxy, log, _) = signed_in_proxy(&["--allow-publisher", "contoso"]).await;
    let base = proxy.base.as_str();
    let mut viewer = Browser::default();
    viewer.sign_in(base, "viewer@contoso.test", "/").await;
    let refused = viewer
        .get(&format!("{base}/api/publishers/fabrikam/offers?{V}"))
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("PublisherNotAllowed"));
    assert_eq!(upstream_saw(&log, "/fabrikam/"), 0);
    let list = viewer.get(&format!("{base}/api/publishers?{V}")).await;
    assert_eq!(list.status, 200);
    let ids: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&list.body)
        .expect("a list")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids, ["contoso"]);
    assert_eq!(
        viewer
            .get(&format!("{base}/api/publishers/contoso/offers?{V}"))
            .await
            .status,
        200
    );
}

/// The proxy binary with `args` and `env`: its exit status and what it said on stderr, for
/// one that refuses to start.
fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("run the proxy");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should refuse to start"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn sign_in_set_up_wrongly_refuses_to_start_in_words() {
    let ids = [
        ("CPP_PROXY_TOKEN", "t"),
        ("CPP_PROXY_AUTH_TENANT_ID", cpp_proxy::auth::SIM_TENANT),
        ("CPP_PROXY_AUTH_CLIENT_ID", cpp_proxy::auth::SIM_CLIENT),
        ("CPP_PROXY_AUTH_CLIENT_SECRET", "canary-secret-77"),
    ];
    let store = format!(
        "sqlite:{}",
        common::temp_path("refused").join("s.db").display()
    );
    let base = ["--auth", "entra", "--store", store.as_str()];
    let with = |extra: &[&'static str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    for (args, env, words) in [
        (with(&[]), &ids[..], "--public-url"),
        (
            with(&["--public-url", "http://ops.example.com"]),
            &ids[..],
            "http only on loopback",
        ),
        (
            with(&["--public-url", "https://ops.example.com/path"]),
            &ids[..],
            "no path",
        ),
        (
            with(&[
                "--public-url",
                "https://ops.example.com",
                "--allow-origin",
                "https://a.example",
            ]),
            &ids[..],
            "--allow-origin cannot be used with sign-in",
        ),
        (
            with(&["--public-url", "https://ops.example.com"]),
            &ids[1..],
            "a credential of the proxy's own",
        ),
        (
            with(&["--public-url", "https://ops.example.com"]),
            &ids[..2],
            "CPP_PROXY_AUTH_CLIENT_ID",
        ),
        (
            with(&[
                "--public-url",
                "https://ops.example.com",
                "--session-idle",
                "9h",
            ]),
            &ids[..],
            "--session-idle",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let said = refused(&args, env);
        assert!(said.contains(words), "{args:?}: {said}");
        assert!(!said.contains("canary-secret-77"), "{said}");
    }
    let said = refused(
        &[
            "--auth",
            "entra",
            "--store",
            "sqlite:/proc/nowhere/state.db",
            "--public-url",
            "https://ops.example.com",
        ],
        &ids,
    );
    assert!(
        said.contains("/proc/nowhere/state.db"),
        "names the store: {said}"
    );
    let tenant = [
        ("CPP_PROXY_AUTH_TENANT_ID", "contoso.onmicrosoft.com"),
        ids[0],
        ids[2],
        ids[3],
    ];
    let said = refused(
        &with(&["--public-url", "https://ops.example.com"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        &tenant,
    );
    assert!(said.contains("GUID"), "{said}");
}

#[test]
fn with_sign_in_the_proxy_may_listen_beyond_loopback() {
    use std::io::BufRead;
    let store = format!(
        "sqlite:{}",
        common::temp_path("beyond").join("s.db").display()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args([
            "--listen",
            "0.0.0.0:0",
            "--auth",
            "entra",
            "--public-url",
            "https://ops.example.com",
            "--store",
            &store,
        ])
        .env_clear()
        .envs([
            ("CPP_PROXY_TOKEN", "t"),
            ("CPP_PROXY_AUTH_TENANT_ID", cpp_proxy::auth::SIM_TENANT),
            ("CPP_PROXY_AUTH_CLIENT_ID", cpp_proxy::auth::SIM_CLIENT),
            ("CPP_PROXY_AUTH_CLIENT_SECRET", "s"),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("listening on http://0.0.0.0:"), "{line:?}");
}
