#!/usr/bin/env bash
# The benchmark table: every hot path of the app timed on demo books of 1k, 10k and 100k clients
# (ten contacts a client: the 100k book holds a million), each figure beside a baseline measured
# in the same run (the plain SQL fetching the same rows; FTS5 alone for search; python
# xlsxwriter writing the same rows for the Excel export). Prints the figures and writes them to
# docs/benchmarks.md. Builds the release CLI; the books are made once and kept in the cache.
# Usage: bash scripts/bench.sh [CLIENTS ...]   (default: 1000 10000 100000; not part of the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
cargo build --quiet --release -p rapport
cli="$CARGO_TARGET_DIR/release/rapport"
python3 -c 'import xlsxwriter' 2>/dev/null || python3 -m pip install --quiet 'xlsxwriter==3.*'

out=docs/benchmarks.md
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
step "machine: $machine"
{
  echo "# Benchmarks"
  echo
  echo "Made by \`bash scripts/bench.sh\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD): release build,"
  echo "machine: $machine, $(uname -sr)."
  echo
  echo "Each figure is the p50 and p95 of repeated runs in one process, in milliseconds. The baseline"
  echo "beside it was measured in the same run: the plain SQL fetching the same rows (the list, the"
  echo "client page), FTS5 alone finding the newest 50 matching notes (search), python xlsxwriter"
  echo "writing the same rows and columns (the Excel export). \"× baseline\" is how many times the"
  echo "baseline's p50 the figure's p50 is. Search queries are cut from the book's own notes, names"
  echo "and phones (one, two and three or four characters, pinyin, the last digits of phones, a"
  echo "surname with a word). Demo books: seed 42, ten contacts a client."
} > "$out"

for clients in "${sizes[@]}"; do
  contacts=$((clients * 10))
  book="$RAPPORT_CACHE/bench-$clients-$contacts.rapport"
  # How long the book took to make, and by which build, is kept beside it: a kept book is
  # timed by the bench, not made again (delete it to make it again).
  made="$book.made"
  if [ ! -f "$book" ]; then
    step "making a $clients-client, $contacts-contact demo book"
    rm -f "$made"
    summary=$("$cli" --book "$book" demo --clients "$clients" --contacts "$contacts" --seed 42)
    echo "$summary"
    echo "made by \`rapport demo --clients $clients --contacts $contacts --seed 42\` at commit $(git rev-parse --short HEAD) on $(date -u +%Y-%m-%d): ${summary#*: }" > "$made"
  fi
  step "$clients clients: $(ls -la "$book" | awk '{printf "%.0f MB", $5/1048576}')"
  "$cli" --book "$book" bench --markdown "$out" | tee "$RAPPORT_CACHE/bench-last.txt"
  if [ -f "$made" ]; then
    cat "$made"
    printf '\nThe book was %s.\n' "$(cat "$made")" >> "$out"
  fi
  ours=$(awk '/^xlsx export/ {print $(NF-1)}' "$RAPPORT_CACHE/bench-last.txt")
  if [ -n "$ours" ]; then
    tmp=$(mktemp -d)
    read -r theirs rows < <(python3 scripts/xlsx_baseline.py "$book" "$tmp/baseline.xlsx")
    rm -rf "$tmp"
    line=$(awk -v o="$ours" -v t="$theirs" -v n="$rows" 'BEGIN {
      printf "xlsx export: %.0f ms; python xlsxwriter, the same %d rows: %.0f ms (%.1fx faster)", o, n, t, t / o }')
    echo "$line"
    printf '\n%s.\n' "$line" >> "$out"
  fi
done
step "written to $out"
