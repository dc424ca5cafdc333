# Sourced by the scripts: puts the project's own tools (tools/node_modules/.bin: wasm-opt 123)
# and cargo's bin directory first on PATH, and points browser tests at Debian's Chromium.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"
# The dated nightly of the release build (build-std) and of cargo-fuzz.
export NIGHTLY="${NIGHTLY:-nightly-2026-05-19}"
