#!/bin/sh
# Trunk post-build hook (runs in the staging directory's parent, with TRUNK_* variables).
# 1. CSP_CONNECT_SRC="https://proxy.example.com" adds the proxy's origin to connect-src.
# 2. Copies index.html to 404.html for static hosts that have no rewrite rules.
set -eu
index="$TRUNK_STAGING_DIR/index.html"
if [ -n "${CSP_CONNECT_SRC:-}" ]; then
  case "$CSP_CONNECT_SRC" in
    *[\;\"\'\<\>]*) echo "CSP_CONNECT_SRC must be origins separated by spaces" >&2; exit 1 ;;
  esac
  sed -i "s|connect-src 'self'|connect-src 'self' $CSP_CONNECT_SRC|" "$index"
fi
cp "$index" "$TRUNK_STAGING_DIR/404.html"
