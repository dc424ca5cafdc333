//! End-to-end harness: the release build (`dist/`) served by the real `cpp-proxy` binary in
//! front of its simulator (or by a plain static server), driven in headless Chromium through
//! chromedriver with fantoccini.

mod browser;
mod server;

use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use browser::{Browser, ENTER, TAB};
pub use server::Server;

/// How long to wait for something to appear.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The release build to serve (`E2E_DIST`, default `dist/`).
pub fn dist() -> PathBuf {
    built("E2E_DIST", "dist", "bash scripts/build.sh")
}

/// The release build for a sub-path, `/ops/` (`E2E_DIST_OPS`, default `dist-ops/`).
pub fn dist_ops() -> PathBuf {
    built(
        "E2E_DIST_OPS",
        "dist-ops",
        "bash scripts/build.sh --public-url /ops/ --dist dist-ops",
    )
}

/// A build directory named by `env` (else `default` under the root), which must exist.
fn built(env: &str, default: &str, command: &str) -> PathBuf {
    let dir = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default));
    assert!(
        dir.join("index.html").is_file(),
        "no {}/index.html: run `{command}` first",
        dir.display()
    );
    dir
}

/// The port a child started on port 0 says it bound, from the first line of its output that
/// contains `marker` and then `port N`: the child binds its own port, so no other process can
/// take it between a probe and the bind. Reads at most 50 lines; the rest of the output goes
/// on to nowhere, read in the background so that the child never blocks on a full pipe.
pub(crate) fn announced_port(output: impl std::io::Read + Send + 'static, marker: &str) -> u16 {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(output).lines();
    let mut port = None;
    for line in lines.by_ref().take(50) {
        let Ok(line) = line else { break };
        if let Some(rest) = line.split_once(marker).map(|(_, rest)| rest) {
            port = rest
                .split_once("port ")
                .and_then(|(_, n)| n.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok());
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    port.unwrap_or_else(|| panic!("the child never said `{marker} … port N`"))
}

/// Waits until something listens on the loopback `port`.
pub(crate) fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The text of a file the page saved to `path`, once it is there (a download is written
/// after the click returns).
pub async fn downloaded(path: &std::path::Path) -> String {
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.is_empty() {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} was not downloaded", path.display());
}
