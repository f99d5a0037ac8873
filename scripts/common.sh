# Shared by the scripts: where caches live (outside the clone, so CI can keep them) and how
# to run a command as root when we are not.
RAPPORT_CACHE="${RAPPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rapport}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$RAPPORT_CACHE/target}"
export npm_config_cache="${npm_config_cache:-$RAPPORT_CACHE/npm}"
export PATH="$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
