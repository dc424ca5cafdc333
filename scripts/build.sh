#!/usr/bin/env bash
# The release build of the app into dist/ (extra arguments go to Trunk, e.g.
# `--public-url /ops/` or `--dist other/`). Same as `trunk build --release`, but std itself is
# rebuilt for size with the pinned nightly (-Zbuild-std, optimize_for_size) and panics abort
# at once instead of formatting a message nobody reads in production: about 11% less gzipped
# wasm (343.6 -> 305.0 KB, measured). `trunk serve` and the tests stay on stable.
# Then every text asset gets a brotli (.br) and a gzip (.gz) copy beside it, for hosts that
# serve precompressed files (cpp-proxy --static, Azure Static Web Apps, nginx gzip_static).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh release
dist=dist
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --dist) dist="${args[i + 1]:-dist}" ;;
    --dist=*) dist="${args[i]#--dist=}" ;;
  esac
done
export RUSTUP_TOOLCHAIN="$NIGHTLY"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# Cargo joins this with .cargo/config.toml's target rustflags (--cfg erase_components).
# --cfg split_wasm and the relocations let scripts/split-wasm.sh (run by Trunk's post-build
# hook when SPLIT_WASM is set) cut the pages of src/pages/split.rs into files of their own.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg split_wasm -Clink-args=--emit-relocs"
export SPLIT_WASM=1
# Trunk runs cargo --offline, so std's own dependencies (rebuilt here) must be fetched first;
# a no-op once they are in the cache.
cargo fetch --target wasm32-unknown-unknown --locked --quiet
trunk build --release --offline "$@"
# Highest levels: compressed once here, served many times. -n keeps names and times out of
# the gzip header, so the same build gives the same bytes.
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/*.html "$dist"/*.svg "$dist"/locales/*.txt; do
  [ -f "$f" ] || continue
  brotli -q 11 -f -k -o "$f.br" "$f"
  gzip -9 -n -f -k "$f"
done
