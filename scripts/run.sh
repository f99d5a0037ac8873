#!/usr/bin/env bash
# Build and open Rapport on the advisor's book. With no book yet, the window opens on a demo book
# of made-up clients kept in its own file (demo.rapport beside where the real book will be), and
# the real book is made only when the advisor asks for it in the window. Pass --book PATH (or set
# RAPPORT_BOOK) to open another book; demo clients are never put in a book named that way.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
bash scripts/setup.sh

step "build (release: Today on a big book is computed in the core, which wants optimised code)"
(cd ui && npm run --silent build >/dev/null)
cargo build --quiet --release -p rapport -p rapport-app

rapport="$CARGO_TARGET_DIR/release/rapport"
named=${RAPPORT_BOOK:-}
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in
    --book) j=$((i + 1)); named=${!j:-} ;;
    --book=*) named=${!i#--book=} ;;
  esac
done
app_args=("$@")
book=$("$rapport" path)
if [ -n "$named" ]; then
  book=$named
elif [ ! -e "$book" ]; then
  demo=$("$rapport" path --demo)
  if [ ! -e "$demo" ] || [ "$("$rapport" --book "$demo" clients list --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" = 0 ]; then
    step "no book yet: making a demo book of made-up clients at $demo ($book stays to be made)"
    "$rapport" --book "$demo" demo
  fi
  app_args=(--book "$demo" --real-book "$book" "$@")
  book=$demo
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this from a desktop session, or under a virtual one: xvfb-run -a $0" >&2
  exit 1
fi
step "open $book"
exec "$CARGO_TARGET_DIR/release/rapport-app" "${app_args[@]}"
