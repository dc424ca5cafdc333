#!/usr/bin/env bash
# Runs the dashboard with `trunk serve`: installs what it needs first, then prints the URL.
# Opens on the demo source (a simulated service in the browser): no Azure account needed.
# Under `trunk serve`, /api is proxied to https://cloudpartner.azure.com (see Trunk.toml).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh app
echo
echo "Starting the dashboard: open http://127.0.0.1:8080/ when Trunk says it is serving."
# Its debug build goes to a folder of its own: dist/ only ever holds what scripts/build.sh
# made, so nobody hosts a 7 MB debug wasm by mistake.
exec trunk serve --offline --dist target/trunk-serve "$@"
