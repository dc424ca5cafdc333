//! The publisher overview's figures: 200 offers behind 100 ms of simulated latency.

use std::time::{Duration, Instant};

use e2e::{Browser, Server};
use serde_json::json;

use crate::row;

/// Records when the overview's first row appears, and when every row shows its status.
const OVERVIEW_PROBE: &str = "
  new MutationObserver((_, obs) => {
    const rows = document.querySelectorAll('[data-testid=overview-row]').length;
    if (rows && window.__overviewFirstRowAt === undefined) window.__overviewFirstRowAt = performance.now();
    if (rows && !document.querySelector('.overview__skeleton')) {
      window.__overviewAllAt = performance.now();
      window.__overviewRows = rows;
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });";

/// The publisher overview of 200 offers behind 100 ms of simulated latency: time to the first
/// row and to every status (from navigation start), the most status requests at once, and
/// requests per minute while it stays open (default 60 s polling).
pub(crate) async fn figures() {
    let s = Server::simulator(&["--offers", "200", "--latency", "100"]);
    let b = Browser::start().await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": OVERVIEW_PROBE }),
    )
    .await;
    let (mut first, mut all, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        b.cdp("Network.clearBrowserCache", json!({})).await;
        b.goto("about:blank").await;
        b.goto(&s.url("/live/publishers/northwind")).await;
        b.until("every status", "window.__overviewAllAt !== undefined")
            .await;
        let v = b
            .js("const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/status'));
                 const edges = r.flatMap(e => [[e.startTime, 1], [e.responseEnd, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
                 let now = 0, most = 0; for (const [, d] of edges) { now += d; most = Math.max(most, now); }
                 return [window.__overviewFirstRowAt, window.__overviewAllAt, most, window.__overviewRows];")
            .await;
        first.push(v[0].as_f64().unwrap_or(f64::NAN));
        all.push(v[1].as_f64().unwrap_or(f64::NAN));
        peaks.push(v[2].as_f64().unwrap_or(f64::NAN));
    }
    let before = s.log().matches(" path=/api/").count();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(61)).await;
    let during = s.log().matches(" path=/api/").count() - before;
    let per_minute = during as f64 * 60.0 / started.elapsed().as_secs_f64();
    b.stop().await;
    println!("\nPublisher overview, 200 offers, 100 ms simulated latency (median of 3, from navigation start)\n");
    println!("| measure | n | median | min | max |");
    println!("|---|---:|---:|---:|---:|");
    row("first row on screen, ms (target 500)", first);
    row("every status shown, ms (target 8,000)", all);
    row("most status requests in flight (target at most 4)", peaks);
    println!("Requests per minute while the overview stays open (60 s polling, 1 request/s budget): {per_minute:.1}");
}
