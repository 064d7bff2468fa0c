#!/usr/bin/env bash
# Measures the desktop app against its targets and prints each figure beside its target:
#   - a page of any table at 1,000,000 rows (< 50 ms), on a real SQLite file seeded by bulk insert
#     (crates/core/benches/pages.rs);
#   - cold start, from spawning the release binary to the UI's first interactive screen (< 1 s):
#     the UI calls `ui_ready` once the navigation and the dashboard are drawn, and the app writes
#     that moment to GUICHET_READY_FILE;
#   - idle memory (RSS) of the app and its WebKit processes after 10 s idle (< 150 MB).
# Runs under Xvfb. Usage: scripts/measure-desktop.sh [--rows N] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
rows=1000000 runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs N]" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
data="$work/data"

echo "==> building the release app and the page benchmark"
(cd ui && npm run build >/dev/null)
cargo build --release --locked --features custom-protocol --bin guichet-app
app="$CARGO_TARGET_DIR/release/guichet-app"

echo "==> pages at $rows rows"
cargo bench --locked -p guichet-core --bench pages -- --data-dir "$data" --rows "$rows"

echo "==> cold start and idle memory (Xvfb, $runs starts on the $rows-row database)"
display=":$((200 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
sleep 1

# RSS in kB of a process and all its descendants (WebKitWebProcess, WebKitNetworkProcess).
tree_rss() {
  local pids=("$1") i=0
  while [ $i -lt ${#pids[@]} ]; do
    for c in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$c"); done
    i=$((i + 1))
  done
  local total=0 detail=""
  for p in "${pids[@]}"; do
    local kb name
    kb=$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0)
    name=$(cat /proc/"$p"/comm 2>/dev/null || echo "?")
    total=$((total + ${kb:-0}))
    detail="$detail $name=$((${kb:-0} / 1024))MB"
  done
  echo "$total$detail"
}

starts=()
rss=""
for run in $(seq "$runs"); do
  ready="$work/ready"
  rm -f "$ready"
  t0=$(date +%s%N)
  GUICHET_READY_FILE="$ready" "$app" --data-dir "$data" >"$work/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do [ -s "$ready" ] && break; sleep 0.02; done
  if [ ! -s "$ready" ]; then
    kill "$pid" 2>/dev/null || true
    echo "the app did not report an interactive window within 6 s; its log:" >&2
    cat "$work/app.log" >&2
    exit 1
  fi
  t1=$(cat "$ready")
  ms=$(( (t1 - t0) / 1000000 ))
  starts+=("$ms")
  echo "start $run: $ms ms"
  if [ "$run" = "$runs" ]; then
    sleep 10
    rss="$(tree_rss "$pid")"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done

sorted=($(printf '%s\n' "${starts[@]}" | sort -n))
median=${sorted[$(( ${#sorted[@]} / 2 ))]}
first=${starts[0]}
rss_kb=${rss%% *}
rss_mb=$((rss_kb / 1024))
verdict() { if [ "$1" -lt "$2" ]; then echo ok; else echo OVER; fi; }

echo
printf '%-46s %12s %10s\n' "figure" "measured" "target"
printf '%-46s %9s ms %7s ms %s\n' "cold start, first launch" "$first" 1000 "$(verdict "$first" 1000)"
printf '%-46s %9s ms %7s ms %s\n' "cold start, median of $runs" "$median" 1000 "$(verdict "$median" 1000)"
printf '%-46s %9s MB %7s MB %s\n' "idle memory (app + WebKit processes, RSS)" "$rss_mb" 150 "$(verdict "$rss_mb" 150)"
echo "  processes:${rss#* }"
echo "(page figures: see the table printed by the benchmark above)"
