#!/usr/bin/env bash
# Runs every test: installs what it needs first (idempotent), then format and lint checks,
# native tests (model, proxy), component tests in headless Chromium, the release build,
# end-to-end tests of the release build in Chromium, the dependency audit and the fuzz build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

started=$SECONDS
# Everything is also kept in a log, to add up the test runners' results at the end.
log="$(mktemp)"
exec > >(tee "$log") 2>&1
step() {
  local name="$1"
  shift
  printf '\n\033[1;34m== %s\033[0m\n' "$name"
  local t=$SECONDS
  "$@"
  printf '\033[1;32m== %s: ok (%ss)\033[0m\n' "$name" "$((SECONDS - t))"
}

step "set-up" bash scripts/setup.sh all
step "format" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32, app)" cargo clippy -p offer-dashboard --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step "clippy (wasm32, model library)" cargo clippy -p publishing-model --target wasm32-unknown-unknown --lib --locked -- -D warnings
step "model and proxy tests" cargo test -p publishing-model -p cpp-proxy --locked
step "component tests (headless Chromium)" cargo test -p offer-dashboard --target wasm32-unknown-unknown --locked
step "release build" bash scripts/build.sh
step "release build for a sub-path (/ops/)" bash scripts/build.sh --public-url /ops/ --dist dist-ops
step "end-to-end tests (Chromium)" cargo test -p e2e --locked -- --test-threads=1
# The audit ignores rsa's advisory because nothing builds it (.cargo/audit.toml): keep it so.
step "rsa is not built (.cargo/audit.toml)" bash -c \
  '! cargo tree --workspace --locked --target all -e normal,build -i rsa 2>/dev/null | grep -q rsa'
if [ -d ../shared/advisory-db ]; then
  step "dependency audit (RustSec snapshot)" cargo audit --db ../shared/advisory-db --no-fetch --deny warnings
else
  step "dependency audit" cargo audit --deny warnings
fi
step "fuzz targets build" bash -c 'cd fuzz && cargo "+$NIGHTLY" fuzz build -O'
passed=$(grep -aoE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{ s += $4 } END { print s + 0 }')
printf '\n\033[1;32mAll steps passed in %ss.\033[0m\n' "$((SECONDS - started))"
# Any failure has already stopped the script (set -e), so nothing failed by here.
echo "Tests: $passed passed, 0 failed"
