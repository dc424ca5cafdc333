//! The dashboard in every language: each page in each language (and the pseudo-locale), at
//! 360 px and 1280 px wide, on every source: `<html lang>` right, no text overflowing its box,
//! axe clean. Also the switch itself: chosen in the header, remembered, the address unchanged,
//! and only the chosen catalogue fetched, under its content-hashed name.

use e2e::{Browser, Server};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::json;

const LOCALES: [&str; 6] = ["en", "zh-CN", "ru", "pt-BR", "it", "en-XA"];

/// Words that must show on the offer page in each language: the catalogue was applied.
fn offer_page_word(tag: &str) -> &'static str {
    match tag {
        "zh-CN" => "当前状态",
        "ru" => "Текущее состояние",
        "pt-BR" => "Status atual",
        "it" => "Stato attuale",
        "en-XA" => "Çûrréñt",
        _ => "Current status",
    }
}

/// Boxes whose content is wider than the box itself and spills out (overflow visible). Boxes
/// that scroll or clip on purpose (tables in a scroller, visually hidden text) do not count,
/// nor does the page scrolling sideways, which is checked on its own.
const OVERFLOWS: &str = r#"
    const out = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
        out.push(`page: ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    const wide = [];
    const clipped = el => {
        for (let a = el.parentElement; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (s.overflowX !== 'visible' || s.clipPath !== 'none' || s.clip !== 'auto') return true;
        }
        return false;
    };
    for (const el of document.querySelectorAll('body *')) {
        const s = getComputedStyle(el);
        if (s.display === 'inline' || s.display === 'none' || el.clientWidth === 0) continue;
        if (s.overflowX !== 'visible' || el.closest('.visually-hidden, [hidden]') || clipped(el)) continue;
        if (['SELECT', 'INPUT', 'TEXTAREA', 'PROGRESS', 'svg'].includes(el.tagName)) continue;
        if (el.scrollWidth > el.clientWidth + 1) wide.push(el);
    }
    // The innermost boxes only: their ancestors overflow because of them.
    for (const el of wide.filter(el => !wide.some(other => other !== el && el.contains(other)))) {
        const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
        const kids = [...el.children].map(c => `${c.tagName.toLowerCase()}.${c.className}:${Math.round(c.getBoundingClientRect().width)}`).join(' ');
        out.push(`${name}: ${el.scrollWidth}px of content in ${el.clientWidth}px (${kids.slice(0, 200)}): ${el.innerText.slice(0, 60)}`);
    }
    return out.slice(0, 5);
"#;

async fn set_width(b: &Browser, width: u32) {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
    )
    .await;
}

#[tokio::test]
async fn every_page_in_every_language_at_both_widths() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    // A page to land on before each language is set, so localStorage is this origin's.
    b.goto(&s.url("/nowhere")).await;
    b.wait(".not-found").await;
    // The demo's failed publish of fabrikam-managed-app, as a Product Ingestion configure job.
    let ops = b
        .get_json("/api/publishers/fabrikam/offers/fabrikam-managed-app/submissions?api-version=2017-10-31")
        .await;
    let job = ops
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["status"] == "failed"))
        .and_then(|o| o["id"].as_str())
        .map(|id| format!("/ingestion/jobs/{id}"))
        .expect("the demo's failed publish");
    let pages = [
        ("start (demo)", "/", "[data-testid=publishers]"),
        (
            "start (API)",
            "/?source=live&publisher=contoso",
            "[data-testid=offers]",
        ),
        (
            "overview",
            "/live/publishers/contoso",
            "[data-testid=overview-row] [data-testid=status-badge]",
        ),
        (
            "overview (demo)",
            "/demo/publishers/contoso",
            "[data-testid=overview-row] [data-testid=status-badge]",
        ),
        (
            "offer",
            "/live/publishers/contoso/offers/contoso-windows-vm",
            "[data-testid=operation-row]",
        ),
        (
            "offer (demo)",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            "[data-testid=operation-row]",
        ),
        (
            "start (Product Ingestion)",
            "/?source=ingestion",
            "[data-testid=typed-job]",
        ),
        (
            "offer (Product Ingestion)",
            "/ingestion/publishers/account/offers/contoso-data-science-vm",
            "[data-testid=operation-row]",
        ),
        ("configure job", job.as_str(), "[data-testid=job-errors]"),
        ("not found", "/nowhere/at/all", ".not-found"),
    ];
    let mut problems = Vec::new();
    for tag in LOCALES {
        b.js(&format!(
            "localStorage.setItem('cpp-dashboard.language', '{tag}');"
        ))
        .await;
        for width in [360, 1280] {
            set_width(&b, width).await;
            let mut visit = Vec::new();
            for (name, path, ready) in pages {
                b.goto(&s.url(path)).await;
                b.wait(ready).await;
                visit.push(name.to_owned());
            }
            // The operation page, reached from its offer.
            b.goto(&s.url("/live/publishers/contoso/offers/contoso-windows-vm"))
                .await;
            b.wait("[data-testid=operation-row]").await;
            check(&b, tag, width, "offer", &mut problems).await;
            let page = b.page_text().await;
            if !page.contains(offer_page_word(tag)) {
                problems.push(format!(
                    "{tag} {width}px offer: “{}” not on the page",
                    offer_page_word(tag)
                ));
            }
            b.click("[data-testid=operation-row] a").await;
            b.wait("[data-testid=timeline-step]").await;
            // The pointer stays where the link was: whatever the new page draws there would be
            // hovered, and a hovered time shows its exact-time tooltip over its neighbours.
            // The check is of the page at rest, so the pointer goes to the corner.
            let away = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
                duration: None,
                x: 0.0,
                y: 0.0,
            });
            b.client.perform_actions(away).await.expect("pointer away");
            check(&b, tag, width, "operation", &mut problems).await;
            for (name, path, ready) in pages {
                b.goto(&s.url(path)).await;
                b.wait(ready).await;
                check(&b, tag, width, name, &mut problems).await;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.stop().await;
}

async fn check(b: &Browser, tag: &str, width: u32, page: &str, problems: &mut Vec<String>) {
    let lang = b.js("return document.documentElement.lang;").await;
    if lang.as_str() != Some(tag) {
        problems.push(format!("{tag} {width}px {page}: <html lang={lang}>"));
    }
    let overflows = b.js(OVERFLOWS).await;
    for o in overflows.as_array().into_iter().flatten() {
        problems.push(format!("{tag} {width}px {page}: overflow: {o}"));
    }
    for v in b.axe_violations().await {
        problems.push(format!("{tag} {width}px {page}: axe: {v}"));
    }
}

#[tokio::test]
async fn the_switch_changes_remembers_and_fetches_only_the_chosen_language() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    let path = "/live/publishers/contoso/offers/contoso-ubuntu-vm";
    b.goto(&s.url(path)).await;
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        b.js("return document.documentElement.lang;").await,
        json!("en")
    );
    let fetched = "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/locales/'));";
    assert_eq!(
        b.js(fetched).await,
        json!([]),
        "English is built in: no catalogue fetched"
    );
    b.js("const s = document.querySelector('[data-testid=language]'); s.value = 'ru'; s.dispatchEvent(new Event('change'));").await;
    b.until(
        "the page in Russian",
        "document.documentElement.lang === 'ru' && document.body.innerText.includes('Текущее состояние')",
    )
    .await;
    assert_eq!(b.path().await, path, "the address does not change");
    b.wait("[data-testid=operation-row]").await;
    let files = b.js(fetched).await;
    let files: Vec<&str> = files
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(files.len(), 1, "only the chosen catalogue: {files:?}");
    let name = files[0].rsplit('/').next().unwrap_or_default();
    let hash = name
        .strip_prefix("ru-")
        .and_then(|n| n.strip_suffix(".txt"))
        .unwrap_or_default();
    assert!(
        hash.len() == 16 && hash.bytes().all(|c| c.is_ascii_hexdigit()),
        "a content-hashed name: {name}"
    );
    // Cached for a year, and compressed.
    let headers = b
        .js(&format!(
            "return fetch('{}').then(r => [r.headers.get('cache-control'), r.headers.get('content-encoding')]);",
            files[0]
        ))
        .await;
    assert!(
        headers[0]
            .as_str()
            .unwrap_or_default()
            .contains("immutable"),
        "{headers}"
    );
    assert_eq!(headers[1], json!("br"), "{headers}");
    // Remembered: a new visit opens in Russian, the status words too.
    b.goto(&s.url(path)).await;
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        b.js("return document.documentElement.lang;").await,
        json!("ru")
    );
    let page = b.page_text().await;
    assert!(page.contains("Операции"), "{page}");
    // The service's own words stay as sent: step names are not translated.
    assert!(page.contains("Certification"), "{page}");
    // Back to English with the switch.
    b.js("const s = document.querySelector('[data-testid=language]'); s.value = 'en'; s.dispatchEvent(new Event('change'));").await;
    b.until(
        "the page in English",
        "document.documentElement.lang === 'en' && document.body.innerText.includes('Current status')",
    )
    .await;
    b.stop().await;
}

#[tokio::test]
async fn a_browser_that_prefers_italian_gets_italian() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.cdp(
        "Emulation.setUserAgentOverride",
        json!({ "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156 Safari/537.36", "acceptLanguage": "it-IT,it;q=0.9,en;q=0.5" }),
    )
    .await;
    b.goto(&s.url("/?source=live&publisher=contoso")).await;
    b.wait("[data-testid=offers]").await;
    let languages = b.js("return navigator.languages;").await;
    assert_eq!(languages[0], json!("it-IT"), "{languages}");
    b.until(
        "the page in Italian",
        "document.documentElement.lang === 'it' && document.body.innerText.includes('Offerta')",
    )
    .await;
    b.stop().await;
}
