//! Names each language's catalogue by its content (`locales/ru-<16 hex>.txt`), so a browser
//! may keep it for a year: the app is built with the names, and Trunk's post-build hook
//! (`scripts/trunk-post-build.sh`) copies the files under the same names. Both take the
//! first 16 hex digits of the file's SHA-256.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    // Set by scripts/build.sh: cut the wasm at the pages of src/pages/split.rs.
    println!("cargo::rustc-check-cfg=cfg(split_wasm)");
    println!("cargo:rerun-if-changed=locales");
    let mut out = String::from("/// Each language's catalogue file: (tag, address).\npub const FILES: &[(&str, &str)] = &[\n");
    let mut entries: Vec<_> = std::fs::read_dir("locales")
        .expect("locales/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let tag = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        if tag == "en" {
            continue; // built in
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).expect("read catalogue");
        let hash = Sha256::digest(&bytes);
        let mut hex = String::new();
        for b in &hash[..8] {
            let _ = write!(hex, "{b:02x}");
        }
        let _ = writeln!(out, "    ({tag:?}, \"locales/{tag}-{hex}.txt\"),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locale_files.rs");
    std::fs::write(dest, out).expect("write locale_files.rs");
}
