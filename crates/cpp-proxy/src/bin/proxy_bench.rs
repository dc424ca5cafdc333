//! Benchmark: requests per second and p50/p99 latency against a loopback upstream called
//! directly, through cpp-proxy (its own process, release build beside this binary), and
//! through nginx when `--nginx-port` names one already proxying to `--upstream-port`; then
//! both proxies at the same load, with their p99 and the CPU each spent per request (from
//! `/proc`). Prints tables; asserts nothing. Full-speed throughput is printed only to set
//! that load: it is not a target.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;
use clap::Parser;

/// Load-test settings.
#[derive(Parser)]
struct Args {
    /// Port of the fake upstream (nginx, when used, must proxy to it).
    #[arg(long, default_value_t = 18081)]
    upstream_port: u16,
    /// Port of an nginx reverse proxy in front of the upstream, if any.
    #[arg(long)]
    nginx_port: Option<u16>,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds of load per target and round.
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Rounds; the targets take turns in each, and each figure is the median over rounds
    /// (the load generator, the upstream and the proxies share the machine's cores).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

const BODY: &str = r#"[{"id":"5a63deb5-925b-4ee0-938b-7c86fbf287c5","offerId":"56615b67-2185-49fe-80d2-c4ddf77bb2e8","offerVersion":1,"offerTypeId":"microsoft-azure-virtualmachines","publisherId":"contoso","submissionType":"publish","submissionState":"running","publishingVersion":2,"slot":"staging","version":636576975611768314,"definition":{"metadata":{"emails":"jdoe@contoso.com"}},"changedTime":"2018-03-26T21:46:01.179948Z"}]"#;
const PATH: &str = "/api/publishers/contoso/offers/contoso-vm/submissions/?api-version=2017-10-31";

struct Figures {
    requests: usize,
    errors: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// `connections` workers, each sending its next request when the last answered (`pace`
/// `None`: as fast as the target answers), or at a fixed overall rate of `pace` requests a
/// second, spread evenly over the workers, so two targets can be compared at the same load.
async fn load(base: &str, connections: usize, seconds: u64, pace: Option<f64>) -> Figures {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let url = Arc::new(format!("{base}{PATH}"));
    // Warm the connections first.
    for _ in 0..connections {
        let _ = client.get(url.as_str()).send().await;
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|worker| {
            let (client, url) = (client.clone(), url.clone());
            // Each worker's turn comes every `connections / pace` seconds, offset by its index.
            let schedule = pace.map(|rate| {
                let every = Duration::from_secs_f64(connections as f64 / rate);
                (
                    started + Duration::from_secs_f64(worker as f64 / rate),
                    every,
                )
            });
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let mut turn = 0u32;
                while Instant::now() < deadline {
                    if let Some((first, every)) = schedule {
                        let at = first + every * turn;
                        turn += 1;
                        if at >= deadline {
                            break;
                        }
                        tokio::time::sleep_until(at.into()).await;
                    }
                    let t = Instant::now();
                    match client.get(url.as_str()).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            latencies.push(t.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.expect("worker");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Figures {
        requests: all.len(),
        errors,
        per_second: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

fn start_proxy(upstream: SocketAddr) -> (Child, String) {
    let exe = std::env::current_exe()
        .expect("own path")
        .with_file_name("cpp-proxy");
    let mut child = Command::new(&exe)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &format!("http://{upstream}"),
            "--max-in-flight-per-client",
            "100000",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (build it with --release first)",
                exe.display()
            )
        });
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("read");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .to_owned();
    (child, base)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let upstream = Router::new().fallback(|| async {
        ([(header::CONTENT_TYPE, "application/json")], BODY).into_response()
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.upstream_port))
        .await
        .expect("bind the upstream port");
    let upstream_addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, upstream).await.expect("upstream") });
    let (mut proxy, proxy_base) = start_proxy(upstream_addr);

    let mut targets = vec![
        ("upstream directly", format!("http://{upstream_addr}")),
        ("through cpp-proxy", proxy_base),
    ];
    if let Some(port) = args.nginx_port {
        targets.push(("through nginx", format!("http://127.0.0.1:{port}")));
    }
    let mut runs: Vec<Vec<Figures>> = targets.iter().map(|_| Vec::new()).collect();
    for _ in 0..args.rounds.max(1) {
        for (i, (_, base)) in targets.iter().enumerate() {
            runs[i].push(load(base, args.connections, args.seconds, None).await);
        }
    }
    let rows: Vec<(&str, Figures)> = targets
        .iter()
        .zip(runs)
        .map(|((name, _), figures)| (*name, medians(&figures)))
        .collect();
    // The same load for both proxies: 70% of what nginx answered at full speed, so neither
    // is saturated and the tail is the proxy's own, not the queue of a busier machine.
    let mut paced = None;
    if let Some((_, nginx)) = rows.get(2) {
        let rate = (nginx.per_second * 0.7).max(100.0);
        let mut proxy_runs = Vec::new();
        let mut nginx_runs = Vec::new();
        let (mut proxy_cpu, mut nginx_cpu) = (Duration::ZERO, Duration::ZERO);
        let proxy_pid = proxy.id();
        for _ in 0..args.rounds.max(1) {
            let before = cpu(&[proxy_pid]);
            proxy_runs.push(load(&targets[1].1, args.connections, args.seconds, Some(rate)).await);
            proxy_cpu += cpu(&[proxy_pid]).saturating_sub(before);
            let workers = pids_named("nginx");
            let before = cpu(&workers);
            nginx_runs.push(load(&targets[2].1, args.connections, args.seconds, Some(rate)).await);
            nginx_cpu += cpu(&workers).saturating_sub(before);
        }
        let per_request = |spent: Duration, runs: &[Figures]| {
            let answered: usize = runs.iter().map(|f| f.requests - f.errors).sum();
            spent.as_secs_f64() * 1e6 / answered.max(1) as f64
        };
        let cpu_us = (
            per_request(proxy_cpu, &proxy_runs),
            per_request(nginx_cpu, &nginx_runs),
        );
        // Each round's own ratio too: the two run back to back, so a round's pair shares the
        // machine's state, and the spread shows how far one run's figure can be trusted.
        let ratios = proxy_runs
            .iter()
            .zip(&nginx_runs)
            .map(|(p, n)| p.p99_ms / n.p99_ms)
            .collect();
        paced = Some(Paced {
            rate,
            cpu_us,
            proxy: medians(&proxy_runs),
            nginx: medians(&nginx_runs),
            ratios,
        });
    }
    let _ = proxy.kill();
    report(&args, &rows, paced);
}

/// Both proxies at the same rate, interleaved over the rounds.
struct Paced {
    rate: f64,
    /// CPU microseconds (user and system) per answered request: cpp-proxy's, nginx's.
    cpu_us: (f64, f64),
    proxy: Figures,
    nginx: Figures,
    /// cpp-proxy's p99 over nginx's, round by round.
    ratios: Vec<f64>,
}

/// Each figure its own median over the rounds: the round with the median throughput need
/// not be the one with the median tail.
fn medians(figures: &[Figures]) -> Figures {
    let median = |f: fn(&Figures) -> f64| {
        let mut xs: Vec<f64> = figures.iter().map(f).collect();
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    Figures {
        requests: median(|f| f.requests as f64) as usize,
        errors: median(|f| f.errors as f64) as usize,
        per_second: median(|f| f.per_second),
        p50_ms: median(|f| f.p50_ms),
        p99_ms: median(|f| f.p99_ms),
    }
}

fn report(args: &Args, rows: &[(&str, Figures)], paced: Option<Paced>) {
    println!(
        "\nProxy benchmark: {} connections, {} rounds of {} s per target (medians over the rounds), GET of a {}-byte JSON list\n",
        args.connections,
        args.rounds,
        args.seconds,
        BODY.len()
    );
    println!("| target | requests | errors | req/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, f) in rows {
        println!(
            "| {name} | {} | {} | {:.0} | {:.2} | {:.2} |",
            f.requests, f.errors, f.per_second, f.p50_ms, f.p99_ms
        );
    }
    let direct = rows[0].1.per_second;
    let proxy_rps = rows[1].1.per_second;
    println!("\ncpp-proxy / direct throughput: {:.2}", proxy_rps / direct);
    if let Some((_, nginx)) = rows.get(2) {
        println!(
            "cpp-proxy / nginx throughput at full speed: {:.2} (not a target: it sets the load below)",
            proxy_rps / nginx.per_second
        );
    }
    if let Some(Paced {
        rate,
        cpu_us,
        proxy,
        nginx,
        ratios,
    }) = paced
    {
        println!("\nAt the same load, {rate:.0} requests a second (70% of nginx's full speed), medians over the rounds:\n");
        println!("| target | requests | errors | req/s | p50 ms | p99 ms |");
        println!("|---|---:|---:|---:|---:|---:|");
        for (name, f) in [("through cpp-proxy", &proxy), ("through nginx", &nginx)] {
            println!(
                "| {name} | {} | {} | {:.0} | {:.2} | {:.2} |",
                f.requests, f.errors, f.per_second, f.p50_ms, f.p99_ms
            );
        }
        println!(
            "\ncpp-proxy / nginx p99 latency at the same load: {:.2} (target: 1.20 or less)",
            proxy.p99_ms / nginx.p99_ms
        );
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        println!("  round by round: {}", each.join(", "));
        println!(
            "CPU per request at that load: cpp-proxy {:.1} µs, nginx {:.1} µs ({:.2}×)",
            cpu_us.0,
            cpu_us.1,
            cpu_us.0 / cpu_us.1
        );
    }
}

/// User and system CPU time spent so far by the processes `pids` (from `/proc/PID/stat`).
fn cpu(pids: &[u32]) -> Duration {
    // Clock ticks: 100 a second on Linux unless the kernel says otherwise.
    let tick = Duration::from_millis(10);
    let ticks: u64 = pids
        .iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| {
            // The command name, in parentheses, may hold spaces: count fields after it.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .sum();
    tick * u32::try_from(ticks).unwrap_or(u32::MAX)
}

/// The processes whose command is `name` (nginx's master and workers).
fn pids_named(name: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name)
        })
        .collect()
}
