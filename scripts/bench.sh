#!/usr/bin/env bash
# The benchmark command (not part of the tests): prints figures, asserts nothing.
#   1. release bundle bytes (raw, gzip, brotli) per file type, and what each crate costs
#   2. app timings in headless Chromium: cold loads to the first list, status filter on
#      1,000 and 10,000 operations, opening an operation, memory, requests per minute
#   3. the proxy against nginx at the same load: p99 latency and CPU per request
#   4. every fuzz target for a bounded time (FUZZ_SECONDS, default 20 each)
#   --markdown: also writes everything printed to docs/benchmarks.md, headed by the date, the
#   machine (cores, CPU model) and the commit it measured.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ "${1:-}" = --markdown ]; then
  out="$(mktemp)"
  bash "$0" | tee "$out"
  {
    echo "# Benchmarks"
    echo
    echo "The latest figures, written by \`bash scripts/bench.sh --markdown\`; earlier ones are in git history."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs/benchmarks.md' || echo ' (with uncommitted changes)')"
    echo
    echo '```text'
    sed 's/\x1b\[[0-9;]*m//g' "$out"
    echo '```'
  } > docs/benchmarks.md
  rm -f "$out"
  echo "wrote docs/benchmarks.md"
  exit 0
fi
bash scripts/setup.sh all
if ! command -v nginx >/dev/null; then
  echo "installing nginx (the comparison for the proxy benchmark)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi

echo "== building (release)"
bash scripts/build.sh >/dev/null
cargo build --release -p cpp-proxy --features bench --bins -q
cargo build -p cpp-proxy -q
cargo build --release -p e2e --bin app_bench -q

echo
echo "== 1. Release bundle (first load: everything in dist/ but 404.html and the pages' wasm files)"
printf '| file | raw bytes | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n'
total_raw=0; total_gz=0; total_br=0
for kind in wasm js css html svg; do
  raw=0; gz=0; br=0
  for f in dist/*."$kind"; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = 404.html ] && continue
    # The pages loaded when first shown (src/pages/split.rs): listed below, not first load.
    case "$f" in *.wasm) [[ "$f" == *_bg.wasm ]] || continue ;; esac
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(gzip -9c "$f" | wc -c)))
    br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
  done
  printf '| %s | %d | %d | %d |\n' "$kind" "$raw" "$gz" "$br"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
done
printf '| **total** | %d | %d | %d |\n' "$total_raw" "$total_gz" "$total_br"
echo
echo "First load, brotli: $total_br bytes; budget 200,000 bytes with every feature in ($(( (total_br - 200000) )) over if positive)."
printf '| page loaded when first shown (wasm) | raw bytes | brotli -q 11 |\n|---|---:|---:|\n'
for f in dist/*.wasm; do
  [[ "$f" == *_bg.wasm ]] && continue
  printf '| %s | %d | %d |\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(brotli -q 11 -c "$f" | wc -c)"
done
echo
printf '| catalogue fetched when chosen | raw bytes | brotli -q 11 |\n|---|---:|---:|\n'
for f in dist/locales/*.txt; do
  printf '| %s | %d | %d |\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(brotli -q 11 -c "$f" | wc -c)"
done
echo
echo "What each crate costs in the wasm (code bytes before wasm-opt and the cut into pages, by crate):"
python3 scripts/bench/wasm_sizes.py target/wasm-bindgen/release/offer-dashboard_bg.wasm

echo
echo "== 2. App in headless Chromium"
CPP_PROXY_BIN="$ROOT/target/release/cpp-proxy" ./target/release/app_bench

echo
echo "== 3. Proxy"
dir=$(mktemp -d)
sed "s|__DIR__|$dir|g; s|__UPSTREAM__|18081|; s|__PORT__|18082|" scripts/bench/nginx.conf > "$dir/nginx.conf"
nginx -c "$dir/nginx.conf" -p "$dir"
trap 'kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true' EXIT
./target/release/proxy-bench --upstream-port 18081 --nginx-port 18082 --seconds "${PROXY_SECONDS:-3}" --rounds "${PROXY_ROUNDS:-5}"

echo
echo "== 4. Watcher (200 watched offers, 20 running, against a local fake service)"
./target/release/watch-bench --running-every "${WATCH_RUNNING_EVERY:-30}"

echo
echo "== 5. Fuzzing (${FUZZ_SECONDS:-20} s per target)"
cd fuzz
for target in $(cargo "+$NIGHTLY" fuzz list); do
  mkdir -p "corpus/$target"
  runs=$(cargo "+$NIGHTLY" fuzz run -O "$target" "corpus/$target" ../tests/fixtures -- -max_total_time="${FUZZ_SECONDS:-20}" 2>&1 | grep -o 'Done [0-9]* runs' || echo "FAILED")
  echo "| $target | $runs |"
done
