//! The operation timeline end to end: the release build through cpp-proxy in front of its
//! simulator, in Chromium.

use e2e::{Browser, Server};

#[tokio::test]
async fn a_blocked_operation_on_the_axis_in_text_in_the_feed_and_in_support_details() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-windows-vm"))
        .await;
    b.click(".outlook__link").await;
    b.wait("[data-testid=axis]").await;

    // One axis: ticks, a now line, one row per step, real bars for what ran.
    let axis = b
        .js(
            "const a = document.querySelector('[data-testid=axis]'); return {
              rows: a.querySelectorAll('[data-testid=axis-row]').length,
              bars: a.querySelectorAll('[data-testid=axis-bar]').length,
              ticks: a.querySelectorAll('[data-testid=axis-tick]').length,
              now: a.querySelectorAll('[data-testid=axis-now]').length,
              steps: document.querySelectorAll('[data-testid=timeline-step]').length };",
        )
        .await;
    assert_eq!(axis["rows"], axis["steps"], "{axis}");
    assert_eq!(axis["rows"], 6, "{axis}");
    assert_eq!(
        axis["bars"], 2,
        "validation done, certification blocked: {axis}"
    );
    assert_eq!(axis["now"], 1, "{axis}");
    assert!(axis["ticks"].as_u64().is_some_and(|t| t >= 3), "{axis}");

    // The same facts as text, and the header agrees with the blocked step.
    let text = b.page_text().await;
    assert!(text.contains("Stopped at Certification since"), "{text}");
    assert!(text.contains("Started 20 hours ago"), "{text}");
    let badge = b
        .wait("[data-testid=status-badge]")
        .await
        .text()
        .await
        .expect("badge");
    assert!(badge.contains("Blocked"), "{badge}");

    // The level chips filter the feed.
    let count = "return document.querySelectorAll('[data-testid=message]').length";
    let all = b.js(count).await.as_u64().expect("count");
    b.click("[data-testid=level-information]").await;
    let errors_only = b.js(count).await.as_u64().expect("count");
    assert!(
        errors_only >= 1 && errors_only < all,
        "{errors_only} of {all}"
    );

    // Support details: on the clipboard, or shown to copy by hand where it is refused.
    let copied = b.copy_support_details("[data-testid=copy-support]").await;
    let copied = copied.as_str();
    for needle in [
        "Publisher: contoso",
        "Offer: contoso-windows-vm",
        "Operation: ",
        "blocked",
        "[error] Certification: No virtual machine image",
    ] {
        assert!(copied.contains(needle), "missing {needle:?} in\n{copied}");
    }
    assert!(
        copied.contains("Request ids: "),
        "the proxy's request ids: {copied}"
    );
    b.stop().await;
}

#[tokio::test]
async fn an_operation_beside_the_last_successful_one_of_its_type() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.click(".outlook__link").await;
    b.wait("[data-testid=compare]").await;
    let rows = b
        .js("return [...document.querySelectorAll('[data-testid=compare-row]')].map(r => [...r.children].map(c => c.innerText))")
        .await;
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(rows[0][0], "Validate Pre-Requisites");
    assert!(
        rows[0][2]
            .as_str()
            .is_some_and(|t| t.starts_with("Completed · ")),
        "{rows:?}"
    );
    assert!(
        rows[1][1]
            .as_str()
            .is_some_and(|t| t.starts_with("Running · ")),
        "{rows:?}"
    );
    // The earlier operation is one click away.
    let href = b.js("return document.querySelector('[data-testid=compare]').previousElementSibling.querySelector('a').getAttribute('href')").await;
    assert!(
        href.as_str().is_some_and(|h| h.contains("/operations/")),
        "{href}"
    );
    b.stop().await;
}
