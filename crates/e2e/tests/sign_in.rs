//! Signing in at the proxy, in Chromium, through the simulator's identity provider: as a
//! viewer (the controls shown disabled, "Operators only") and as an operator (a cancel the
//! page then names them for); a session that ends mid-use and a sign-in that comes back to
//! the same filtered address; and a record of the whole journey's network traffic that
//! holds no token.

use e2e::{Browser, Server};

fn signed_in_simulator(extra: &[&str]) -> (Server, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "e2e-sign-in-{}-{}",
        std::process::id(),
        extra.len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let store = format!("sqlite:{}", dir.join("state.db").display());
    let mut args = vec!["--auth", "entra", "--store", store.as_str()];
    args.extend_from_slice(extra);
    (Server::simulator(&args), dir)
}

/// On the simulated identity provider's page (no hint was given): picks `upn`.
async fn pick_account(b: &Browser, upn: &str) {
    b.until(
        "the simulated sign-in page",
        "document.title.includes('Sign in (simulated)')",
    )
    .await;
    b.client
        .find(fantoccini::Locator::LinkText(upn))
        .await
        .expect("the account's link")
        .click()
        .await
        .expect("pick the account");
}

/// The record without DevTools' base64 copies of request bodies (`postDataEntries`): the
/// body is in it as sent (`postData`), and a JSON body's base64 begins with `eyJ` whatever
/// it holds.
fn without_body_copies(record: &str) -> String {
    let mut out = String::with_capacity(record.len());
    let mut rest = record;
    while let Some(at) = rest.find("\"postDataEntries\":[") {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once(']').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// The header's account widget's words, once it shows.
async fn account_words(b: &Browser) -> String {
    text_of(b, "[data-testid=account]").await
}

/// The text of the first element `css` matches, once there is one.
async fn text_of(b: &Browser, css: &str) -> String {
    b.wait(css).await.text().await.expect("text")
}

const FILTERED: &str = "/live/publishers/contoso/offers/contoso-ubuntu-vm?status=running";

#[tokio::test]
async fn a_viewer_signs_in_and_sees_the_controls_disabled() {
    let (s, _dir) = signed_in_simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url(FILTERED)).await;
    // Nobody is signed in: the page says so in words and offers to sign in.
    let panel = text_of(&b, "[data-testid=error-panel]").await;
    assert!(
        panel.contains("Your session ended. Sign in again."),
        "{panel}"
    );
    b.click("[data-testid=error-panel] [data-testid=sign-in]")
        .await;
    pick_account(&b, "viewer@contoso.test").await;
    b.until(
        "back on the same filtered address",
        &format!("location.pathname + location.search === '{FILTERED}'"),
    )
    .await;
    b.wait("[data-testid=operation-row]").await;
    let account = account_words(&b).await;
    assert!(
        account.contains("Viewer") && account.contains("viewer"),
        "{account}"
    );
    b.click("[data-testid=operation-row] a").await;
    let said = text_of(&b, "[data-testid=operators-only]").await;
    assert_eq!(said, "Operators only");
    let cancel = b.wait("[data-testid=cancel-button]").await;
    assert!(
        cancel.attr("disabled").await.expect("attr").is_some(),
        "Cancel is shown, disabled"
    );
    let _ = cancel.click().await;
    assert!(
        b.all("[data-testid=cancel-confirm]").await.is_empty(),
        "a disabled Cancel opens nothing"
    );
    // The start page asks for no token: the proxy holds the credential.
    b.goto(&s.url("/")).await;
    b.click("[data-testid=source-live]").await;
    b.wait("[data-testid=sign-in-note]").await;
    assert!(b.all("[data-testid=token-input]").await.is_empty());
    b.stop().await;
}

#[tokio::test]
async fn an_operator_cancels_and_the_page_names_them_and_no_token_reaches_the_browser() {
    let (s, _dir) =
        signed_in_simulator(&["--sim-user", "ada.operator@contoso.test=Dashboard.Operator"]);
    let b = Browser::start().await;
    let _ = b.network_log().await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.click("[data-testid=sign-in]").await;
    pick_account(&b, "ada.operator@contoso.test").await;
    b.wait("[data-testid=operation-row]").await;
    let account = account_words(&b).await;
    assert!(
        account.contains("Ada Operator") && account.contains("operator"),
        "{account}"
    );
    b.click("[data-testid=operation-row] a").await;
    b.click("[data-testid=cancel-button]").await;
    b.click("[data-testid=cancel-confirm]").await;
    b.wait("[data-testid=cancel-outcome]").await;
    b.until(
        "the page to name who canceled",
        "document.querySelector('[data-testid=audit-line]')?.innerText.startsWith('Canceled by Ada Operator at ')",
    )
    .await;
    assert!(
        s.log()
            .contains("path=/api/publishers/contoso/offers/contoso-ubuntu-vm/cancel status=202"),
        "{}",
        s.log()
    );
    // Sign out: the session ends at the proxy, and the simulated provider sends the browser
    // back to the dashboard.
    b.click("[data-testid=sign-out]").await;
    b.until(
        "signed out, back on the dashboard",
        "!!document.querySelector('[data-testid=sign-in]')",
    )
    .await;
    let events = b.network_log().await;
    // The answers' bodies too, as far as the browser still holds them.
    let mut bodies = Vec::new();
    for event in &events {
        let event: serde_json::Value = serde_json::from_str(event).expect("json");
        let message = &event["message"];
        if message["method"] == "Network.responseReceived" {
            let id = message["params"]["requestId"].clone();
            let url = message["params"]["response"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if let Some(body) = b
                .try_cdp(
                    "Network.getResponseBody",
                    serde_json::json!({ "requestId": id }),
                )
                .await
            {
                bodies.push(format!(
                    "{url}\n{}",
                    body["body"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("/auth/me\n") && b.contains("\"signIn\":true")),
        "the record holds the answers' bodies: {} of them",
        bodies.len()
    );
    let record = without_body_copies(&format!("{}\n{}", events.join("\n"), bodies.join("\n")));
    // The record is of the whole journey: sign-in's steps and the session cookie are in it.
    for seen in [
        "/auth/callback?code=",
        "__Host-cpp_session=",
        "/auth/me",
        "/cancel?api-version=",
    ] {
        assert!(record.contains(seen), "the record lacks {seen}");
    }
    for secret in ["eyJ", "access_token", "id_token"] {
        let at = record
            .find(secret)
            .map(|i| &record[i.saturating_sub(400)..(i + 200).min(record.len())]);
        assert!(at.is_none(), "{secret} reached the browser: {at:?}");
    }
    b.stop().await;
}

#[tokio::test]
async fn a_session_that_ends_mid_use_comes_back_to_the_same_filtered_address() {
    let (s, _dir) = signed_in_simulator(&["--session-idle", "4s"]);
    let b = Browser::start().await;
    b.goto(&s.url(FILTERED)).await;
    b.click("[data-testid=sign-in]").await;
    pick_account(&b, "operator@contoso.test").await;
    let rows = b.all("[data-testid=operation-row]").await.len();
    b.wait("[data-testid=operation-row]").await;
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    b.click(".refresh-bar button").await;
    let notice = text_of(&b, "[data-testid=stale-notice]").await;
    assert!(
        notice.contains("Your session ended. Sign in again."),
        "{notice}"
    );
    assert!(
        !b.all("[data-testid=operation-row]").await.is_empty(),
        "the last data stays on screen"
    );
    let _ = rows;
    b.click("[data-testid=stale-notice] [data-testid=sign-in]")
        .await;
    pick_account(&b, "operator@contoso.test").await;
    b.until(
        "back on the same filtered address",
        &format!("location.pathname + location.search === '{FILTERED}'"),
    )
    .await;
    b.wait("[data-testid=operation-row]").await;
    assert!(b.all("[data-testid=stale-notice]").await.is_empty());
    b.stop().await;
}

#[tokio::test]
async fn what_was_typed_on_the_start_page_survives_signing_in() {
    let (s, _dir) = signed_in_simulator(&["--session-lifetime", "9h", "--session-idle", "8h"]);
    let b = Browser::start().await;
    b.goto(&s.url("/?source=live")).await;
    let typed = b.wait("[data-testid=typed-publisher]").await;
    typed.clear().await.expect("clear");
    typed.send_keys("typed-but-not-opened").await.expect("type");
    b.click("header [data-testid=sign-in]").await;
    pick_account(&b, "viewer@contoso.test").await;
    b.until("back on the start page", "location.pathname === '/'")
        .await;
    b.wait("[data-testid=account]").await;
    let value = b
        .js("return document.querySelector('[data-testid=typed-publisher]').value;")
        .await;
    assert_eq!(value, serde_json::json!("typed-but-not-opened"));
    b.stop().await;
}
