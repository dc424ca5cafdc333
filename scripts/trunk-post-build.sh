#!/bin/sh
# Trunk post-build hook (runs in the staging directory's parent, with TRUNK_* variables).
# 1. CSP_CONNECT_SRC="https://proxy.example.com" adds the proxy's origin to connect-src.
# 2. Under `trunk serve`, moves Trunk's inline live-reload script into live-reload.js: the
#    page's CSP allows no inline script, and Trunk fills the script's address in while
#    serving, so no hash could allow it ahead of time. The file gets the same values Trunk
#    would fill in (this page's host, the public URL). Release builds have no such script.
# 3. Copies index.html to 404.html for static hosts that have no rewrite rules.
# 4. Copies each language catalogue under its content-hashed name (see build.rs).
# 5. With SPLIT_WASM (scripts/build.sh), cuts the wasm into the first load and the pages
#    loaded when first shown, and minifies the JS and the loader (scripts/split-wasm.sh).
set -eu
index="$TRUNK_STAGING_DIR/index.html"
if [ -n "${SPLIT_WASM:-}" ]; then
  sh "${TRUNK_SOURCE_DIR:-.}/scripts/split-wasm.sh"
fi
if [ -n "${CSP_CONNECT_SRC:-}" ]; then
  case "$CSP_CONNECT_SRC" in
    *[\;\"\'\<\>]*) echo "CSP_CONNECT_SRC must be origins separated by spaces" >&2; exit 1 ;;
  esac
  sed -i "s|connect-src 'self'|connect-src 'self' $CSP_CONNECT_SRC|" "$index"
fi
if grep -q '\.well-known/trunk/ws' "$index"; then
  reload="$TRUNK_STAGING_DIR/live-reload.js"
  TRUNK_PUBLIC_URL="${TRUNK_PUBLIC_URL:-/}" perl -0777 -ne '
    m{<script>((?:(?!</script>).)*?\.well-known/trunk/ws.*?)</script>}s or die "live-reload script not found\n";
    my $js = $1;
    $js =~ s{[\x27`]\{\{__TRUNK_ADDRESS__\}\}[\x27`]}{window.location.host}g;
    $js =~ s{\{\{__TRUNK_WS_BASE__\}\}}{$ENV{TRUNK_PUBLIC_URL}}g;
    print $js;' "$index" > "$reload"
  perl -0777 -pi -e 's{<script>(?:(?!</script>).)*?\.well-known/trunk/ws.*?</script>}{<script src="live-reload.js"></script>}s' "$index"
fi
cp "$index" "$TRUNK_STAGING_DIR/404.html"
# 4. Each language's catalogue under its content hash (the same name build.rs gave the app).
mkdir -p "$TRUNK_STAGING_DIR/locales"
for f in "${TRUNK_SOURCE_DIR:-.}"/locales/*.txt; do
  tag="$(basename "$f" .txt)"
  [ "$tag" = en ] && continue
  hash="$(sha256sum "$f" | cut -c1-16)"
  cp "$f" "$TRUNK_STAGING_DIR/locales/$tag-$hash.txt"
done
