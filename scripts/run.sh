#!/usr/bin/env bash
# Build and open Rapport. With no book yet, a demo book is made first so there is something to
# look at; pass --book PATH (or set RAPPORT_BOOK) to open another book.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
bash scripts/setup.sh

step "build (release: Today on a big book is computed in the core, which wants optimised code)"
(cd ui && npm run --silent build >/dev/null)
cargo build --quiet --release -p rapport -p rapport-app

book_args=()
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --book ]; then j=$((i + 1)); book_args=(--book "${!j}"); fi
done
book=$("$CARGO_TARGET_DIR/release/rapport" "${book_args[@]}" init | sed 's/ (.*//')
if [ "$("$CARGO_TARGET_DIR/release/rapport" "${book_args[@]}" clients list --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" = 0 ]; then
  step "no clients yet: making a demo book at $book"
  "$CARGO_TARGET_DIR/release/rapport" "${book_args[@]}" demo
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this from a desktop session, or under a virtual one: xvfb-run -a $0" >&2
  exit 1
fi
step "open $book"
exec "$CARGO_TARGET_DIR/release/rapport-app" "$@"
