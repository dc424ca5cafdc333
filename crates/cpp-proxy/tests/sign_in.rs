//! Sign-in against the simulator's identity provider, on real sockets: the whole flow, the
//! session cookie, every bad token, replays, the return address, ended sessions.

mod common;

use common::browser::Browser;
use common::V;

/// A simulator with sign-in on and a store of its own; its base URL.
async fn simulated(extra: &[&str]) -> String {
    let store = format!(
        "sqlite:{}",
        common::temp_path("sign-in").join("state.db").display()
    );
    let mut all = vec!["--simulate", "--auth", "entra", "--store", store.as_str()];
    all.extend_from_slice(extra);
    format!("http://{}", common::proxy(&all).await)
}

const OPERATOR: &str = "operator@contoso.test";
const VIEWER: &str = "viewer@contoso.test";

async fn me(browser: &mut Browser, base: &str) -> (u16, serde_json::Value) {
    let step = browser.get(&format!("{base}/auth/me")).await;
    (
        step.status,
        serde_json::from_str(&step.body).unwrap_or_default(),
    )
}

#[tokio::test]
async fn an_operator_signs_in_and_comes_back_where_they_were() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    let rd = "/publishers/contoso/offers/contoso-vm?status=running";
    let done = browser.sign_in(&base, OPERATOR, rd).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{base}{rd}").as_str())
    );
    let session = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("__Host-cpp_session="))
        .expect("a session cookie");
    for part in [
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Max-Age=28800",
    ] {
        assert!(session.contains(part), "{session}");
    }
    assert!(
        !session.to_ascii_lowercase().contains("domain="),
        "{session}"
    );
    assert!(
        !browser.jar.contains_key("__Host-cpp_login"),
        "the login cookie is cleared"
    );
    let (status, who) = me(&mut browser, &base).await;
    assert_eq!(status, 200);
    assert_eq!(who["signIn"], true);
    assert_eq!(who["name"], "Operator");
    assert_eq!(who["upn"], OPERATOR);
    assert_eq!(who["roles"], serde_json::json!(["Dashboard.Operator"]));
    assert_eq!(who["operator"], true);
    let expires = who["expiresIn"].as_u64().expect("seconds");
    assert!(
        expires > 1_700 && expires <= 1_800,
        "the idle timeout: {expires}"
    );
    let text = who.to_string();
    assert!(!text.contains("eyJ") && !text.contains("token"), "{text}");
    // The data comes through with the session.
    let list = browser.get(&format!("{base}/api/publishers?{V}")).await;
    assert_eq!(list.status, 200, "{}", list.body);
}

#[tokio::test]
async fn the_login_transaction_cookie_is_lax_and_short() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    let step = browser
        .get(&format!("{base}/auth/login?login_hint={OPERATOR}"))
        .await;
    assert_eq!(step.status, 302);
    let login = step
        .set_cookies
        .iter()
        .find(|c| c.starts_with("__Host-cpp_login="))
        .expect("cookie");
    for part in [
        "SameSite=Lax",
        "Max-Age=600",
        "Secure",
        "HttpOnly",
        "Path=/",
    ] {
        assert!(login.contains(part), "{login}");
    }
    let to = step.location.expect("authorize");
    for part in [
        "response_type=code",
        "response_mode=query",
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "nonce=",
        "login_hint=operator%40contoso%2Etest",
        "redirect_uri=http%3A%2F%2F127%2E0%2E0%2E1",
    ] {
        assert!(to.contains(part), "{to} lacks {part}");
    }
}

#[tokio::test]
async fn every_sign_in_makes_a_new_session_whatever_cookie_came_before() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    browser.jar.insert(
        "__Host-cpp_session".into(),
        "planted-by-someone-else".into(),
    );
    assert_eq!(browser.sign_in(&base, OPERATOR, "/").await.status, 303);
    let first = browser.jar["__Host-cpp_session"].clone();
    assert_ne!(first, "planted-by-someone-else");
    assert_eq!(browser.sign_in(&base, VIEWER, "/").await.status, 303);
    let second = browser.jar["__Host-cpp_session"].clone();
    assert_ne!(first, second);
    let mut old = Browser::default();
    old.jar.insert("__Host-cpp_session".into(), first);
    assert_eq!(
        me(&mut old, &base).await.0,
        401,
        "the session before is over"
    );
    assert_eq!(me(&mut browser, &base).await.1["upn"], VIEWER);
}

#[tokio::test]
async fn each_bad_id_token_is_refused_at_the_callback_with_no_session() {
    let log = common::temp_path("bad-tokens.jsonl");
    let base = simulated(&["--audit-log", log.to_str().expect("utf-8")]).await;
    for (kind, why) in [
        ("alg-none", "alg must be RS256"),
        ("hs256", "an algorithm other than RS256"),
        ("wrong-aud", "for another app"),
        ("wrong-iss", "from another issuer"),
        ("other-tenant", "from another tenant"),
        ("expired", "it has expired"),
        ("bad-nonce", "its nonce is not this sign-in's"),
        ("unknown-kid", "a key the provider does not publish"),
        ("groups-overage", "no role in this dashboard"),
    ] {
        let set = common::client()
            .post(format!("{base}/_sim/idp"))
            .json(&serde_json::json!({ "issue": kind }))
            .send()
            .await
            .expect("send");
        assert_eq!(set.status(), 200, "{kind}");
        let mut browser = Browser::default();
        let done = browser.sign_in(&base, OPERATOR, "/").await;
        assert!(done.status == 403, "{kind}: {} {}", done.status, done.body);
        assert!(
            !browser.jar.contains_key("__Host-cpp_session"),
            "{kind}: no session"
        );
        assert!(
            done.set_cookies
                .iter()
                .all(|c| !c.starts_with("__Host-cpp_session=")),
            "{kind}"
        );
        assert_eq!(me(&mut browser, &base).await.0, 401, "{kind}");
        // The audit says why, in the proxy's words.
        let last = std::fs::read_to_string(&log).expect("the audit log");
        let record: serde_json::Value =
            serde_json::from_str(last.lines().last().expect("a record")).expect("json");
        assert_eq!(
            (record["action"].as_str(), record["decision"].as_str()),
            (Some("sign-in"), Some("refused")),
            "{kind}"
        );
        let reason = record["reason"].as_str().expect("a reason");
        assert!(reason.contains(why), "{kind}: {reason}");
        if kind == "groups-overage" {
            assert!(done.body.contains("Your account has no role in this dashboard; ask an administrator to assign Dashboard.Viewer"), "{}", done.body);
        }
    }
    // The plan is spent: the next sign-in is good again.
    assert_eq!(
        Browser::default()
            .sign_in(&base, OPERATOR, "/")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn an_account_with_no_role_is_told_so_with_a_way_out() {
    let base = simulated(&[
        "--sim-user",
        "nobody@contoso.test=",
        "--sim-user",
        "other@contoso.test=Some.Other.Role",
    ])
    .await;
    for upn in ["nobody@contoso.test", "other@contoso.test"] {
        let mut browser = Browser::default();
        let done = browser.sign_in(&base, upn, "/").await;
        assert_eq!(done.status, 403);
        assert!(done.body.contains("Your account has no role in this dashboard; ask an administrator to assign Dashboard.Viewer"), "{}", done.body);
        assert!(
            done.body.contains("Sign out</a>")
                && done
                    .body
                    .contains("/oauth2/v2.0/logout?post_logout_redirect_uri="),
            "{}",
            done.body
        );
        assert!(!browser.jar.contains_key("__Host-cpp_session"));
    }
}

#[tokio::test]
async fn a_replayed_callback_a_replayed_code_or_no_transaction_is_refused() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    let callback = browser.start(&base, OPERATOR, "/").await;
    let before = browser.clone();
    assert_eq!(browser.get(&callback).await.status, 303);
    // The same answer again, with the transaction's cookie as it was.
    let mut replay = before.clone();
    let again = replay.get(&callback).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(!replay.jar.contains_key("__Host-cpp_session"));
    // The code again, in a new sign-in: the provider refuses a redeemed code.
    let mut second = Browser::default();
    let fresh = second.start(&base, OPERATOR, "/").await;
    let state = fresh
        .split("state=")
        .nth(1)
        .expect("state")
        .split('&')
        .next()
        .expect("state");
    let code = callback
        .split("code=")
        .nth(1)
        .expect("code")
        .split('&')
        .next()
        .expect("code");
    let forged = format!("{base}/auth/callback?code={code}&state={state}");
    let refused = second.get(&forged).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(!second.jar.contains_key("__Host-cpp_session"));
    // An answer with no sign-in started in this browser.
    let mut stranger = Browser::default();
    let none = stranger.get(&callback).await;
    assert_eq!(none.status, 400);
    assert!(
        none.body.contains("No sign-in was started in this browser"),
        "{}",
        none.body
    );
}

/// oauth2-proxy's kinds of open redirect, and the issue's own vectors.
#[tokio::test]
async fn the_return_address_is_always_on_the_proxys_own_origin() {
    let base = simulated(&[]).await;
    for rd in [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/./\\evil.example",
        "/%09/evil.example",
        "/%2F/evil.example",
        "http:evil.example",
        "\\/evil.example",
    ] {
        let mut browser = Browser::default();
        let done = browser.sign_in(&base, OPERATOR, rd).await;
        assert_eq!(
            done.location.as_deref(),
            Some(format!("{base}/").as_str()),
            "{rd:?}"
        );
    }
}

#[tokio::test]
async fn api_requests_without_a_session_are_401_in_the_apis_shape() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    for path in [
        format!("/api/publishers?{V}"),
        format!("/api/publishers/contoso/offers?{V}"),
        "/api/nonsense".into(),
        "/graph/product?$version=2022-07-01".into(),
    ] {
        let step = browser.get(&format!("{base}{path}")).await;
        assert_eq!(step.status, 401, "{path}");
        assert_eq!(step.location, None, "never a redirect");
        let body: serde_json::Value = serde_json::from_str(&step.body).expect("json");
        assert_eq!(body["error"]["code"], "SignInRequired", "{path}");
    }
    let posted = browser
        .post(
            &format!("{base}/api/publishers/contoso/offers/contoso-vm/cancel?{V}"),
            &[("x-csrf", "1")],
        )
        .await;
    assert_eq!(posted.status, 401);
    // The proxy's own probes and the sign-in answer without a session.
    assert_eq!(browser.get(&format!("{base}/healthz")).await.status, 200);
    let ready = browser.get(&format!("{base}/readyz")).await;
    assert_eq!(ready.status, 200);
    assert!(ready.body.contains("\"signIn\":true"), "{}", ready.body);
    let (status, body) = me(&mut browser, &base).await;
    assert_eq!(
        (
            status,
            body["signIn"].clone(),
            body["error"]["code"].clone()
        ),
        (401, true.into(), "SignInRequired".into())
    );
}

#[tokio::test]
async fn a_tampered_cookie_is_nobody() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    browser.sign_in(&base, OPERATOR, "/").await;
    let value = browser.jar["__Host-cpp_session"].clone();
    let mut tampered = value.clone();
    let last = tampered.pop().expect("a value");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for bad in [tampered, format!("{value}x"), String::new(), "..%00".into()] {
        let mut other = Browser::default();
        other.jar.insert("__Host-cpp_session".into(), bad.clone());
        assert_eq!(me(&mut other, &base).await.0, 401, "{bad:?}");
    }
    // The cookie twice, the real one and a planted one: neither is trusted.
    let twice = common::client()
        .get(format!("{base}/auth/me"))
        .header(
            "cookie",
            format!("__Host-cpp_session={value}; __Host-cpp_session=planted"),
        )
        .send()
        .await
        .expect("send");
    assert_eq!(twice.status(), 401);
    assert_eq!(me(&mut browser, &base).await.0, 200);
}

#[tokio::test]
async fn logging_out_needs_the_header_and_ends_the_session() {
    let base = simulated(&[]).await;
    let mut browser = Browser::default();
    browser.sign_in(&base, OPERATOR, "/").await;
    let kept = browser.clone();
    let refused = browser.post(&format!("{base}/auth/logout"), &[]).await;
    assert_eq!(refused.status, 403);
    let foreign = browser
        .post(
            &format!("{base}/auth/logout"),
            &[("x-csrf", "1"), ("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(foreign.status, 403);
    assert_eq!(me(&mut browser, &base).await.0, 200, "still signed in");
    let out = browser
        .post(
            &format!("{base}/auth/logout"),
            &[("x-csrf", "1"), ("origin", base.as_str())],
        )
        .await;
    assert_eq!(out.status, 303);
    let to = out.location.expect("to the provider's sign-out");
    assert!(
        to.contains("/oauth2/v2.0/logout?post_logout_redirect_uri=http%3A%2F%2F127%2E0%2E0%2E1"),
        "{to}"
    );
    assert!(
        !browser.jar.contains_key("__Host-cpp_session"),
        "the cookie is cleared"
    );
    let mut stolen = kept;
    assert_eq!(
        me(&mut stolen, &base).await.0,
        401,
        "the session itself is over"
    );
    // A script asks for JSON: it cannot follow a redirect to another site.
    let mut second = Browser::default();
    second.sign_in(&base, OPERATOR, "/").await;
    let json = second
        .post(
            &format!("{base}/auth/logout"),
            &[("x-csrf", "1"), ("accept", "application/json")],
        )
        .await;
    assert_eq!(json.status, 200);
    let body: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert!(body["redirect"]
        .as_str()
        .expect("redirect")
        .contains("/oauth2/v2.0/logout"));
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_a_busy_one_at_its_lifetime() {
    let base = simulated(&["--session-idle", "1s", "--session-lifetime", "3s"]).await;
    let mut idle = Browser::default();
    idle.sign_in(&base, OPERATOR, "/").await;
    tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
    assert_eq!(
        me(&mut idle, &base).await.0,
        401,
        "idle for longer than 1 s"
    );
    let mut busy = Browser::default();
    busy.sign_in(&base, OPERATOR, "/").await;
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(2_500) {
        assert_eq!(me(&mut busy, &base).await.0, 200, "used every 0.3 s");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(me(&mut busy, &base).await.0, 401, "past its 3 s lifetime");
}

#[tokio::test]
async fn with_sign_in_off_the_app_is_told_so() {
    let addr = common::proxy(&["--simulate"]).await;
    let me = common::fetch(addr, "/auth/me").await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()["cache-control"], "no-store");
    assert_eq!(
        me.json::<serde_json::Value>().await.expect("json"),
        serde_json::json!({ "signIn": false })
    );
    assert_eq!(common::fetch(addr, "/auth/login").await.status(), 404);
}

#[tokio::test]
async fn sessions_live_in_postgresql_as_in_sqlite() {
    let url = common::postgres::database().await;
    let addr = common::proxy(&["--simulate", "--auth", "entra", "--store", &url]).await;
    let base = format!("http://{addr}");
    let mut browser = Browser::default();
    assert_eq!(browser.sign_in(&base, VIEWER, "/").await.status, 303);
    assert_eq!(me(&mut browser, &base).await.1["operator"], false);
    // A second proxy on the same database (a replica) knows the session.
    let replica = common::proxy(&["--simulate", "--auth", "entra", "--store", &url]).await;
    assert_eq!(me(&mut browser, &format!("http://{replica}")).await.0, 200);
    browser
        .post(&format!("{base}/auth/logout"), &[("x-csrf", "1")])
        .await;
    let mut after = browser.clone();
    after.jar.insert("__Host-cpp_session".into(), "gone".into());
    assert_eq!(me(&mut after, &format!("http://{replica}")).await.0, 401);
}

#[tokio::test]
async fn the_simulated_sign_in_page_escapes_what_it_is_sent() {
    let base = simulated(&[]).await;
    let url = format!(
        "{base}/_sim/login/{}/oauth2/v2.0/authorize?client_id=c&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_challenge=x&code_challenge_method=S256&state=s&login_hint=%3Cscript%3E%27x",
        cpp_proxy::auth::SIM_TENANT
    );
    let page = Browser::default().get(&url).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("No simulated user is called &lt;script&gt;&#39;x."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>"), "{}", page.body);
}
