//! The servers a test talks to: `cpp-proxy --simulate --static dist`, or a plain static server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::{announced_port, dist, root, wait_for_port};

/// A server process (the proxy, or a plain static server) and what it logged.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// `cpp-proxy --simulate --static dist` with `extra` arguments.
    pub fn simulator(extra: &[&str]) -> Self {
        Self::simulator_serving(&dist(), extra)
    }

    /// `cpp-proxy --simulate --static DIR` with `extra` arguments.
    pub fn simulator_serving(dist: &std::path::Path, extra: &[&str]) -> Self {
        let bin = std::env::var_os("CPP_PROXY_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target/debug/cpp-proxy"));
        assert!(
            bin.is_file(),
            "no {}: run `cargo build -p cpp-proxy` first",
            bin.display()
        );
        let mut child = Command::new(bin)
            .args([
                "--simulate",
                "--listen",
                "127.0.0.1:0",
                "--static",
                dist.to_str().expect("utf-8 path"),
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cpp-proxy");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address line");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .expect("cpp-proxy announces its address")
            .to_owned();
        Self { child, base, log }
    }

    /// A plain static file server for `dist/`: no proxy, no API at all.
    pub fn static_only() -> Self {
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dist())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        let output = child.stdout.take().expect("the server's output");
        let port = announced_port(output, "Serving HTTP on");
        let base = format!("http://127.0.0.1:{port}");
        wait_for_port(port);
        Self {
            child,
            base,
            log: Arc::default(),
        }
    }

    /// A URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server logged so far (the proxy logs one line per request).
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Sets the simulator's run-time fault (`None` clears it).
    pub fn set_fault(&self, kind: Option<&str>, count: Option<u32>) {
        let body = json!({ "kind": kind, "count": count }).to_string();
        let host = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).expect("connect to the simulator");
        write!(
            stream,
            "POST /_sim/fault HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "fault not set: {answer}"
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
