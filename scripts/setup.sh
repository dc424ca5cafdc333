#!/usr/bin/env bash
# Installs every tool the build and the tests need, pinned, each step skipped when the right
# version is already present. Safe to run again; asks no questions.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
CARGO_AUDIT_VERSION=0.22.1
CARGO_FUZZ_VERSION=0.13.2
# Cuts the release wasm at the lazily loaded pages (scripts/split-wasm.sh).
WASM_SPLIT_VERSION=0.2.4
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly, or the generated glue breaks.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

CARGO_HOME_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }

# all | release (what `scripts/build.sh` needs) | app (what `scripts/run.sh` needs)
want="${1:-all}"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

need_apt=()
if [ "$want" = all ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  # The store's tests run on PostgreSQL too: a throwaway cluster (initdb into a temporary
  # folder) unless DATABASE_URL names one. Debian's package; no cluster of its own is used.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
  [ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
  # A CJK font, so the Chinese pages are drawn (and measured for overflow) with real glyphs
  # in headless Chromium, as a Chinese publisher's browser draws them.
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
fi
# The release build writes a brotli copy of every asset.
if [ "$want" != app ]; then
  command -v brotli >/dev/null || need_apt+=(brotli)
fi
# The release build (scripts/build.sh) rebuilds std for size with the pinned nightly; so do
# the fuzz targets. One dated toolchain for both.
if [ "$want" != app ] \
   && ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
  say "installing the $NIGHTLY toolchain with rust-src (size-optimised std, cargo-fuzz)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

if [ "${#need_apt[@]}" -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasm-opt, terser, axe-core and adaptivecards come from npm, pinned by tools/package-lock.json, into tools/.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -f tools/node_modules/axe-core/axe.min.js ] \
   || [ ! -f tools/node_modules/adaptivecards/dist/adaptivecards.js ] \
   || [ "$(tools/node_modules/.bin/terser --version 2>/dev/null || true)" != "terser 5.51.4" ] \
   || [ "$(tools/node_modules/.bin/wasm-opt --version 2>/dev/null || true)" != "wasm-opt version 123 (version_123)" ]; then
  say "installing binaryen (wasm-opt), terser, axe-core and adaptivecards from npm into tools/"
  (cd tools && npm ci --no-audit --no-fund --silent)
fi

# The cargo installs are independent: run them side by side (compiling one overlaps with
# another's downloads and single-threaded links), each logged, and fail if any fails.
logs="$(mktemp -d)"
pids=()
install() {
  local name="$1"
  shift
  say "installing $name in the background (log: $logs/$name.log)"
  ("$@" >"$logs/$name.log" 2>&1 || { echo "setup: installing $name failed; see $logs/$name.log" >&2; tail -20 "$logs/$name.log" >&2; exit 1; }) &
  pids+=("$!")
}

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  install trunk cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: one of its locked dependencies was yanked from the registry.
  install wasm-bindgen-cli cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$want" != app ] && [ "$(cat "$CARGO_HOME_BIN/.wasm-split-cli.version" 2>/dev/null || true)" != "$WASM_SPLIT_VERSION" ]; then
  # The tool prints no version of its own: a stamp beside it records the one installed.
  install wasm-split-cli sh -c "cargo install wasm_split_cli_support --version $WASM_SPLIT_VERSION --locked --features build-binary --force && echo $WASM_SPLIT_VERSION > $CARGO_HOME_BIN/.wasm-split-cli.version"
fi
if [ "$want" = all ]; then
  case "$(cargo audit --version 2>/dev/null || true)" in
    *" $CARGO_AUDIT_VERSION") ;;
    *) install cargo-audit cargo install cargo-audit --version "$CARGO_AUDIT_VERSION" --locked ;;
  esac
  if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    install cargo-fuzz cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
fi
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
[ "$failed" = 0 ] || exit 1

if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen does not match Cargo.lock ($WASM_BINDGEN_VERSION)" >&2
  exit 1
fi
say "tools ready"
