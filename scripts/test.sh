#!/usr/bin/env bash
# Installs what is missing and runs every check: format, lints, type checks, unit and
# integration tests (real SQLite, real Secret Service keyring), UI tests, and the end-to-end
# suite in a real window under Xvfb over WebDriver.
set -euo pipefail
cd "$(dirname "$0")/.."
GUICHET_WITH_TEST_PKGS=1 bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
export CARGO_TERM_COLOR=never

echo "==> ui: build, type check, unit tests"
(cd ui && npm run build && npm run check && npm test)

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> cargo test (inside a D-Bus session with a real, unlocked gnome-keyring)"
bash scripts/with-keyring.sh cargo test --workspace --exclude guichet-e2e --locked
echo "==> UI bindings are generated from the Rust types"
cargo test -p guichet-core --features ts --test bindings --locked

if [ -x tests/e2e/run.sh ]; then
  echo "==> end-to-end: the real app under Xvfb over WebDriver"
  bash tests/e2e/run.sh
fi
