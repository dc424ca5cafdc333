//! The token's handling, the CSP, and the demo with no proxy at all.

use e2e::{Browser, Server};

const SECRET: &str = "e2e-secret-token-7f3a9c";

async fn storage(b: &Browser) -> String {
    b.js("return JSON.stringify({ local: {...localStorage}, session: {...sessionStorage} });")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn save_token(b: &Browser, remember: bool) {
    let input = b.wait("[data-testid=token-input]").await;
    input.send_keys(SECRET).await.expect("type the token");
    let check = b.wait("[data-testid=remember-token]").await;
    let checked = check.prop("checked").await.expect("checked").as_deref() == Some("true");
    if checked != remember {
        check.click().await.expect("toggle");
    }
    b.click("[data-testid=connection-form] button[type=submit]")
        .await;
}

#[tokio::test]
async fn the_token_is_never_in_the_url_storage_or_console_unless_kept_by_choice() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/?source=live")).await;
    save_token(&b, false).await;
    b.wait("[data-testid=publishers]").await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    // A full load drops the in-memory token; it was never stored.
    b.wait("[data-testid=operation-row]").await;
    assert!(!storage(&b).await.contains(SECRET));

    b.goto(&s.url("/?source=live")).await;
    save_token(&b, false).await;
    b.client
        .find(fantoccini::Locator::LinkText("Contoso Ltd contoso"))
        .await
        .expect("publisher")
        .click()
        .await
        .expect("click");
    b.click("[data-testid=offers] a").await;
    b.wait("[data-testid=operation-row]").await;
    assert!(!b
        .client
        .current_url()
        .await
        .expect("url")
        .as_str()
        .contains(SECRET));
    assert!(
        !storage(&b).await.contains(SECRET),
        "memory only by default"
    );
    assert!(b.console().await.iter().all(|m| !m.contains(SECRET)));
    assert!(!s.log().contains(SECRET), "the proxy never logs it");

    // Opting in keeps it for the tab, in session storage only.
    b.goto(&s.url("/?source=live")).await;
    save_token(&b, true).await;
    let kept = storage(&b).await;
    assert!(
        kept.contains(&format!("\"cpp-dashboard.token\":\"{SECRET}\"")),
        "{kept}"
    );
    assert!(
        !kept
            .split("\"session\"")
            .next()
            .unwrap_or_default()
            .contains(SECRET),
        "never in local storage"
    );
    b.client
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Forget token']",
        ))
        .await
        .expect("forget")
        .click()
        .await
        .expect("click");
    b.until(
        "the token to be forgotten",
        "!sessionStorage.getItem('cpp-dashboard.token')",
    )
    .await;
    b.stop().await;
}

#[tokio::test]
async fn the_csp_is_shipped_and_enforced() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-windows-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let meta = b
        .js("return document.querySelector('meta[http-equiv=Content-Security-Policy]').content;")
        .await;
    let meta = meta.as_str().expect("a CSP meta tag");
    assert!(
        meta.contains("script-src 'self' 'wasm-unsafe-eval'")
            && meta.contains("connect-src 'self'")
    );
    assert!(!meta.contains("unsafe-inline") && !meta.contains("'unsafe-eval'"));
    assert_eq!(
        b.js("return document.querySelectorAll('script:not([src])').length;")
            .await,
        0,
        "no inline script"
    );
    // Enforced: an inline script injected now is refused, and so is a request elsewhere.
    b.js("const s = document.createElement('script'); s.textContent = 'window.__inline_ran = true'; document.body.appendChild(s);").await;
    assert_eq!(b.js("return window.__inline_ran === true;").await, false);
    let blocked = b
        .client
        .execute_async("const done = arguments[0]; fetch('http://127.0.0.2:9/x').then(() => done('sent'), () => done('blocked'));", vec![])
        .await
        .expect("fetch");
    assert_eq!(blocked, "blocked");
    assert!(
        b.console()
            .await
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "the browser reports the refusals"
    );
    b.stop().await;
}

#[tokio::test]
async fn the_demo_works_with_no_proxy_at_all() {
    let s = Server::static_only();
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    b.wait("[data-testid=publishers]").await;
    b.client
        .find(fantoccini::Locator::LinkText("Contoso Ltd contoso"))
        .await
        .expect("publisher")
        .click()
        .await
        .expect("click");
    let offers = b.wait("[data-testid=offers]").await;
    assert!(offers
        .text()
        .await
        .expect("text")
        .contains("Contoso Windows Server VM"));
    b.click("[data-testid=offers] a").await;
    b.wait("[data-testid=operation-row]").await;
    assert!(b
        .path()
        .await
        .starts_with("/demo/publishers/contoso/offers/"));
    assert!(b
        .wait("[data-testid=demo-label]")
        .await
        .text()
        .await
        .expect("text")
        .contains("Demo data"));
    b.stop().await;
}
