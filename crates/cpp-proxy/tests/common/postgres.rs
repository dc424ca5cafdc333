//! A PostgreSQL for the store's tests: `DATABASE_URL` when it is set, else a throwaway
//! cluster started once per test binary (`initdb` into a temporary folder, a loopback port,
//! run as `nobody` when the tests run as root, since PostgreSQL refuses root). The server is
//! the child of a thread that lives as long as the tests, and dies with them
//! (`setpriv --pdeathsig`, or a kill at exit).

use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The server's admin URL (a database any test may use to create its own).
fn server() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => start(),
    })
}

fn bin(name: &str) -> String {
    for dir in [
        "/usr/lib/postgresql/15/bin",
        "/usr/lib/postgresql/16/bin",
        "/usr/lib/postgresql/17/bin",
    ] {
        let path = format!("{dir}/{name}");
        if std::path::Path::new(&path).exists() {
            return path;
        }
    }
    name.to_owned()
}

fn is_root() -> bool {
    // The tests' own files tell: /proc/self is owned by the process's user.
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// Runs `program` as the unprivileged user when the tests run as root.
fn command(program: &str, die_with_parent: bool) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"]);
        if die_with_parent {
            c.args(["--pdeathsig", "KILL"]);
        }
        c.arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Clusters of earlier runs whose tests have ended (killed, they could not clean up).
fn remove_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("cpp-proxy-pg-") else {
            continue;
        };
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn start() -> String {
    remove_stale();
    let dir = std::env::temp_dir().join(format!("cpp-proxy-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder for the cluster");
    if is_root() {
        let status = Command::new("chown")
            .args(["nobody:nogroup", dir.to_str().expect("path")])
            .status()
            .expect("chown");
        assert!(status.success(), "chown the cluster's folder");
    }
    let data = dir.join("data");
    let out = command(&bin("initdb"), false)
        .args([
            "-D",
            data.to_str().expect("path"),
            "-U",
            "cpp",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ])
        .env("LC_ALL", "C")
        .stdout(Stdio::null())
        .output()
        .expect("initdb (Debian's postgresql package; scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (data_s, dir_s) = (
        data.to_str().expect("path").to_owned(),
        dir.to_str().expect("path").to_owned(),
    );
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    // The server's parent thread never ends before the tests do.
    std::thread::spawn(move || {
        let mut child = command(&bin("postgres"), true)
            .args(["-D", &data_s, "-p", &port.to_string(), "-k", &dir_s])
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start postgres");
        ready_tx.send(child.id()).expect("send");
        let _ = child.wait();
        loop {
            std::thread::park();
        }
    });
    let _pid = ready_rx.recv().expect("postgres started");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let up = Command::new(bin("pg_isready"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "cpp",
                "-q",
            ])
            .status()
            .is_ok_and(|s| s.success());
        if up {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "postgres did not start within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    format!("postgres://cpp@127.0.0.1:{port}/postgres")
}

/// A new, empty database on the server, for one test: its URL.
pub async fn database() -> String {
    use sqlx::Connection;
    let admin = server().to_owned();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("t_{}_{n}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to postgres");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a database");
    let (url, query) = admin.split_once('?').unwrap_or((admin.as_str(), ""));
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{base}/{name}{query}")
}
