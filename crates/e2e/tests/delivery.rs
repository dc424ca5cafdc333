//! Delivery of the release build through cpp-proxy: assets arrive compressed (the brotli
//! copies scripts/build.sh wrote), the operations list is compressed on the fly, and a
//! repeat visit takes the app from the browser's cache, moving almost nothing.

use e2e::{downloaded, Browser, Server};
use serde_json::{json, Value};

/// Every resource the page loaded, with its name, bytes on the wire and bytes decoded.
const ENTRIES: &str = "return performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .map(e => ({ name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize }));";

fn entries(value: Value) -> Vec<(String, f64, f64, f64)> {
    value
        .as_array()
        .map(|all| {
            all.iter()
                .map(|e| {
                    let n = |k: &str| e[k].as_f64().unwrap_or(f64::NAN);
                    (
                        e["name"].as_str().unwrap_or_default().to_owned(),
                        n("transfer"),
                        n("encoded"),
                        n("decoded"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The wasm files fetched so far (the first load's and the pages'), by address.
async fn wasm_fetched(b: &Browser) -> Vec<String> {
    entries(b.js(ENTRIES).await)
        .into_iter()
        .map(|e| e.0)
        .filter(|name| name.ends_with(".wasm"))
        .collect()
}

/// Makes requests to addresses matching any of `patterns` fail (none: lets all through).
async fn block(b: &Browser, patterns: &[&str]) {
    b.cdp("Network.setBlockedURLs", json!({ "urls": patterns }))
        .await;
}

#[tokio::test]
async fn a_page_other_than_the_offers_loads_its_code_when_first_shown_and_says_when_it_cannot() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let first = wasm_fetched(&b).await;
    assert_eq!(
        first.len(),
        1,
        "the offer page needs only the first load: {first:?}"
    );
    assert!(first[0].ends_with("_bg.wasm"), "{first:?}");
    // The offer's requests leave while the page is being built, not after it (Leptos polls a
    // resource a tick after making it; remote::started sends the request at once).
    let order = b
        .js(
            "const mounted = performance.getEntriesByName('app:mounted')[0].startTime;
             return performance.getEntriesByType('resource')
               .filter(e => e.name.includes('/api/')).map(e => e.startTime < mounted);",
        )
        .await;
    assert_eq!(order, json!([true, true]), "sent before the mount ended");

    // The operation page's code cannot be fetched: the page says so and offers a retry
    // (and the rest of the app, the header, keeps working).
    block(&b, &["*split_operation*"]).await;
    b.click("[data-testid=operation-row] a").await;
    b.wait("[data-testid=code-unavailable]").await;
    assert!(b
        .page_text()
        .await
        .contains("This page could not be loaded."));
    block(&b, &[]).await;
    b.click("[data-testid=code-unavailable] button").await;
    b.wait("[data-testid=timeline-step]").await;
    assert!(b.all("[data-testid=code-unavailable]").await.is_empty());
    let after = wasm_fetched(&b).await;
    assert!(
        after.iter().any(|n| n.contains("split_operation")),
        "the operation page's own file was fetched: {after:?}"
    );
    // The blocked attempt is the only console error (the loader logs why it failed).
    let console = b.console().await;
    assert!(
        console
            .iter()
            .all(|m| m.contains("split_operation") || m.contains("Failed to fetch")),
        "{console:?}"
    );
    b.stop().await;
}

#[tokio::test]
async fn the_loader_says_the_dashboard_is_loading_and_when_its_code_cannot_be_fetched() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    // The first thing the loader showed on each page load.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "new MutationObserver(() => {
            const line = document.querySelector('.boot-status');
            if (line && window.__bootText === undefined) window.__bootText = line.textContent;
          }).observe(document, { childList: true, subtree: true });" }),
    )
    .await;
    // In the language the dashboard speaks: one chosen before, here.
    b.goto(&s.url("/healthz")).await;
    b.js("localStorage.setItem('cpp-dashboard.language', 'ru');")
        .await;
    block(&b, &["*_bg.wasm"]).await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.wait(".boot-status[role=alert]").await;
    let text = b.page_text().await;
    assert!(text.contains("Не удалось загрузить панель."), "{text}");
    assert!(text.contains("Проверьте подключение"), "{text}");
    assert_eq!(
        b.js("return window.__bootText;").await,
        json!("Загрузка панели…")
    );
    // The code can be fetched again: the button reloads, and the app takes the line's place.
    block(&b, &[]).await;
    b.click(".boot-status button").await;
    b.wait("[data-testid=operation-row]").await;
    assert!(
        b.all(".boot-status").await.is_empty(),
        "the app replaced it"
    );
    assert_eq!(
        b.js("return [window.__bootText, document.documentElement.lang];")
            .await,
        json!(["Загрузка панели…", "ru"])
    );
    b.stop().await;
}

#[tokio::test]
async fn the_demo_world_is_fetched_only_for_the_demo_and_its_failure_is_said_and_retried() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    // A publisher on the live service never downloads the simulated world (the first test
    // holds that its offer page fetches one wasm); the demo fetches it when first asked,
    // and says so in words when it cannot.
    block(&b, &["*split_demo_world*"]).await;
    b.goto(&s.url("/demo/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.wait("[data-testid=error-panel]").await;
    assert!(b
        .page_text()
        .await
        .contains("The demo could not be loaded."));
    assert!(b.all("[data-testid=operation-row]").await.is_empty());
    block(&b, &[]).await;
    // Both of the page's requests failed: try each again now.
    b.js("document.querySelectorAll('[data-testid=error-panel] button').forEach(b => b.click());")
        .await;
    b.wait("[data-testid=operation-row]").await;
    b.wait(".offer-status__line").await;
    assert!(b.all("[data-testid=error-panel]").await.is_empty());
    let fetched = wasm_fetched(&b).await;
    assert!(
        fetched.iter().any(|n| n.contains("split_demo_world")),
        "the world's own file was fetched: {fetched:?}"
    );
    b.stop().await;
}

#[tokio::test]
async fn the_export_and_the_ingestion_reader_are_fetched_when_first_needed_and_say_when_they_cannot(
) {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    let dir = std::env::temp_dir().join(format!("e2e-lazy-export-{}", std::process::id()));
    b.allow_downloads(&dir).await;
    b.goto(&s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;

    // The export's code comes with the first click; when it cannot, the page says so beside
    // the buttons, and the next click that gets it saves the file and clears the message.
    block(&b, &["*split_offer_export*"]).await;
    b.click("[data-testid=export-csv]").await;
    b.wait("[data-testid=export-unavailable]").await;
    assert!(b
        .page_text()
        .await
        .contains("The export could not be loaded."));
    block(&b, &[]).await;
    b.click("[data-testid=export-csv]").await;
    let csv = downloaded(&dir.join("contoso-ubuntu-vm-operations.csv")).await;
    assert!(csv.starts_with("\"operation id\",\"status\""), "{csv}");
    b.until(
        "the message cleared",
        "!document.querySelector('[data-testid=export-unavailable]')",
    )
    .await;
    let fetched = wasm_fetched(&b).await;
    assert!(
        fetched.iter().any(|n| n.contains("split_offer_export")),
        "{fetched:?}"
    );
    assert!(
        !fetched.iter().any(|n| n.contains("split_ingestion_reader")),
        "a publisher on the CPP API never fetches the Product Ingestion reader: {fetched:?}"
    );

    // The Product Ingestion source reads through code of its own; its failure is an error
    // panel in words, and trying again recovers.
    block(&b, &["*split_ingestion_reader*"]).await;
    b.goto(&s.url("/ingestion/publishers/account/offers/contoso-data-science-vm"))
        .await;
    b.wait("[data-testid=error-panel]").await;
    assert!(b
        .page_text()
        .await
        .contains("The Product Ingestion reader could not be loaded."));
    block(&b, &[]).await;
    b.js("document.querySelectorAll('[data-testid=error-panel] button').forEach(b => b.click());")
        .await;
    b.wait("[data-testid=operation-row]").await;
    let _ = std::fs::remove_dir_all(&dir);
    b.stop().await;
}

#[tokio::test]
async fn assets_and_data_arrive_compressed_and_a_repeat_visit_moves_almost_nothing() {
    let s = Server::simulator(&["--bulk", "300"]);
    let b = Browser::start().await;
    let page = s.url("/live/publishers/contoso/offers/contoso-bulk-300");
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.clearBrowserCache", json!({})).await;
    b.goto(&page).await;
    b.wait("[data-testid=operation-row]").await;

    let cold = entries(b.js(ENTRIES).await);
    let find = |all: &[(String, f64, f64, f64)], part: &str| {
        all.iter()
            .find(|e| e.0.contains(part))
            .cloned()
            .unwrap_or_else(|| panic!("no request for {part}: {all:?}"))
    };
    let wasm = find(&cold, "_bg.wasm");
    assert!(
        wasm.2 * 2.0 < wasm.3,
        "the wasm came compressed: {} bytes for {}",
        wasm.2,
        wasm.3
    );
    let list = find(&cold, "/submissions");
    assert!(
        list.2 * 3.0 < list.3,
        "300 operations came compressed: {} bytes for {}",
        list.2,
        list.3
    );

    // A repeat visit: hashed assets from the cache, the page and boot.js revalidated (304).
    b.goto("about:blank").await;
    b.goto(&page).await;
    b.wait("[data-testid=operation-row]").await;
    let warm = entries(b.js(ENTRIES).await);
    let app_bytes: f64 = warm
        .iter()
        .filter(|e| !e.0.contains("/api/"))
        .map(|e| e.1)
        .sum();
    assert!(
        app_bytes < 5_000.0,
        "a repeat visit moved {app_bytes} bytes before the data: {warm:?}"
    );
    assert_eq!(
        find(&warm, "_bg.wasm").1,
        0.0,
        "the wasm came from the cache"
    );
    let console = b.console().await;
    assert!(console.is_empty(), "{console:?}");
    b.stop().await;
}

/// True once the page has made two API requests.
const TWO_API_REQUESTS: &str =
    "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/')).length >= 2";

/// Where each of the offer page's API requests started, against the app's start: `true`
/// for one the loader sent before the app ran.
async fn api_requests_before_start(b: &Browser) -> Value {
    b.js("const start = performance.getEntriesByName('app:start')[0].startTime;
          return performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/api/'))
            .map(e => [e.name.split('?')[0].replace(/[/]$/, '').split('/').slice(-2).join('/'), e.startTime < start]).sort();")
        .await
}

/// Where this code ran before (so it is in the cache), the loader sends the offer page's two
/// requests while the app loads, and the app takes them over: each is sent once. Not on a
/// first visit, not with a token kept for the tab, and not the list when the address has a
/// status filter (the app sends that request itself).
#[tokio::test]
async fn a_repeat_visit_sends_the_offer_pages_requests_before_the_app_starts() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    let page = s.url("/live/publishers/contoso/offers/contoso-ubuntu-vm");
    b.goto(&page).await;
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        api_requests_before_start(&b).await,
        json!([
            ["contoso-ubuntu-vm/status", false],
            ["contoso-ubuntu-vm/submissions", false]
        ]),
        "a first visit: the app sends them"
    );

    b.goto(&page).await;
    b.wait("[data-testid=operation-row]").await;
    b.wait(".offer-status__line").await;
    let sent = api_requests_before_start(&b).await;
    let sent = sent.as_array().cloned().unwrap_or_default();
    assert_eq!(sent.len(), 2, "each request once: {sent:?}");
    assert!(
        sent.iter().all(|e| e[1] == json!(true)),
        "both sent before the app started: {sent:?}"
    );

    b.goto(&format!("{page}?status=failed")).await;
    b.wait("[data-testid=filter-failed][aria-pressed=true]")
        .await;
    b.until("both answers", TWO_API_REQUESTS).await;
    let sent = api_requests_before_start(&b).await;
    assert_eq!(
        sent,
        json!([
            ["contoso-ubuntu-vm/status", true],
            ["contoso-ubuntu-vm/submissions", false]
        ]),
        "a filtered list is the app's own request"
    );

    b.js("sessionStorage.setItem('cpp-dashboard.token', 'kept-for-the-tab');")
        .await;
    b.goto(&page).await;
    b.until("both requests", TWO_API_REQUESTS).await;
    let sent = api_requests_before_start(&b).await;
    let sent = sent.as_array().cloned().unwrap_or_default();
    assert!(
        sent.iter().all(|e| e[1] == json!(false)),
        "with a token the app sends its requests: {sent:?}"
    );
    b.stop().await;
}
