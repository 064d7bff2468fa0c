#!/usr/bin/env bash
# Installs what is missing and runs every check: format, lints, type checks, unit and
# integration tests (real SQLite, real Secret Service keyring), UI tests, and the end-to-end
# suite in a real window under Xvfb over WebDriver, and the .deb bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
GUICHET_WITH_TEST_PKGS=1 bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
export CARGO_TERM_COLOR=never NO_COLOR=1 FORCE_COLOR=0
# Everything below is also written to a log, summed up at the end.
log="$(mktemp)"
exec > >(tee "$log") 2>&1

echo "==> ui: build, type check, unit tests"
(cd ui && npm run build && npm run check && npm test)

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> the shipped code builds without the test-only features (core reaches the database only through the store)"
cargo check --workspace --lib --bins --locked

echo "==> cargo test (inside a D-Bus session with a real gnome-keyring)"
# Bounded, so a hung test fails the run with its name on screen rather than at the CI limit.
timeout --kill-after=30 2400 bash scripts/with-keyring.sh cargo test --workspace --exclude guichet-e2e --locked || {
  rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "cargo test: stopped after 40 minutes (a test hung)" >&2; fi
  exit "$rc"
}
echo "==> UI bindings are generated from the Rust types"
cargo test -p guichet-core --features ts --test bindings --locked

echo "==> fuzz: the one amount reader under libFuzzer, bounded (longer: bash scripts/fuzz-amount.sh SECONDS)"
bash scripts/fuzz-amount.sh 20

if [ -x tests/e2e/run.sh ]; then
  echo "==> end-to-end: the real app under Xvfb over WebDriver"
  bash tests/e2e/run.sh
fi

# Last, as it is the longest build: the release bundle a merchant installs. The AppImage is left
# to scripts/bundle.sh run by hand, as its tools come from GitHub rather than a package registry.
echo "==> bundle: tauri build, then the .deb is checked and its binary draws the UI"
bash scripts/bundle.sh --no-appimage

# One closing line for the whole run: every Rust test result plus the UI's vitest count.
passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
ui=$(grep -Eo 'Tests +[0-9]+ passed' "$log" | awk '{s+=$2} END {print s+0}')
echo "$((passed + ui)) passed, $failed failed"
