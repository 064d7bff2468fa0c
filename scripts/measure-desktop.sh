#!/usr/bin/env bash
# Measures the desktop app (release build) against its limits and prints each figure beside its
# limit, then a summary table; exits 1 if a figure misses its limit (docs/desktop.md):
#   - a page of any table at 1,000,000 rows (< 50 ms): payouts, collections, contacts and the
#     event log on a real SQLite file seeded by bulk insert (crates/core/benches/pages.rs);
#   - cold start (< 1 s), from spawning the release binary to the UI's first interactive screen
#     (navigation drawn, language and accounts loaded): the UI calls `ui_ready` then, and the app
#     writes that moment to GUICHET_READY_FILE. The app opens the million-row database above;
#   - idle memory (< 150 MB RSS) of the app and its WebKit processes, 10 s after it is ready.
# The app runs under Xvfb in its own D-Bus session with a real gnome-keyring (as on a desktop).
# Usage: scripts/measure-desktop.sh [--rows N] [--runs N] [--data-dir DIR (kept, reused)]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
rows=1000000 runs=5 data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --data-dir) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs N] [--data-dir DIR]" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
cleanup() { kill "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "$data" ] || data="$work/data"
mkdir -p "$data"

echo "==> machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(free -m | awk '/^Mem:/ {print $7}') MB available"
echo "==> building the release app and the page benchmark"
(cd ui && npm run build >/dev/null)
cargo build --release --locked --features custom-protocol --bin guichet-app
app="$CARGO_TARGET_DIR/release/guichet-app"

echo "==> pages at $rows rows"
cargo bench --locked -p guichet-core --bench pages -- --data-dir "$data" --rows "$rows" |
  tee "$work/pages.txt"

echo "==> cold start and idle memory (Xvfb, $runs starts on the $rows-row database)"
display=":$((200 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 \
  NO_AT_BRIDGE=1 APP="$app" DATA="$data" WORK="$work" RUNS="$runs"
echo "==> load average before the starts: $(cut -d' ' -f1-3 /proc/loadavg)"
bash scripts/with-keyring.sh bash -c '
  set -euo pipefail
  # RSS in kB of a process and all its descendants (WebKitWebProcess, WebKitNetworkProcess).
  tree_rss() {
    local pids=("$1") i=0 total=0 detail="" p kb
    while [ $i -lt ${#pids[@]} ]; do
      for c in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$c"); done
      i=$((i + 1))
    done
    for p in "${pids[@]}"; do
      kb=$(awk "/^VmRSS:/ {print \$2}" /proc/"$p"/status 2>/dev/null || echo 0)
      total=$((total + ${kb:-0}))
      detail="$detail $(cat /proc/"$p"/comm 2>/dev/null || echo "?")=$((${kb:-0} / 1024))MB"
    done
    echo "$total$detail"
  }
  for run in $(seq "$RUNS"); do
    rm -f "$WORK/ready"
    t0=$(date +%s%N)
    GUICHET_READY_FILE="$WORK/ready" "$APP" --data-dir "$DATA" >"$WORK/app.log" 2>&1 &
    pid=$!
    for _ in $(seq 1000); do [ -s "$WORK/ready" ] && break; sleep 0.01; done
    if [ ! -s "$WORK/ready" ]; then
      kill "$pid" 2>/dev/null || true
      echo "the app did not report an interactive window within 10 s; its log:" >&2
      cat "$WORK/app.log" >&2
      exit 1
    fi
    ms=$(( ($(cat "$WORK/ready") - t0) / 1000000 ))
    echo "start $run: $ms ms"
    echo "$ms" >>"$WORK/starts"
    if [ "$run" = "$RUNS" ]; then
      sleep 10
      tree_rss "$pid" >"$WORK/rss"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
'

first=$(head -1 "$work/starts")
median=$(sort -n "$work/starts" | sed -n "$(( ($(wc -l <"$work/starts") + 1) / 2 ))p")
rss="$(cat "$work/rss")"
rss_mb=$(( ${rss%% *} / 1024 ))
# The slowest page, as the benchmark sums it up.
page_ms="$(sed -n 's/^slowest page: \([0-9.]*\) ms median (\(.*\))$/\1/p' "$work/pages.txt")"
page_name="$(sed -n 's/^slowest page: \([0-9.]*\) ms median (\(.*\))$/\2/p' "$work/pages.txt")"
over=0
row() { # name, measured, unit, limit
  local verdict=ok
  if awk -v m="$2" -v l="$4" 'BEGIN {exit !(m >= l)}'; then verdict=OVER over=1; fi
  printf '%-50s %10s %-2s %8s %-2s  %s\n' "$1" "$2" "$3" "< $4" "$3" "$verdict"
}
echo
echo "Guichet desktop, release build, $rows rows; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-50s %13s %11s\n' "figure" "measured" "limit"
row "cold start to an interactive window, first run" "$first" ms 1000
row "cold start, median of $runs" "$median" ms 1000
row "slowest page ($page_name)" "$page_ms" ms 50
row "idle memory, app + WebKit processes (RSS)" "$rss_mb" MB 150
echo "  processes:${rss#* }"
exit "$over"
