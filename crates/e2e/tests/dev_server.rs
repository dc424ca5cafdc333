//! The dev server as the README starts it (`bash scripts/run.sh`): Trunk builds into a
//! folder of its own, never dist/; the page's strict CSP lets the live reload work (its
//! script is moved out of line by the post-build hook); the console stays clean; and a change
//! to a watched file reloads the page by itself.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use e2e::{root, Browser};

/// `scripts/run.sh` in its own process group, ended with everything it started.
struct DevServer(Child);

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.wait();
    }
}

/// A watched file changed for the test and put back as it was when dropped, however the test
/// ends.
struct Edited {
    path: std::path::PathBuf,
    original: String,
}

impl Edited {
    fn append(path: std::path::PathBuf, extra: &str) -> Self {
        let original = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{original}{extra}")).expect("write");
        Self { path, original }
    }
}

impl Drop for Edited {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
}

fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// What Trunk printed, kept for the failure message.
type Output = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// How a start went.
enum Start {
    Built,
    /// It exited (its port was taken) or its first build failed: start it again.
    Again,
}

/// Starts `scripts/run.sh` on a free port and waits for Trunk's first successful build. The
/// port is probed free, then handed to Trunk, which binds it itself: should another process
/// take it in between, Trunk exits, and this starts it again on another port. Trunk 0.21 now
/// and then fails a build while it clears its staging folder, and then waits for a change
/// that never comes: a failed first build starts it again too. On failure the message holds
/// the end of what Trunk printed.
fn start_dev_server() -> (DevServer, u16) {
    let output: Output = Default::default();
    for _ in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut child = Command::new("bash")
            .current_dir(root())
            .process_group(0)
            .args(["scripts/run.sh", "--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start scripts/run.sh");
        // Trunk's first build, whichever stream it logs it on: true for a success.
        let (built_tx, built_rx) = std::sync::mpsc::channel();
        let streams: [Box<dyn std::io::Read + Send>; 2] = [
            Box::new(child.stdout.take().expect("stdout")),
            Box::new(child.stderr.take().expect("stderr")),
        ];
        for stream in streams {
            let (tx, output) = (built_tx.clone(), output.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("success") {
                        let _ = tx.send(true);
                    } else if line.contains(" ERROR ") {
                        // Trunk's own failure line (its log level), not a crate named *error*.
                        let _ = tx.send(false);
                    }
                    output.lock().expect("output").push(line);
                }
            });
        }
        let mut server = DevServer(child);
        match wait_for_build(&mut server, &built_rx) {
            Some(Start::Built) => return (server, port),
            Some(Start::Again) => drop(server),
            None => break,
        }
    }
    let output = output.lock().expect("output");
    let tail = &output[output.len().saturating_sub(40)..];
    panic!(
        "trunk serve never built the app; it printed:\n{}",
        tail.join("\n")
    );
}

/// Waits for the first build: `None` when none came in ten minutes (a cold build takes a few).
fn wait_for_build(
    server: &mut DevServer,
    built: &std::sync::mpsc::Receiver<bool>,
) -> Option<Start> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        match built.recv_timeout(Duration::from_secs(1)) {
            Ok(true) => return Some(Start::Built),
            // A failed build: wait for a success a moment longer (another build may have
            // begun), else start again.
            Ok(false) => {
                if let Ok(true) = built.recv_timeout(Duration::from_secs(5)) {
                    return Some(Start::Built);
                }
                return Some(Start::Again);
            }
            Err(_) => {}
        }
        if server.0.try_wait().expect("wait").is_some() {
            return Some(Start::Again);
        }
    }
    None
}

#[tokio::test]
async fn trunk_serve_builds_aside_with_live_reload_under_the_csp_and_a_clean_console() {
    let dist_index = root().join("dist/index.html");
    let dist_before = modified(&dist_index);
    let (server, port) = start_dev_server();
    let serve_dir = root().join("target/trunk-serve");
    assert!(
        serve_dir.join("index.html").is_file(),
        "built into target/trunk-serve"
    );
    assert!(serve_dir.join("live-reload.js").is_file());
    assert_eq!(modified(&dist_index), dist_before, "dist/ untouched");

    let b = Browser::start().await;
    b.goto(&format!("http://127.0.0.1:{port}/")).await;
    b.wait("main").await;
    let inline = b
        .js("return [...document.scripts].filter(s => !s.src).length;")
        .await;
    assert_eq!(inline, 0, "no inline script on the page");

    // A fresh start gives a clean console (read once here; the log empties as it is read).
    let console = b.console().await;
    assert!(console.is_empty(), "a clean console: {console:?}");

    // A change to a watched file rebuilds and reloads the page by itself. Trunk skips
    // rebuilds when the content is unchanged, so the change is real (a comment, removed
    // again on drop). Trunk 0.21 now and then fails a rebuild while it clears its staging
    // folder ("error cleaning staging dist dir"), so a change is made again, up to 3 times.
    b.js("window.__beforeReload = true; return null;").await;
    let css = root().join("style/main.css");
    let mut edits = Vec::new();
    let mut reloaded = false;
    for attempt in 0..3 {
        edits.push(Edited::append(
            css.clone(),
            &format!("\n/* dev server test {attempt} */\n"),
        ));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let still = b
                .js("return window.__beforeReload === true;")
                .await
                .as_bool()
                .unwrap_or(true);
            if !still {
                reloaded = true;
                break;
            }
        }
        if reloaded {
            break;
        }
    }
    assert!(reloaded, "the page never reloaded itself");
    b.wait("main").await;
    let refused: Vec<String> = b
        .console()
        .await
        .into_iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused"))
        .collect();
    assert!(refused.is_empty(), "the CSP refused something: {refused:?}");
    b.stop().await;
    // Put back in reverse order, so the file ends as it began.
    while let Some(edit) = edits.pop() {
        drop(edit);
    }
    drop(server);
}
