#!/usr/bin/env bash
# Every test Rapport has: formatting, lints, the core on real SQLite files, the rules against
# independent references, the UI's type check and unit tests, and the real window end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
bash scripts/setup.sh

step "ui: build (the desktop binary embeds it)"
(cd ui && npm run --silent build)

step "rust: fmt, clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "rust: tests (core on real SQLite files; rules against references)"
cargo test --workspace --quiet

step "ui: generated bindings are up to date"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --exit-code -- ui/src/bindings || { echo "ui/src/bindings changed: commit the regenerated types" >&2; exit 1; }
  untracked=$(git ls-files --others --exclude-standard -- ui/src/bindings)
  [ -z "$untracked" ] || { echo "new bindings not committed: $untracked" >&2; exit 1; }
fi

step "ui: type check, unit tests"
(cd ui && npm run --silent typecheck && npm test --silent)

step "app: build, then drive the real window"
cargo build --quiet -p rapport -p rapport-app
bash scripts/e2e.sh
step "all tests passed"
