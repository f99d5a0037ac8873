#!/usr/bin/env bash
# End-to-end tests of the real window: Xvfb + tauri-driver + WebKitWebDriver, driven by selenium.
# Expects the app built (scripts/test.sh builds it); stops exactly the processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
# RAPPORT_APP may name another build (a release one, to time a big book as advisors run it).
app="${RAPPORT_APP:-$target/debug/rapport-app}"
[ -x "$app" ] || { echo "e2e: $app is missing; build it first (scripts/test.sh does)" >&2; exit 1; }

# Xvfb picks a free display itself and writes its number to fd 3.
displayfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$displayfile" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -s "$displayfile" ] && break; sleep 0.1; done
display=":$(head -n1 "$displayfile")"
rm -f "$displayfile"
port=$((4444 + RANDOM % 500))
# The window keeps its last place per book path, and its language, in the WebKit store under
# the data folder. pytest's temporary paths come back from one run to the next, so each run
# starts from an empty store of its own: a place remembered by an earlier run never leaks in.
store=$(mktemp -d)
export XDG_DATA_HOME="$store/data" XDG_CONFIG_HOME="$store/config" XDG_CACHE_HOME="$store/cache"
DISPLAY="$display" tauri-driver --port "$port" --native-port $((port + 1000)) >/tmp/rapport-tauri-driver.log 2>&1 &
driver=$!
trap 'kill "$driver" 2>/dev/null; kill "$xvfb" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$store"' EXIT

for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
RAPPORT_CLI="$target/debug/rapport" RAPPORT_APP="$app" RAPPORT_WEBDRIVER="http://127.0.0.1:$port" python3 -m pytest tests/e2e -v -s "$@"
