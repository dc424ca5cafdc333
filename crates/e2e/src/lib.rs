//! End-to-end harness: the release build (`dist/`) served by the real `cpp-proxy` binary in
//! front of its simulator (or by a plain static server), driven in headless Chromium through
//! chromedriver with fantoccini.

mod browser;
mod server;

use std::net::{TcpListener, TcpStream};
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
    let dir = std::env::var_os("E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no {}/index.html: run `bash scripts/build.sh` first",
        dir.display()
    );
    dir
}

/// The release build for a sub-path, `/ops/` (`E2E_DIST_OPS`, default `dist-ops/`), made by
/// `scripts/build.sh --public-url /ops/ --dist dist-ops`.
pub fn dist_ops() -> PathBuf {
    let dir = std::env::var_os("E2E_DIST_OPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist-ops"));
    assert!(
        dir.join("index.html").is_file(),
        "no {}/index.html: run `bash scripts/build.sh --public-url /ops/ --dist dist-ops` first",
        dir.display()
    );
    dir
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until something listens on the loopback `port`.
pub(crate) fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
