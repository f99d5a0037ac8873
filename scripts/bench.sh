#!/usr/bin/env bash
# Figures for the client book on a big synthetic book: list, search, client page, agenda, and the
# Excel export beside python xlsxwriter writing the same rows.
# Builds the release CLI, makes a 100k-client demo book once (kept in the cache), then times it.
# Usage: bash scripts/bench.sh [CLIENTS]   (default 100000; not part of the test command)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
clients="${1:-100000}"
cargo build --quiet --release -p rapport
cli="$CARGO_TARGET_DIR/release/rapport"
book="$RAPPORT_CACHE/bench-$clients.rapport"
if [ ! -f "$book" ]; then
  step "making a $clients-client demo book (about $((clients / 1500)) s)"
  "$cli" --book "$book" demo --clients "$clients" --seed 42
fi
step "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
ls -la "$book" | awk '{printf "book file: %.0f MB\n", $5/1048576}'
"$cli" --book "$book" bench | tee "$RAPPORT_CACHE/bench-last.txt"

# The same rows written by python xlsxwriter, in the same run: the export's baseline.
python3 -c 'import xlsxwriter' 2>/dev/null || python3 -m pip install --quiet 'xlsxwriter==3.*'
ours=$(awk '/^xlsx export/ {print $(NF-1)}' "$RAPPORT_CACHE/bench-last.txt")
if [ -n "$ours" ]; then
  tmp=$(mktemp -d)
  read -r theirs rows < <(python3 scripts/xlsx_baseline.py "$book" "$tmp/baseline.xlsx")
  rm -rf "$tmp"
  awk -v o="$ours" -v t="$theirs" -v n="$rows" 'BEGIN {
    printf "%-44s %9.2f %9s\n", "python xlsxwriter, the same " n " rows", t, "";
    printf "xlsx export: %.1fx faster than python xlsxwriter (target: 4x, and under 1500 ms)\n", t / o }'
fi
