#!/usr/bin/env bash
# End-to-end: builds the UI and the app (with the custom protocol, as `tauri build` does), starts
# Xvfb, a D-Bus session with an unlocked gnome-keyring, a notification daemon and tauri-driver,
# then drives the real window over WebDriver. Screenshots land in tests/artifacts/.
# Arguments go to `cargo test`: `bash tests/e2e/run.sh --test batch` runs one file.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
(cd ui && npm run build >/dev/null)
cargo build --locked --features custom-protocol --bin guichet-app
export GUICHET_E2E_APP="$CARGO_TARGET_DIR/debug/guichet-app"

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
port=$((4500 + RANDOM % 400))
export GUICHET_E2E_DRIVER="http://127.0.0.1:$port"
rm -rf tests/artifacts && mkdir -p tests/artifacts

bash scripts/with-keyring.sh bash -c '
  set -euo pipefail
  dunst >/dev/null 2>&1 &
  tauri-driver --port '"$port"' --native-port '"$((port + 1000))"' >tests/artifacts/tauri-driver.log 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    curl -sf "$GUICHET_E2E_DRIVER/status" | grep -q "\"ready\":true" && break
    sleep 0.2
  done
  # A window that never answers fails the run within 25 minutes, naming the step, instead of
  # running into the CI limit.
  timeout --kill-after=30 1500 cargo test --locked -p guichet-e2e "$@" -- --test-threads=1 || {
    rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "end-to-end: stopped after 25 minutes (a test hung)" >&2; fi
    exit "$rc"
  }
' run-e2e "$@"
