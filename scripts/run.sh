#!/usr/bin/env bash
# Installs what is missing, builds Guichet and opens it. With no real account configured it
# starts in sandbox (demo) mode, on the built-in provider simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
(cd ui && npm run build)
cargo build --release --features custom-protocol --bin guichet-app
exec "$CARGO_TARGET_DIR/release/guichet-app" "$@"
