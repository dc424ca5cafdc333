//! axe-core over every page, in the light and the dark theme: no serious or critical issue.

use e2e::{Browser, Server};

#[tokio::test]
async fn every_page_in_both_themes_has_no_serious_violations() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    let mut problems = Vec::new();
    for dark in [false, true] {
        b.color_scheme(dark).await;
        let pages = [
            ("start", "/".to_owned(), "[data-testid=publishers]"),
            (
                "start (API)",
                "/?source=live&publisher=contoso".to_owned(),
                "[data-testid=offers]",
            ),
            (
                "offer",
                "/live/publishers/contoso/offers/contoso-ubuntu-vm".to_owned(),
                "[data-testid=operation-row]",
            ),
            (
                "offer, filtered",
                "/live/publishers/fabrikam/offers/fabrikam-hardened-vm?status=failed".to_owned(),
                "[data-testid=operation-row]",
            ),
            ("not found", "/nowhere/at/all".to_owned(), ".not-found"),
        ];
        for (name, path, ready) in pages {
            b.goto(&s.url(&path)).await;
            b.wait(ready).await;
            for v in b.axe_violations().await {
                problems.push(format!(
                    "{name} ({}): {v}",
                    if dark { "dark" } else { "light" }
                ));
            }
        }
        b.goto(&s.url("/live/publishers/contoso/offers/contoso-windows-vm"))
            .await;
        b.click("[data-testid=operation-row] a").await;
        b.wait("[data-testid=timeline-step]").await;
        for v in b.axe_violations().await {
            problems.push(format!(
                "operation ({}): {v}",
                if dark { "dark" } else { "light" }
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check itself can fail: an image without a text alternative is a critical violation.
    b.js("const i = document.createElement('img'); i.src = 'data:,'; document.querySelector('main').appendChild(i);").await;
    let planted = b.axe_violations().await;
    assert!(
        planted.iter().any(|v| v.contains("image-alt")),
        "axe did not see a planted violation: {planted:?}"
    );
    b.stop().await;
}
