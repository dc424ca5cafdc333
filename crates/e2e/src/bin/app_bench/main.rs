//! App benchmark: cold loads to the first operations list, the same on an emulated slow link
//! (cold and repeat visits, with the bytes on the wire), status filter and clear on 1,000 and
//! 10,000 operations, opening an operation, memory after 10,000 operations, and requests per
//! minute while polling. Prints tables of figures; asserts nothing.

mod overview;
mod profile;

use std::time::{Duration, Instant};

use e2e::{Browser, Server};
use serde_json::{json, Value};

const COLD_LOADS: usize = 12;

fn median_and_spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let median = xs[xs.len() / 2];
    (median, xs[0], xs[xs.len() - 1])
}

/// Records, from the very start of each document, when the first operation row appears, and
/// when the offer's current status is drawn (its headline).
const FIRST_ROW_PROBE: &str = "
  new MutationObserver((_, obs) => {
    if (window.__firstRowAt === undefined && document.querySelector('[data-testid=operation-row]')) {
      window.__firstRowAt = performance.now();
    }
    if (window.__statusAt === undefined && document.querySelector('.offer-status__line')) {
      window.__statusAt = performance.now();
    }
    if (window.__firstRowAt !== undefined && window.__statusAt !== undefined) obs.disconnect();
  }).observe(document, { childList: true, subtree: true });";

/// Forgets everything a visit to `url` left: the HTTP cache and the origin's storage (the
/// loader sends an offer page's data requests early only where its code ran before).
async fn forget_visits(b: &Browser, url: &str) {
    b.cdp("Network.clearBrowserCache", json!({})).await;
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    b.cdp(
        "Storage.clearDataForOrigin",
        json!({ "origin": origin, "storageTypes": "local_storage" }),
    )
    .await;
}

async fn cold_load(b: &Browser, url: &str) -> f64 {
    forget_visits(b, url).await;
    b.goto("about:blank").await;
    b.goto(url).await;
    b.until("the first row", "window.__firstRowAt !== undefined")
        .await;
    b.js("return window.__firstRowAt;")
        .await
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// Clicks `selector` and measures until `done` (an expression) holds, observing DOM changes,
/// and the work the click queued has settled.
async fn timed_click(b: &Browser, selector: &str, done: &str) -> f64 {
    let script = format!(
        "const finish = arguments[arguments.length - 1];
         const check = () => {{ try {{ return !!({done}); }} catch (e) {{ return false; }} }};
         const t0 = performance.now();
         let seen = false;
         // Once the page shows the change, the time after every effect it queued has run
         // (a task after the microtasks), not the first mutation: rows drawn later count,
         // and so does the style and layout of what changed (forced once at the end; the
         // check reads textContent, which forces none on the way).
         const end = () => {{ if (seen) return; seen = true; obs.disconnect(); setTimeout(() => {{ document.body.getBoundingClientRect(); finish(performance.now() - t0); }}, 0); }};
         const obs = new MutationObserver(() => {{ if (check()) end(); }});
         obs.observe(document.body, {{ childList: true, subtree: true, characterData: true, attributes: true }});
         document.querySelector('{selector}').click();
         if (check()) end();
         setTimeout(() => {{ if (!seen) {{ obs.disconnect(); finish(-1); }} }}, 10000);"
    );
    b.client
        .execute_async(&script, vec![])
        .await
        .expect("timed click")
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// One polling update of the operation page on screen, after a click on Refresh: the time
/// from the answer's last byte (Resource Timing) to the last change it made to the page, that
/// is parsing it and drawing what changed. Returns (that, click to that).
async fn timed_refresh(b: &Browser) -> (f64, f64) {
    let script = "const finish = arguments[arguments.length - 1];
         const button = document.querySelector('.operation-header .refresh-bar button');
         performance.clearResourceTimings();
         let busy = false, last = 0, timer = 0;
         const t0 = performance.now();
         const done = () => {
           obs.disconnect();
           const answer = performance.getEntriesByType('resource').filter(e => e.name.includes('/operations/')).pop();
           finish(answer ? [last - answer.responseEnd, last - t0] : [-1, -1]);
         };
         const obs = new MutationObserver(() => {
           last = performance.now();
           if (button.disabled) { busy = true; return; }
           if (busy) { clearTimeout(timer); timer = setTimeout(done, 200); }
         });
         obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
         button.click();
         setTimeout(() => { obs.disconnect(); finish([-1, -1]); }, 10000);";
    let v = b
        .client
        .execute_async(script, vec![])
        .await
        .expect("timed refresh");
    let at = |i: usize| v.get(i).and_then(Value::as_f64).unwrap_or(f64::NAN);
    (at(0), at(1))
}

/// "Showing 25 of N" as the page says it now.
async fn showing(b: &Browser) -> String {
    let text = b
        .js("return document.querySelector('[data-testid=showing]').textContent;")
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

/// A round of the filter benchmark on a list that showed `total`: the status toggle, then
/// All again, each with the expression that holds once the page shows it.
/// Each click of a round: the toggle, what the page shows when it is done (the address is
/// written after that frame, so it is checked after the timing, not in it), and the address.
fn filter_round(total: &str) -> [(&'static str, String, &'static str); 2] {
    let showing = "document.querySelector('[data-testid=showing]').textContent";
    [
        (
            "[data-testid=filter-failed]",
            format!("{showing} !== '{total}'"),
            "location.search === '?status=failed'",
        ),
        (
            "[data-testid=filter-all]",
            format!("{showing} === '{total}'"),
            "location.search === ''",
        ),
    ]
}

async fn filter_timings(
    b: &Browser,
    s: &Server,
    offer: &str,
    rounds: usize,
) -> (Vec<f64>, Vec<f64>) {
    b.goto(&s.url(&format!("/live/publishers/contoso/offers/{offer}")))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let total = showing(b).await;
    let (mut apply, mut clear) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for ((selector, done, address), times) in
            filter_round(&total).iter().zip([&mut apply, &mut clear])
        {
            times.push(timed_click(b, selector, done).await);
            b.until("the filter in the address", address).await;
            // Let the API's answer (for status=failed, or the full list) arrive first.
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    }
    (apply, clear)
}

/// The slow link of the product's budget: 1.6 Mbit/s down, 150 ms round trip, CPU 4x slower.
async fn slow_link(b: &Browser, on: bool) {
    let (latency, down, up, rate) = if on {
        (150, 1_600_000.0 / 8.0, 750_000.0 / 8.0, 4)
    } else {
        (0, -1.0, -1.0, 1)
    };
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": latency, "downloadThroughput": down, "uploadThroughput": up }),
    )
    .await;
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
        .await;
}

/// Bytes on the wire for this page so far: the app's own files and the API's answers.
const WIRE_BYTES: &str = "
  const all = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
  const sum = (xs) => xs.reduce((n, e) => n + e.transferSize, 0);
  return [sum(all.filter(e => !e.name.includes('/api/'))), sum(all.filter(e => e.name.includes('/api/')))];";

/// One visit on the slow link: when the first row and the status's headline were drawn, and
/// the app's and the data's bytes on the wire once both are.
async fn slow_visit(b: &Browser, url: &str, cold: bool) -> (f64, f64, f64, f64) {
    if cold {
        forget_visits(b, url).await;
    }
    b.goto("about:blank").await;
    b.goto(url).await;
    b.until(
        "the first row and the status",
        "window.__firstRowAt !== undefined && window.__statusAt !== undefined",
    )
    .await;
    let at = b
        .js("return [window.__firstRowAt, window.__statusAt];")
        .await;
    let bytes = b.js(WIRE_BYTES).await;
    let n = |v: &Value, i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    (n(&at, 0), n(&at, 1), n(&bytes, 0), n(&bytes, 1))
}

/// The simulator's delay before every answer on the slow link, in milliseconds, as text: a
/// plausible service's (`SIM_LATENCY_MS`, 100 by default).
pub(crate) fn service_latency() -> String {
    std::env::var("SIM_LATENCY_MS").unwrap_or_else(|_| "100".to_owned())
}

async fn slow_link_table(b: &Browser, s: &Server) {
    slow_link(b, true).await;
    println!("\nSlow link (1.6 Mbit/s, 150 ms RTT, CPU 4x; the service answers after {} ms), median of 3 (by the first list): first list and current status on screen, bytes on the wire\n", service_latency());
    println!("| page | visit | first list ms | status ms | app bytes | data bytes | target |");
    println!("|---|---|---:|---:|---:|---:|---|");
    for (name, offer, target) in [
        ("small offer", "contoso-ubuntu-vm", "2.0 s cold"),
        ("2,000 operations", "contoso-bulk-2000", "2.5 s cold"),
    ] {
        let url = s.url(&format!("/live/publishers/contoso/offers/{offer}"));
        for cold in [true, false] {
            let mut runs = Vec::new();
            for _ in 0..3 {
                runs.push(slow_visit(b, &url, cold).await);
            }
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (at, status, app, data) = runs[1];
            let (visit, target) = if cold {
                ("cold", target)
            } else {
                ("repeat", "≤ 5,000 app bytes")
            };
            println!(
                "| {name} | {visit} | {at:.0} | {status:.0} | {app:.0} | {data:.0} | {target} |"
            );
        }
    }
    slow_link(b, false).await;
}

pub(crate) fn row(name: &str, xs: Vec<f64>) {
    let n = xs.len();
    let (m, lo, hi) = median_and_spread(xs);
    println!("| {name} | {n} | {m:.1} | {lo:.1} | {hi:.1} |");
}

#[tokio::main]
async fn main() {
    // One part alone, for quick looks (see profile.rs); no argument: everything.
    match std::env::args().nth(1).as_deref() {
        Some("--overview-only") => return overview::figures().await,
        Some("--filter-only") => return profile::filter_only().await,
        Some("--slow-trace") => return profile::slow_trace().await,
        Some("--profile-filter") => return profile::filter_profile().await,
        _ => {}
    }
    let latency = service_latency();
    let slow = Server::simulator(&["--bulk", "2000", "--latency", &latency]);
    let b = Browser::start().await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": FIRST_ROW_PROBE }),
    )
    .await;
    slow_link_table(&b, &slow).await;
    drop(slow);
    if std::env::args().nth(1).as_deref() == Some("--slow-only") {
        b.stop().await;
        return;
    }
    let small = Server::simulator(&["--bulk", "1000"]);
    let large = Server::simulator(&["--bulk", "10000"]);

    let mut live = Vec::new();
    let mut demo = Vec::new();
    for _ in 0..COLD_LOADS {
        live.push(
            cold_load(
                &b,
                &small.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"),
            )
            .await,
        );
        demo.push(
            cold_load(
                &b,
                &small.url("/demo/publishers/contoso/offers/contoso-ubuntu-vm"),
            )
            .await,
        );
    }

    let (apply_1k, clear_1k) = filter_timings(&b, &small, "contoso-bulk-1000", 10).await;
    let (apply_10k, clear_10k) = filter_timings(&b, &large, "contoso-bulk-10000", 10).await;
    let heap = b
        .js("return performance.memory ? performance.memory.usedJSHeapSize : null;")
        .await;
    let wasm = b
        .js("return globalThis.dashboardWasmBytes ? dashboardWasmBytes() : null;")
        .await;

    let mut open = Vec::new();
    for _ in 0..10 {
        b.goto(&small.url("/live/publishers/contoso/offers/contoso-bulk-1000"))
            .await;
        b.wait("[data-testid=operation-row] a").await;
        open.push(timed_click(&b, "[data-testid=operation-row] a", "location.pathname.includes('/operations/') && document.querySelectorAll('[data-testid=axis] [data-testid=axis-row]').length > 0").await);
    }

    // The bulk offer's running operation: 6 steps, 200 messages.
    b.goto(&small.url("/live/publishers/contoso/offers/contoso-bulk-1000"))
        .await;
    b.click(".outlook__link").await;
    b.wait("[data-testid=feed]").await;
    let messages = b
        .js("return document.querySelectorAll('[data-testid=message]').length")
        .await;
    let (mut render, mut whole) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        let (r, w) = timed_refresh(&b).await;
        render.push(r);
        whole.push(w);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // Requests per minute with the offer page open on a running operation (default polling).
    let polling = Server::simulator(&[]);
    b.goto(&polling.url("/live/publishers/contoso/offers/contoso-ubuntu-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    let before = polling.log().matches(" path=/api/").count();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(61)).await;
    let during = polling.log().matches(" path=/api/").count() - before;
    let per_minute = during as f64 * 60.0 / started.elapsed().as_secs_f64();
    b.stop().await;

    println!("\nApp benchmark (release build, headless Chromium, warm local server)\n");
    println!("| measure | n | median ms | min ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    row("cold load to first list (API via proxy)", live);
    row("cold load to first list (demo)", demo);
    row("apply status filter, 1,000 operations", apply_1k);
    row("clear status filter, 1,000 operations", clear_1k);
    row("apply status filter, 10,000 operations", apply_10k);
    row("clear status filter, 10,000 operations", clear_10k);
    row("open an operation page", open);
    row(
        &format!("one polling update, 6 steps and {messages} messages: answer to page updated (parse, render)"),
        render,
    );
    row(
        "the same, from the click on Refresh (request, proxy, parse, render)",
        whole,
    );
    let mib = |v: &Value| {
        v.as_f64()
            .map_or("n/a".to_owned(), |b| format!("{:.1} MiB", b / 1_048_576.0))
    };
    println!(
        "\nAfter loading 10,000 operations: JS heap {}, wasm memory {}",
        mib(&heap),
        mib(&wasm)
    );
    println!("Requests per minute while polling (offer page, default 60 s): {per_minute:.1}");
    println!("Targets: first list ≤ 300 ms; filter and a polling update within one 16 ms frame.");
    overview::figures().await;
}
