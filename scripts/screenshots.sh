#!/usr/bin/env bash
# Makes every README screenshot again from the demo (light, dark, phone, blocked, waiting for
# sign-off, overdue) into docs/screenshots/: the release build in headless Chromium behind
# cpp-proxy. Run it after any change to the pages, and commit the images.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
cargo build -p cpp-proxy --locked
cargo run -p e2e --bin screenshots --locked
