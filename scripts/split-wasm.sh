#!/bin/sh
# Cuts the release wasm into the first load and one file per lazily loaded page
# (src/pages/split.rs), in Trunk's staging folder. Called by scripts/trunk-post-build.sh when
# scripts/build.sh set SPLIT_WASM (which also builds with `--cfg split_wasm` and
# `--emit-relocs`); `trunk serve` never gets here and keeps one wasm.
#
# Trunk 0.21 cannot split (trunk-rs/trunk#1022), so this redoes its last steps on the
# cargo output: wasm-split-cli (the tool cargo-leptos uses), then wasm-bindgen with the
# linker's exports kept (the pages' files call into the first load through them), then
# wasm-opt on every file. Trunk's own unsplit files are removed. Every file is named by one
# hash of all of them, so a cached file is never mixed with another build's. Last, terser
# minifies the two JS files and the loader (wasm-bindgen writes them readable, and Trunk
# does not minify what this hook made).
# WASM_KEEP_NAMES=1 keeps the function names in the first load's wasm (for profiles: see
# crates/e2e/src/bin/app_bench/profile.rs); the released build has none.
set -eu
staging="$TRUNK_STAGING_DIR"
index="$staging/index.html"
source_dir="${TRUNK_SOURCE_DIR:-.}"
input="${CARGO_TARGET_DIR:-$source_dir/target}/wasm32-unknown-unknown/wasm-release/offer-dashboard.wasm"
name=offer-dashboard
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/split" "$work/bindgen" "$work/out"

wasm-split-cli "$input" "$work/split" --out-name "$name"
wasm-bindgen --target=web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir="$work/bindgen" --out-name="$name" "$work/split/$name.wasm"
# The stream adapters wasm-streams exports are never used here: dropped, so wasm-opt can
# remove their code.
node "$source_dir/scripts/drop-stream-exports.mjs" "$work/bindgen/${name}_bg.wasm" "$work/bindgen/$name.js"
# The imports from the glue get short names in both files (the hashes in wasm-bindgen's
# names are incompressible bytes, written twice).
node "$source_dir/scripts/short-import-names.mjs" "$work/bindgen/${name}_bg.wasm" "$work/bindgen/$name.js"
wasm-opt -Oz ${WASM_KEEP_NAMES:+-g} --output="$work/out/${name}_bg.wasm" "$work/bindgen/${name}_bg.wasm"
for chunk in "$work"/split/*.wasm; do
  base="$(basename "$chunk" .wasm)"
  [ "$base" = "$name" ] && continue
  wasm-opt -Oz --output="$work/out/$base.wasm" "$chunk"
done
cp "$work/bindgen/$name.js" "$work/out/$name.js"
cp "$work/split/__wasm_split.js" "$work/out/__wasm_split.js"

# One hash over every file, in a fixed order.
hash="$(cd "$work/out" && ls | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
for f in "$work"/out/*; do
  file="$(basename "$f")"
  case "$file" in
    *_bg.wasm) new="${file%_bg.wasm}-${hash}_bg.wasm" ;;
    *) new="${file%.*}-$hash.${file##*.}" ;;
  esac
  # The module and the loader name each other and the pages' files by these names.
  case "$file" in
    *.wasm)
      sed -i "s|\"\\./$file\"|\"./$new\"|g" "$work/out/__wasm_split.js"
      sed -i "s|'$file'|'$new'|g" "$work/out/$name.js"
      ;;
    "$name.js") sed -i "s|\"\\./$file\"|\"./$new\"|g" "$work/out/__wasm_split.js" ;;
    # Only the import statements: the imports object keeps the name the wasm imports by.
    __wasm_split.js) sed -i "s|from \"\\./$file\"|from \"./$new\"|g" "$work/out/$name.js" ;;
  esac
  echo "$file $new" >>"$work/names"
done
grep -q "__wasm_split-$hash.js" "$work/out/$name.js" || { echo "split-wasm: the module does not import the loader" >&2; exit 1; }

# Trunk's unsplit module and wasm give way to the split ones, under the new names.
old_js="$(cd "$staging" && ls "$name"-*.js)"
old_wasm="$(cd "$staging" && ls "$name"-*_bg.wasm)"
rm "$staging/$old_js" "$staging/$old_wasm"
while read -r file new; do
  mv "$work/out/$file" "$staging/$new"
done <"$work/names"
sed -i -e "s|$old_js|$name-$hash.js|g" -e "s|$old_wasm|$name-${hash}_bg.wasm|g" "$index"
# The module imports the loader: preload it with the module, not one round trip later.
# (Trunk has minified the page: attributes may be unquoted and in any order.)
perl -0777 -pi -e 's{(<link\b[^>]*?\bhref=["\x27]?([^"\x27 >]*?)'"$name-$hash"'\.js\b[^>]*>)}{$1<link crossorigin href=$2__wasm_split-'"$hash"'.js rel=modulepreload>}' "$index"
grep -q "__wasm_split-$hash.js" "$index" || { echo "split-wasm: index.html has no module preload to extend" >&2; exit 1; }

# Minified (terser, pinned in tools/): 60 KB of readable glue is 8.0 KB brotli, 6.5 KB
# minified. Quotes are kept as written; names the wasm and the pages' files import by are
# exports and object keys, which terser leaves alone. The loader (boot.js) too: `trunk
# serve` keeps it as written.
for js in "$staging/$name-$hash.js" "$staging/__wasm_split-$hash.js" "$staging/boot.js"; do
  "$source_dir/tools/node_modules/.bin/terser" "$js" --module --compress --mangle \
    --format quote_style=3 --output "$js"
done
grep -q "$name-${hash}_bg.wasm" "$staging/$name-$hash.js" || { echo "split-wasm: the minified module lost its wasm's name" >&2; exit 1; }
