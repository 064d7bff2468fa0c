#!/usr/bin/env bash
# Installs what Guichet needs to build, run and test on Debian 12 / Ubuntu 22.04+, skipping what
# is already there. Safe to run again. Needs root or sudo for apt; a Rust toolchain (rustup).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

BUILD_PKGS="build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev
 librsvg2-dev libxdo-dev libayatana-appindicator3-dev nodejs npm"
TEST_PKGS="webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools dunst libnotify-bin
 imagemagick file curl"

want=()
for p in $BUILD_PKGS ${GUICHET_WITH_TEST_PKGS:+$TEST_PKGS}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || want+=("$p")
done
# Node may come from elsewhere than Debian (nodesource, nvm): don't fight it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${want[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done; want=("${tmp[@]}")
fi
if [ ${#want[@]} -gt 0 ]; then
  echo "==> apt-get install ${want[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

# Cargo builds are cached outside the clone so a second run is fast.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"

if [ -n "${GUICHET_WITH_TEST_PKGS:-}" ] && ! command -v tauri-driver >/dev/null; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi

echo "==> npm ci (ui)"
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
