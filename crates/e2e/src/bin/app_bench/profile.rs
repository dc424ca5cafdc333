//! Single parts of the benchmark, to see where the time goes:
//! - `app_bench --slow-only`: just the slow-link table (cold and repeat visits, bytes);
//! - `app_bench --filter-only`: just the status filter's timings on 10,000 operations
//!   (`FILTER_ROUNDS` clicks each way, default 10);
//! - `app_bench --slow-trace`: one cold visit on the slow link, with when each request
//!   started and ended and when the first row appeared (`TRACE_PROFILE=1`: and a CPU
//!   profile of the 2,000-operation visit);
//! - `app_bench --profile-filter`: Chromium's own counters (script, style, layout) and a CPU
//!   profile around each click, summed by function (self time). For the names of the app's
//!   functions, point `E2E_DIST` at a build that keeps them:
//!   `WASM_KEEP_NAMES=1 bash scripts/build.sh --dist /tmp/dist-names`.

use std::collections::HashMap;
use std::time::Duration;

use e2e::{Browser, Server};
use serde_json::{json, Value};

use super::{filter_round, filter_timings, row, showing, timed_click};

pub(crate) async fn filter_only() {
    let server = Server::simulator(&["--bulk", "10000"]);
    let b = Browser::start().await;
    filter_timings(&b, &server, "contoso-bulk-10000", 1).await;
    // More rounds (FILTER_ROUNDS) steady the medians on a noisy machine.
    let rounds = std::env::var("FILTER_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let (apply, clear) = filter_timings(&b, &server, "contoso-bulk-10000", rounds).await;
    b.stop().await;
    println!("| measure | n | median ms | min ms | max ms |\n|---|---:|---:|---:|---:|");
    row("apply status filter, 10,000 operations", apply);
    row("clear status filter, 10,000 operations", clear);
}

pub(crate) async fn filter_profile() {
    let server = Server::simulator(&["--bulk", "10000"]);
    let b = Browser::start().await;
    // Warm up: the first filter also compiles code paths.
    filter_timings(&b, &server, "contoso-bulk-10000", 2).await;
    let elements = b
        .js("return document.getElementsByTagName('*').length;")
        .await;
    println!("elements on the page: {elements}");
    b.cdp("Profiler.enable", json!({})).await;
    b.cdp("Profiler.setSamplingInterval", json!({ "interval": 50 }))
        .await;
    // Profiled around each click only: the answers fetched after a click (the full list
    // again after a clear) are parsed later and would hide the frame's own work.
    let total = showing(&b).await;
    let (mut apply, mut clear, mut profiles) = (Vec::new(), Vec::new(), Vec::new());
    b.cdp("Performance.enable", json!({})).await;
    let mut spent: HashMap<String, f64> = HashMap::new();
    for _ in 0..10 {
        for ((selector, done, address), times) in
            filter_round(&total).iter().zip([&mut apply, &mut clear])
        {
            let before = metrics(&b).await;
            b.cdp("Profiler.start", json!({})).await;
            times.push(timed_click(&b, selector, done).await);
            let stopped = b.cdp("Profiler.stop", json!({})).await;
            for (name, after) in metrics(&b).await {
                *spent.entry(name.clone()).or_default() +=
                    after - before.get(&name).copied().unwrap_or(0.0);
            }
            profiles.push(result(&stopped, "profile").cloned().unwrap_or(Value::Null));
            b.until("the filter in the address", address).await;
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    }
    b.stop().await;
    println!("apply ms: {apply:.1?}\nclear ms: {clear:.1?}");
    let mut spent: Vec<_> = spent
        .into_iter()
        .filter(|(name, _)| name.ends_with("Duration") || name.ends_with("Count"))
        .collect();
    spent.sort_by(|a, b| a.0.cmp(&b.0));
    println!(
        "\nPer click (mean of {}), from Performance.getMetrics:",
        profiles.len()
    );
    for (name, total) in spent {
        let per = total / profiles.len() as f64;
        if name.ends_with("Duration") {
            println!("  {name}: {:.1} ms", per * 1000.0);
        } else {
            println!("  {name}: {per:.1}");
        }
    }
    print_top(&profiles, 40);
}

/// Self time by function name over the profiles, the largest first. Idle is left out;
/// "(program)" is the browser's own work outside scripts (style, layout, paint).
fn print_top(profiles: &[Value], n: usize) {
    let empty = Vec::new();
    let mut by_name: HashMap<String, f64> = HashMap::new();
    let mut busy = 0.0;
    for profile in profiles {
        let name_of: HashMap<u64, String> = profile["nodes"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(|node| {
                let frame = &node["callFrame"];
                let name = frame["functionName"].as_str().unwrap_or_default();
                let url = frame["url"].as_str().unwrap_or_default();
                let file = url.rsplit('/').next().unwrap_or_default();
                let name = if name.is_empty() { "(anonymous)" } else { name };
                Some((node["id"].as_u64()?, format!("{name} [{file}]")))
            })
            .collect();
        let samples = profile["samples"].as_array().unwrap_or(&empty);
        let deltas = profile["timeDeltas"].as_array().unwrap_or(&empty);
        // Each delta is the time before its sample: charge it to the sample it leads to.
        for (sample, delta) in samples.iter().zip(deltas) {
            let (Some(id), Some(us)) = (sample.as_u64(), delta.as_f64()) else {
                continue;
            };
            let name = name_of.get(&id).cloned().unwrap_or_else(|| "?".into());
            if name.starts_with("(idle)") {
                continue;
            }
            busy += us;
            *by_name.entry(name).or_default() += us;
        }
    }
    let mut by_file: HashMap<String, f64> = HashMap::new();
    for (name, us) in &by_name {
        let file = name
            .rsplit('[')
            .next()
            .unwrap_or_default()
            .trim_end_matches(']');
        *by_file.entry(file.to_owned()).or_default() += us;
    }
    for (file, us) in by_file {
        println!(
            "  in {file:?}: {:.1} ms a click",
            us / 1000.0 / profiles.len() as f64
        );
    }
    let mut rows: Vec<_> = by_name.into_iter().collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!(
        "\nBusy {:.1} ms over {} profiles; self time by function:\n",
        busy / 1000.0,
        profiles.len()
    );
    println!("| function | self ms | share |\n|---|---:|---:|");
    for (name, us) in rows.into_iter().take(n) {
        let name: String = name.chars().take(150).collect();
        println!(
            "| {name} | {:.1} | {:.1}% |",
            us / 1000.0,
            100.0 * us / busy.max(1.0)
        );
    }
}

/// A field of a DevTools command's result, whether chromedriver passed it on bare or
/// wrapped in `value`.
fn result<'a>(answer: &'a Value, field: &str) -> Option<&'a Value> {
    answer
        .get(field)
        .or_else(|| answer.get("value").and_then(|v| v.get(field)))
}

/// Chromium's own counters for the page (durations in seconds, counts).
pub(crate) async fn metrics(b: &Browser) -> HashMap<String, f64> {
    let answer = b.cdp("Performance.getMetrics", json!({})).await;
    let list = result(&answer, "metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
        .collect()
}

/// One cold visit on the slow link of a small offer and of 2,000 operations, each as a
/// timeline of its requests and the first row.
pub(crate) async fn slow_trace() {
    let latency = super::service_latency();
    let server = Server::simulator(&["--bulk", "2000", "--latency", &latency]);
    let b = Browser::start().await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": super::FIRST_ROW_PROBE }),
    )
    .await;
    // Every task of 50 ms or more on the main thread, to see where a visit's time goes.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "window.__longTasks = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); } catch {}" }),
    )
    .await;
    super::slow_link(&b, true).await;
    // TRACE_PROFILE=1 adds a CPU profile of one visit (self time by function): the offer
    // TRACE_OFFER names, the small one by default.
    let profile = std::env::var_os("TRACE_PROFILE").is_some();
    let traced = std::env::var("TRACE_OFFER").unwrap_or_else(|_| "contoso-ubuntu-vm".to_owned());
    if profile {
        b.cdp("Profiler.enable", json!({})).await;
        b.cdp("Profiler.setSamplingInterval", json!({ "interval": 100 }))
            .await;
    }
    for offer in ["contoso-ubuntu-vm", "contoso-bulk-2000"] {
        let url = server.url(&format!("/live/publishers/contoso/offers/{offer}"));
        let profiled = profile && offer == traced;
        if profiled {
            b.cdp("Profiler.start", json!({})).await;
        }
        super::slow_visit(&b, &url, true).await;
        if profiled {
            let stopped = b.cdp("Profiler.stop", json!({})).await;
            print_top(
                &[result(&stopped, "profile").cloned().unwrap_or(Value::Null)],
                40,
            );
        }
        let entries = b
            .js("const nav = performance.getEntriesByType('navigation')[0];
                 const rows = [['document', 0, nav.responseStart, nav.responseEnd, nav.transferSize]];
                 for (const e of performance.getEntriesByType('resource'))
                   rows.push([e.name.replace(location.origin, ''), e.startTime, e.responseStart, e.responseEnd, e.transferSize]);
                 for (const m of performance.getEntriesByType('mark')) rows.push([m.name, m.startTime, 0, 0, 0]);
                 for (const [start, duration] of window.__longTasks ?? []) rows.push(['long task', start, 0, start + duration, 0]);
                 rows.push(['first row', window.__firstRowAt, 0, 0, 0]);
                 rows.push(['status drawn', window.__statusAt, 0, 0, 0]);
                 return rows;")
            .await;
        println!("\n{offer}, cold, slow link:\n");
        println!("| what | start ms | first byte ms | end ms | bytes |\n|---|---:|---:|---:|---:|");
        for row in entries.as_array().cloned().unwrap_or_default() {
            let n = |i: usize| row[i].as_f64().unwrap_or(f64::NAN);
            let name: String = row[0].as_str().unwrap_or("?").chars().take(90).collect();
            println!(
                "| {name} | {:.0} | {:.0} | {:.0} | {:.0} |",
                n(1),
                n(2),
                n(3),
                n(4)
            );
        }
    }
    super::slow_link(&b, false).await;
    b.stop().await;
}
