#!/usr/bin/env bash
# Install what a fresh Debian 12 machine lacks to build, run and test Rapport. Safe to re-run:
# each part is skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

# What Tauri 2 needs on Linux (webkit2gtk-4.1), the WebDriver for the window tests, a virtual
# display, CJK fonts so Chinese renders, and the sqlite3 shell that tests read the book with.
apt_packages=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb fonts-noto-cjk sqlite3
  pkg-config python3-pip)
command -v node >/dev/null || apt_packages+=(nodejs npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "Rust (cargo) is needed: install it with rustup, then re-run." >&2; exit 1; }

if ! command -v tauri-driver >/dev/null; then
  step "cargo install tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi

if ! python3 -c 'import selenium, pytest, zhdate, tyme4py, openpyxl, icalendar, radicale, caldav' 2>/dev/null; then
  step "pip: test requirements"
  python3 -m pip install --quiet -r tests/requirements.txt 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages -r tests/requirements.txt
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  step "npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
