//! Going live at sign-off, against the simulator through the proxy and in the demo: the
//! button only where a preview waits for the publisher, a confirmation that names the offer
//! and says it cannot be undone, then the page follows the new goLive operation.

use e2e::{Browser, Server};

async fn go_live_from(b: &Browser, s: &Server, offer_page: &str) {
    b.goto(&s.url(offer_page)).await;
    b.click(".outlook__link").await;
    b.wait("[data-testid=go-live-button]").await;
    let before = b.path().await;
    assert!(before.contains("/operations/"), "{before}");
    b.click("[data-testid=go-live-button]").await;
    let dialog = b.wait("[data-testid=go-live-confirm]").await;
    let words = dialog.text().await.expect("text");
    assert!(
        words.contains("contoso-data-science-vm") && words.contains("cannot be undone"),
        "{words}"
    );
    assert!(
        b.all("[data-testid=go-live-button]").await.is_empty(),
        "one way to confirm at a time"
    );
    b.click("[data-testid=go-live-yes]").await;
    b.until(
        "the page follows the new operation",
        &format!("location.pathname !== '{before}' && location.pathname.includes('/operations/')"),
    )
    .await;
    b.until(
        "the goLive operation's Live step running",
        "[...document.querySelectorAll('[data-testid=timeline-step]')].some(li => li.innerText.includes('Live') && li.querySelector('[data-testid=step-status]').innerText === 'Running')",
    )
    .await;
    let heading = b.js("return document.querySelector('h1').innerText;").await;
    assert_eq!(heading, serde_json::json!("Go live operation"));
    assert!(b.all("[data-testid=go-live-button]").await.is_empty());
    // Back: the signed-off preview, completed, with nothing left to sign.
    b.js("history.back();").await;
    b.until(
        "back on the signed-off operation",
        &format!("location.pathname === '{before}'"),
    )
    .await;
    b.until(
        "its sign-off completed",
        "[...document.querySelectorAll('[data-testid=timeline-step]')].some(li => li.innerText.includes('Publisher signoff') && li.querySelector('[data-testid=step-status]').innerText === 'Completed')",
    )
    .await;
    assert!(b.all("[data-testid=go-live-button]").await.is_empty());
}

#[tokio::test]
async fn go_live_through_the_proxy_and_in_the_demo() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    go_live_from(
        &b,
        &s,
        "/live/publishers/contoso/offers/contoso-data-science-vm",
    )
    .await;
    let log = s.log();
    assert!(
        log.contains(
            "method=POST path=/api/publishers/contoso/offers/contoso-data-science-vm/golive status=202"
        ),
        "{log}"
    );
    go_live_from(
        &b,
        &s,
        "/demo/publishers/contoso/offers/contoso-data-science-vm",
    )
    .await;
    // A running operation that waits for nobody offers no go-live.
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.click(".outlook__link").await;
    b.wait("[data-testid=timeline-step]").await;
    assert!(b.all("[data-testid=go-live-button]").await.is_empty());
    b.stop().await;
}
