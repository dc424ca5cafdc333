//! A publisher's journeys through the release build, over the real HTTP path (proxy in front
//! of the simulator).

use std::time::Duration;

use e2e::{Browser, Server, ENTER, TAB};

async fn open_offer(b: &Browser, s: &Server, publisher: &str, offer: &str) {
    b.goto(&s.url(&format!("/live/publishers/{publisher}/offers/{offer}")))
        .await;
    b.wait("[data-testid=operation-row]").await;
}

#[tokio::test]
async fn start_page_choose_an_offer_and_see_its_operations() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    b.click("[data-testid=source-live]").await;
    b.wait("[data-testid=connection-form]").await;
    let publishers = b.wait("[data-testid=publishers]").await;
    assert!(publishers
        .text()
        .await
        .expect("text")
        .contains("Contoso Ltd"));
    assert!(
        b.all("[data-testid=publishers] [aria-current]")
            .await
            .is_empty(),
        "nothing chosen yet"
    );
    b.client
        .find(fantoccini::Locator::LinkText("Contoso Ltd contoso"))
        .await
        .expect("publisher link")
        .click()
        .await
        .expect("click");
    let offers = b.wait("[data-testid=offers]").await;
    let current = b.all("[data-testid=publishers] [aria-current]").await;
    assert_eq!(current.len(), 1, "exactly the chosen publisher is marked");
    assert!(current[0]
        .text()
        .await
        .expect("text")
        .contains("Contoso Ltd"));
    assert!(offers
        .text()
        .await
        .expect("text")
        .contains("Contoso Ubuntu VM"));
    let link = b.all("[data-testid=offers] a").await;
    let mut target = None;
    for l in link {
        if l.text().await.expect("text").contains("contoso-ubuntu-vm") {
            target = Some(l);
        }
    }
    target
        .expect("the offer's link")
        .click()
        .await
        .expect("click");
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        b.path().await,
        "/live/publishers/contoso/offers/contoso-ubuntu-vm"
    );
    assert_eq!(b.all("[data-testid=operation-row]").await.len(), 3);
    let page = b.page_text().await;
    assert!(page.contains("Current status") && page.contains("Certification"));
    assert!(
        b.all("[data-testid=demo-label]").await.is_empty(),
        "real source: no demo label"
    );
    let csp_problems: Vec<_> = b
        .console()
        .await
        .into_iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
        .collect();
    assert!(csp_problems.is_empty(), "{csp_problems:?}");
    // A live publisher that happens to be called "demo" is not demo data.
    b.goto(&s.url("/live/publishers/demo/offers/demo")).await;
    b.wait("[data-testid=error-panel]").await;
    assert!(b.all("[data-testid=demo-label]").await.is_empty());
    b.stop().await;
}

#[tokio::test]
async fn filter_by_each_status_and_by_text() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    open_offer(&b, &s, "fabrikam", "fabrikam-hardened-vm").await;
    let total_text = b
        .wait("[data-testid=showing]")
        .await
        .text()
        .await
        .expect("text");
    let total: usize = total_text
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a total");
    assert!(total >= 300, "{total_text}");
    for key in [
        "running",
        "failed",
        "completed",
        "canceled",
        "notstarted",
        "superseded",
    ] {
        let toggle = b.wait(&format!("[data-testid=filter-{key}]")).await;
        let label = toggle.text().await.expect("text");
        let count: usize = label
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count");
        // The list redraws as it polls: a click on a toggle being replaced is tried again.
        b.click_until(
            &format!("[data-testid=filter-{key}]"),
            "the URL to carry the filter",
            &format!("location.search === '?status={key}'"),
        )
        .await;
        b.until("the toggle to be pressed", &format!("document.querySelector('[data-testid=filter-{key}]').getAttribute('aria-pressed') === 'true'")).await;
        if count == 0 {
            b.wait("[data-testid=empty-state]").await;
        } else {
            b.until("the filtered list", &format!("document.querySelector('[data-testid=showing]') && document.querySelector('[data-testid=showing]').innerText.endsWith(' of {count}')")).await;
            let badge_words = b.js("return [...document.querySelectorAll('[data-testid=operation-row] [data-testid=status-badge]')].map(e => e.innerText);").await;
            let word = label
                .split_whitespace()
                .nth(1)
                .expect("label word")
                .to_owned();
            for badge in badge_words.as_array().expect("list") {
                assert!(
                    badge.as_str().expect("text").contains(&word),
                    "{key}: {badge} in a {word} filter"
                );
            }
        }
        b.click_until(
            &format!("[data-testid=filter-{key}]"),
            "the filter cleared",
            "location.search === ''",
        )
        .await;
    }
    let search = b.wait("[data-testid=filter-text]").await;
    search.send_keys("golive").await.expect("type");
    b.until(
        "the URL to carry the text",
        "location.search === '?q=golive'",
    )
    .await;
    b.until("only goLive rows", "[...document.querySelectorAll('[data-testid=operation-row] a')].every(a => a.innerText === 'Go live')").await;
    let rows = b.all("[data-testid=operation-row]").await.len();
    assert!(rows > 0);
    b.stop().await;
}

#[tokio::test]
async fn open_an_operation_and_read_every_step() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    open_offer(&b, &s, "contoso", "contoso-ubuntu-vm").await;
    let lists_before = b.js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/submissions'))").await.as_array().map_or(0, Vec::len);
    b.click("[data-testid=operation-row] a").await;
    b.wait("[data-testid=timeline-step]").await;
    assert!(b
        .path()
        .await
        .starts_with("/live/publishers/contoso/offers/contoso-ubuntu-vm/operations/"));
    // The detail has no type or slot (as documented); opened from the list, the page reads
    // them from the list it came from instead of asking for it again.
    b.until(
        "the type from the list",
        "document.querySelector('h1.page__title')?.innerText === 'Publish operation'",
    )
    .await;
    // The only list asked for after the click is the history's (completed operations).
    let lists = b.js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/submissions'))").await;
    let lists = lists.as_array().expect("list");
    assert!(
        lists[lists_before..]
            .iter()
            .all(|u| u.as_str().is_some_and(|u| u.contains("status=completed"))),
        "{lists:?}"
    );
    let steps = b
        .js("return [...document.querySelectorAll('[data-testid=timeline] [data-testid=timeline-step]')].map(li => ({
              name: li.querySelector('.steps__name').innerText,
              status: li.querySelector('[data-testid=step-status]').innerText,
              estimate: li.querySelector('[data-testid=step-estimate]').innerText,
              progress: li.querySelector('[data-testid=step-progress]')?.innerText ?? null,
              current: li.getAttribute('aria-current') }));")
        .await;
    let steps = steps.as_array().expect("steps");
    let names: Vec<&str> = steps
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "Validate Pre-Requisites",
            "Certification",
            "Provisioning",
            "Packaging and Lead Generation Registration",
            "Publisher signoff",
            "Live"
        ]
    );
    assert_eq!(steps[0]["status"], "Completed");
    assert!(
        steps[0]["progress"].is_null(),
        "a finished step has no progress bar"
    );
    assert_eq!(steps[1]["status"], "Running");
    assert_eq!(steps[1]["current"], "step");
    // A percentage in the locale's form (Intl): "45%" in English.
    assert!(steps[1]["progress"]
        .as_str()
        .expect("progress")
        .ends_with('%'));
    for (i, stated) in [
        (1, "Microsoft: < 5 day"),
        (4, "Microsoft gives no estimate"),
        (5, "Microsoft: ~2-5 days"),
    ] {
        let estimate = steps[i]["estimate"].as_str().expect("estimate");
        assert!(
            estimate.starts_with(stated),
            "the time frame once, as sent: {estimate}"
        );
    }
    let eta = b
        .wait("[data-testid=eta-summary]")
        .await
        .text()
        .await
        .expect("text");
    assert!(eta.starts_with("Preview ready between"), "{eta}");
    assert!(
        eta.contains("After you sign off, live 2–5 days later."),
        "{eta}"
    );
    assert_eq!(
        b.wait("[data-testid=cancellation]")
            .await
            .text()
            .await
            .expect("text"),
        "Can be canceled"
    );

    // Opened cold, it fetches the list only narrowed to the operation's status: an offer can
    // have thousands of operations.
    b.client.refresh().await.expect("reload");
    b.wait("[data-testid=timeline-step]").await;
    b.until(
        "the type from the narrowed list",
        "document.querySelector('h1.page__title')?.innerText === 'Publish operation'",
    )
    .await;
    let lists = b
        .js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/submissions'))")
        .await;
    let lists: Vec<&str> = lists
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|u| u.as_str())
        .filter(|u| !u.contains("status=completed"))
        .collect();
    assert_eq!(lists.len(), 1, "besides the history's, one list: {lists:?}");
    assert!(lists[0].contains("status=running"), "{lists:?}");
    b.stop().await;
}

#[tokio::test]
async fn deep_links_reload_and_history_moves_back_and_forward() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    open_offer(&b, &s, "fabrikam", "fabrikam-hardened-vm").await;
    b.click("[data-testid=filter-failed]").await;
    b.until("filter in URL", "location.search === '?status=failed'")
        .await;
    b.click("[data-testid=operation-row] a").await;
    b.wait("[data-testid=timeline-step]").await;
    let operation_path = b.path().await;

    b.client.refresh().await.expect("reload");
    b.wait("[data-testid=timeline-step]").await;
    assert_eq!(
        b.path().await,
        operation_path,
        "the operation page survives a reload"
    );

    b.client.back().await.expect("back");
    b.until(
        "back on the filtered list",
        "location.search === '?status=failed'",
    )
    .await;
    b.until("the toggle pressed again", "document.querySelector('[data-testid=filter-failed]')?.getAttribute('aria-pressed') === 'true'").await;
    b.client.back().await.expect("back");
    b.until(
        "the unfiltered list",
        "location.search === '' && location.pathname.endsWith('fabrikam-hardened-vm')",
    )
    .await;
    b.client.forward().await.expect("forward");
    b.until(
        "forward to the filter",
        "location.search === '?status=failed'",
    )
    .await;
    b.client.forward().await.expect("forward");
    b.wait("[data-testid=timeline-step]").await;
    assert_eq!(b.path().await, operation_path);

    // A deep link opened cold, with a filter and a search.
    b.goto(
        &s.url("/live/publishers/fabrikam/offers/fabrikam-hardened-vm?status=completed&q=golive"),
    )
    .await;
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        b.wait("[data-testid=filter-text]")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("golive")
    );
    b.stop().await;
}

#[tokio::test]
async fn a_running_step_advances_through_polling() {
    let s = Server::simulator(&["--speed", "36000"]);
    let b = Browser::start().await;
    b.goto(&s.url("/?source=live")).await;
    let poll = b.wait("input[name=poll]").await;
    poll.clear().await.expect("clear");
    poll.send_keys("10").await.expect("type");
    b.click("[data-testid=connection-form] button[type=submit]")
        .await;
    open_offer(&b, &s, "contoso", "contoso-ubuntu-vm").await;
    b.click("[data-testid=operation-row] a").await;
    b.wait("li[aria-current=step] [data-testid=step-progress]")
        .await;
    let read = "return [...document.querySelectorAll('[data-testid=timeline-step]')].map(li => li.querySelector('[data-testid=step-status]').innerText + ' ' + (li.querySelector('[data-testid=step-progress]')?.innerText ?? '')).join(' | ');";
    let before = b.js(read).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = b.js(read).await;
        if now != before {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no step moved in 30 s: {before}"
        );
    }
    let updated = b
        .wait("[data-testid=updated]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        updated.contains("Updated") && updated.contains("next update in"),
        "{updated}"
    );
    b.stop().await;
}

#[tokio::test]
async fn every_action_is_reachable_by_keyboard() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    open_offer(&b, &s, "fabrikam", "fabrikam-hardened-vm").await;
    b.js("document.activeElement && document.activeElement.blur(); window.focus();")
        .await;
    let mut found = false;
    for _ in 0..40 {
        b.client
            .find(fantoccini::Locator::Css("body"))
            .await
            .expect("body");
        b.keys(TAB).await;
        let id = b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');").await;
        if id == "filter-failed" {
            found = true;
            break;
        }
    }
    assert!(found, "the Failed toggle is reachable with Tab");
    let outline = b
        .js("return getComputedStyle(document.activeElement).outlineStyle;")
        .await;
    assert_ne!(outline, "none", "focus is visible");
    b.keys(ENTER).await;
    b.until(
        "Enter toggles the filter",
        "location.search === '?status=failed'",
    )
    .await;
    let mut on_link = false;
    for _ in 0..40 {
        b.keys(TAB).await;
        let is_link = b.js("return !!document.activeElement.closest('[data-testid=operation-row]') && document.activeElement.tagName === 'A';").await;
        if is_link == true {
            on_link = true;
            break;
        }
    }
    assert!(on_link, "an operation link is reachable with Tab");
    b.keys(ENTER).await;
    b.wait("[data-testid=timeline-step]").await;
    b.stop().await;
}

#[tokio::test]
async fn cancel_asks_for_confirmation_then_cancels() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    open_offer(&b, &s, "contoso", "contoso-ubuntu-vm").await;
    b.click("[data-testid=operation-row] a").await;
    b.click("[data-testid=cancel-button]").await;
    let dialog = b.wait("[role=alertdialog]").await;
    assert!(dialog
        .text()
        .await
        .expect("text")
        .contains("Cancel this operation?"));
    b.client
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Keep it running']",
        ))
        .await
        .expect("keep button")
        .click()
        .await
        .expect("back out");
    b.until(
        "the confirmation to close",
        "!document.querySelector('[role=alertdialog]')",
    )
    .await;
    assert_eq!(
        b.wait("[data-testid=cancellation]")
            .await
            .text()
            .await
            .expect("text"),
        "Can be canceled"
    );

    b.click("[data-testid=cancel-button]").await;
    b.click("[data-testid=cancel-confirm]").await;
    let outcome = b
        .wait("[data-testid=cancel-outcome]")
        .await
        .text()
        .await
        .expect("text");
    assert!(outcome.contains("Cancellation accepted"), "{outcome}");
    b.until("the canceled status", "document.querySelector('.operation-header [data-testid=status-badge]')?.innerText.includes('Canceled')").await;
    assert!(
        b.all("[data-testid=cancel-button]").await.is_empty(),
        "no cancel once canceled"
    );
    assert!(
        s.log().contains(
            "method=POST path=/api/publishers/contoso/offers/contoso-ubuntu-vm/cancel status=202"
        ),
        "{}",
        s.log()
    );
    b.stop().await;
}

/// The app built for a sub-path (`--public-url /ops/`), as on a CDN: assets, links, the
/// router and deep links all stay under `/ops/`.
#[tokio::test]
async fn a_sub_path_build_keeps_links_assets_and_deep_links_under_it() {
    let s = Server::simulator_serving(&e2e::dist_ops(), &["--static-prefix", "/ops/"]);
    let b = Browser::start().await;

    // A deep link opened cold.
    b.goto(&s.url("/ops/live/publishers/fabrikam/offers/fabrikam-hardened-vm?status=failed"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    b.until(
        "the filter read from the query",
        "document.querySelector('[data-testid=filter-failed]')?.getAttribute('aria-pressed') === 'true'",
    )
    .await;

    // A row link stays under the base and is handled in the page.
    b.js("window.__samePage = true").await;
    b.click("[data-testid=operation-row] a").await;
    b.wait("[data-testid=timeline-step]").await;
    let operation_path = b.path().await;
    assert!(
        operation_path
            .starts_with("/ops/live/publishers/fabrikam/offers/fabrikam-hardened-vm/operations/"),
        "{operation_path}"
    );
    assert_eq!(
        b.js("return window.__samePage === true").await,
        serde_json::Value::Bool(true),
        "no page load"
    );

    // Reload the operation's deep link, then back to the start through the breadcrumb.
    b.client.refresh().await.expect("reload");
    b.wait("[data-testid=timeline-step]").await;
    b.click("nav.breadcrumbs a[href='/ops/']").await;
    b.wait("[data-testid=source-demo]").await;
    assert_eq!(b.path().await, "/ops/");
    b.client.back().await.expect("back");
    b.wait("[data-testid=timeline-step]").await;
    assert_eq!(b.path().await, operation_path);

    // Every asset came from under the base, every request from the base, the API, the
    // proxy's sign-in (`/auth/me`: whether anyone signs in here) or its watcher
    // (`/dashboard/v1/`: what it watches, its history), all the proxy's.
    let outside = b
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => !p.startsWith('/ops/') && !p.startsWith('/api/') && p !== '/auth/me' && !p.startsWith('/dashboard/v1/'))")
        .await;
    assert_eq!(
        outside,
        serde_json::json!([]),
        "requests outside /ops/, /api/, /auth/me and /dashboard/v1/"
    );
    b.stop().await;
}
