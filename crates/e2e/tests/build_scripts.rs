//! The release build's own scripts on input they must refuse: `short-import-names.mjs` reads
//! the wasm's import section itself, and a truncated or overlong number there fails the build
//! in words instead of reading past the end (or looping for ever, as a reader that trusted
//! its input once did).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest the script may take before the test calls it hung: it needs milliseconds.
const HUNG: Duration = Duration::from_secs(60);

fn script() -> PathBuf {
    e2e::root().join("scripts/short-import-names.mjs")
}

/// Runs the script on `wasm` (and an empty glue); its exit code and standard error.
fn run(name: &str, wasm: &[u8]) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("e2e-short-names-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (wasm_path, js_path) = (dir.join("app_bg.wasm"), dir.join("app.js"));
    std::fs::write(&wasm_path, wasm).expect("write wasm");
    std::fs::write(&js_path, "").expect("write glue");
    let mut child = Command::new("node")
        .arg(script())
        .arg(&wasm_path)
        .arg(&js_path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > HUNG {
            let _ = child.kill();
            panic!("short-import-names.mjs hung on {name}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    let untouched = std::fs::read(&wasm_path).expect("read back") == wasm;
    assert!(untouched, "{name}: a refused wasm was rewritten");
    let _ = std::fs::remove_dir_all(&dir);
    (status.code(), stderr)
}

const HEADER: [u8; 8] = [0, b'a', b's', b'm', 1, 0, 0, 0];

fn wasm(rest: &[u8]) -> Vec<u8> {
    [&HEADER[..], rest].concat()
}

#[test]
fn truncated_or_overlong_numbers_fail_the_build_in_words() {
    let cases: [(&str, Vec<u8>, &str); 5] = [
        // A section size whose last byte says more follows, at the end of the file.
        ("size-cut", wasm(&[2, 0x80, 0x80]), "truncated"),
        // A section that claims more bytes than the file has.
        ("section-past-end", wasm(&[2, 20, 1]), "truncated"),
        // An import count of 3 with no import after it.
        ("count-past-section", wasm(&[2, 1, 3]), "truncated"),
        // A name longer than the section.
        ("name-past-section", wasm(&[2, 3, 1, 9, b'a']), "truncated"),
        // A number of six bytes.
        (
            "overlong",
            wasm(&[2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            "longer than five bytes",
        ),
    ];
    for (name, bytes, says) in cases {
        let (code, stderr) = run(name, &bytes);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
    }
}
