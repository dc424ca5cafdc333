//! Every injected fault shows its own message, the page recovers when the fault ends, and
//! hostile messageHtml never runs.

use e2e::{Browser, Server};

const OFFER: &str = "/live/publishers/contoso/offers/contoso-ubuntu-vm";

#[tokio::test]
async fn each_fault_has_its_own_message_and_the_page_recovers() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    let cases = [
        ("bad-request", "The service refused the request.", "The API version is not supported (simulated fault)."),
        ("unauthorized", "Your token is missing, invalid or expired.", "az account get-access-token"),
        ("forbidden", "This identity has no access to this publisher.", "ask an owner"),
        ("not-found", "No such offer.", "Check the publisher, offer and operation ids"),
        ("throttled", "The service is busy (HTTP 429).", "Retrying in"),
        ("server-error", "The service is busy (HTTP 500).", "Retrying in"),
        ("truncated", "The response could not be read: could not read the list of operations: the response ended too early", "line"),
        ("malformed", "The response could not be read: could not read the list of operations", "column"),
    ];
    for (fault, title, more) in cases {
        s.set_fault(Some(fault), None);
        b.goto(&s.url(OFFER)).await;
        b.wait("[data-testid=error-panel]").await;
        let text = b.page_text().await;
        assert!(text.contains(title), "{fault}: {text}");
        assert!(text.contains(more), "{fault}: {text}");
        assert!(b.all("[data-testid=operation-row]").await.is_empty());
        s.set_fault(None, None);
        // Retryable faults come back by themselves; the others on "Try again now".
        if !matches!(fault, "throttled" | "server-error") {
            for button in b.all("[data-testid=error-panel] button").await {
                let _ = button.click().await;
            }
        }
        b.wait("[data-testid=operation-row]").await;
        b.until(
            "no error left",
            "document.querySelectorAll('[data-testid=error-panel]').length === 0",
        )
        .await;
    }
    b.stop().await;
}

#[tokio::test]
async fn a_slow_answer_shows_loading_then_data() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    s.set_fault(Some("slow"), Some(2));
    b.goto(&s.url(OFFER)).await;
    b.wait("[role=status][aria-busy=true]").await;
    b.wait("[data-testid=operation-row]").await;
    b.stop().await;
}

#[tokio::test]
async fn the_last_good_data_stays_visible_marked_stale() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url(OFFER)).await;
    b.wait("[data-testid=operation-row]").await;
    s.set_fault(Some("unauthorized"), None);
    for button in b.all(".refresh-bar button").await {
        button.click().await.expect("refresh");
    }
    let notice = b
        .wait("[data-testid=stale-notice]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        notice.contains("Your token is missing, invalid or expired.")
            && notice.contains("Showing data from"),
        "{notice}"
    );
    assert_eq!(
        b.all("[data-testid=operation-row]").await.len(),
        3,
        "old rows still shown"
    );
    s.set_fault(None, None);
    for button in b.all(".refresh-bar button").await {
        button.click().await.expect("refresh");
    }
    b.until(
        "the stale notice to go",
        "document.querySelectorAll('[data-testid=stale-notice]').length === 0",
    )
    .await;
    b.stop().await;
}

#[tokio::test]
async fn xss_in_message_html_never_runs() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    s.set_fault(Some("xss"), None);
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-windows-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let rows = b.page_text().await;
    assert!(
        rows.contains("<img src=x onerror="),
        "a hostile submission type is shown as text"
    );
    b.click("[data-testid=operation-row] a").await;
    b.wait("[data-testid=message]").await;
    b.until(
        "the payload messages",
        "document.querySelectorAll('[data-testid=message]').length > 6",
    )
    .await;
    let injected = b
        .js("return document.querySelectorAll('.message__body img, .message__body script, .message__body svg, .message__body iframe, .message__body style, .message__body form, .message__body [onerror], .message__body [onload], .message__body a[href^=javascript]').length;")
        .await;
    assert_eq!(injected, 0);
    assert_eq!(b.js("return typeof window.__xss;").await, "undefined");
    assert!(b.client.get_alert_text().await.is_err(), "no dialog opened");
    assert!(
        b.page_text().await.contains("bold"),
        "harmless text is kept"
    );
    // Nothing was fetched because of a payload.
    let log = s.log();
    assert!(
        !log.contains("xss-img")
            && !log
                .contains("path=/live/publishers/contoso/offers/contoso-windows-vm/operations/x "),
        "{log}"
    );
    b.stop().await;
}
