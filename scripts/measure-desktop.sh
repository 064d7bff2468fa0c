#!/usr/bin/env bash
# Measures the desktop app (release build) against its limits and prints each figure beside its
# limit, then a summary table; exits 1 if a figure misses its limit (docs/desktop.md):
#   - a page of any table at 1,000,000 rows (< 50 ms): payouts, collections, contacts and the
#     event log on a real SQLite file seeded by bulk insert (crates/core/benches/pages.rs);
#   - cold start (< 1 s), from spawning the release binary to the UI's first interactive screen
#     (navigation drawn, language and accounts loaded): the UI calls `ui_ready` then, and the app
#     writes that moment to GUICHET_READY_FILE, with the time of each stage before it. Measured
#     on the million-row database above and on an empty data folder (a first start);
#   - idle memory (< 150 MB RSS) of the app and its WebKit processes, 10 s after it is ready,
#     with each process's RSS and PSS (shared libraries split between the processes mapping them).
# The app runs under Xvfb in its own D-Bus session with a real gnome-keyring (as on a desktop).
# Usage: scripts/measure-desktop.sh [--rows N] [--runs N] [--data-dir DIR (kept, reused)]
#                                   [--no-pages (DIR must hold a database seeded earlier)]
#                                   [--no-build (measure the release app already built)]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
rows=1000000 runs=5 data="" pages=1 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --data-dir) data="$2"; shift 2 ;;
    --no-pages) pages=0; shift ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--rows N] [--runs N] [--data-dir DIR] [--no-pages] [--no-build]" >&2
      exit 2 ;;
  esac
done

work="$(mktemp -d)"
cleanup() { kill "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "$data" ] || data="$work/data"
mkdir -p "$data"

echo "==> machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(free -m | awk '/^Mem:/ {print $7}') MB available"
app="$CARGO_TARGET_DIR/release/guichet-app"
# Rebuilding the UI gives its files new dates, which relinks the app (minutes on 2 cores).
if [ "$build" = 1 ] || [ ! -x "$app" ]; then
  echo "==> building the release app"
  (cd ui && npm run build >/dev/null)
  cargo build --release --locked --features custom-protocol --bin guichet-app
fi

if [ "$pages" = 1 ]; then
  echo "==> pages at $rows rows"
  cargo bench --locked -p guichet-core --bench pages -- --data-dir "$data" --rows "$rows" |
    tee "$work/pages.txt"
elif [ ! -s "$data/guichet.db" ]; then
  echo "--no-pages needs a --data-dir seeded by an earlier run" >&2
  exit 2
fi

echo "==> cold start and idle memory (Xvfb, $runs starts on the $rows-row database," \
  "$runs on an empty data folder)"
display=":$((200 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
# As the E2E suite runs it (docs/TAURI-NOTES): no GL compositing or DMA-BUF under Xvfb.
export DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 \
  NO_AT_BRIDGE=1 APP="$app" DATA="$data" WORK="$work" RUNS="$runs"
cat >"$work/starts.sh" <<'STARTS'
set -euo pipefail
# Each process of the app's tree (the app, WebKitWebProcess, WebKitNetworkProcess): one line
# "name rss_kB pss_kB"; PSS from smaps_rollup splits shared libraries between their users.
tree_memory() {
  local pids=("$1") i=0 p
  while [ $i -lt ${#pids[@]} ]; do
    for c in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$c"); done
    i=$((i + 1))
  done
  for p in "${pids[@]}"; do
    printf '%s %s %s\n' "$(cat /proc/"$p"/comm 2>/dev/null || echo '?')" \
      "$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0)" \
      "$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)"
  done
}
# starts LABEL DATA_DIR|empty: RUNS starts, each time to ui_ready; the stages of each start go
# to WORK/LABEL.stages as "stage ms-since-spawn", the memory after the last one to WORK/LABEL.mem.
starts() {
  local label="$1" dir="$2" run t0 pid ms
  for run in $(seq "$RUNS"); do
    [ "$2" = empty ] && { dir="$WORK/empty-$run"; mkdir -p "$dir"; }
    rm -f "$WORK/ready" "$WORK/ready.stages"
    echo "$label ${run}: load $(cut -d' ' -f1 /proc/loadavg)" >>"$WORK/loads"
    t0=$(date +%s%N)
    GUICHET_READY_FILE="$WORK/ready" "$APP" --data-dir "$dir" >"$WORK/app.log" 2>&1 &
    pid=$!
    for _ in $(seq 1500); do [ -s "$WORK/ready" ] && break; sleep 0.01; done
    if [ ! -s "$WORK/ready" ]; then
      kill "$pid" 2>/dev/null || true
      echo "the app did not report an interactive window within 15 s (a database at an older" \
        "schema is migrated, and backed up, at its first start: run once without --no-pages," \
        "whose benchmark opens it first); its log:" >&2
      cat "$WORK/app.log" >&2
      exit 1
    fi
    ms=$(( ($(cat "$WORK/ready") - t0) / 1000000 ))
    echo "$label, start $run: $ms ms"
    echo "$ms" >>"$WORK/$label.starts"
    awk -v t0="$t0" '{printf "%s %d\n", $1, ($2 - t0) / 1000000}' "$WORK/ready.stages" \
      >>"$WORK/$label.stages"
    if [ "$run" = "$RUNS" ]; then
      sleep 10
      tree_memory "$pid" >"$WORK/$label.mem"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
starts big "$DATA"
starts empty empty
STARTS
bash scripts/with-keyring.sh bash "$work/starts.sh"

median_of() { sort -n "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
over=0
row() { # name, measured, unit, limit
  local verdict=ok
  if awk -v m="$2" -v l="$4" 'BEGIN {exit !(m >= l)}'; then verdict=OVER over=1; fi
  printf '%-54s %10s %-2s %8s %-2s  %s\n' "$1" "$2" "$3" "< $4" "$3" "$verdict"
}
# Median time of each stage, from spawning the app, over the starts of LABEL.
stages() {
  sort -k1,1 -k2,2n "$work/$1.stages" |
    awk 'function out() {if (n) printf "    %-28s %6d ms\n", name, v[int((n + 1) / 2)]}
      $1 != name {out(); name = $1; n = 0} {v[++n] = $2} END {out()}' |
    sort -k2 -n
}
memory() { # LABEL: total RSS in MB, then a line per process with RSS and PSS
  awk '{rss += $2; pss += $3} END {print int(rss / 1024), int(pss / 1024)}' "$work/$1.mem"
}

echo
echo "Guichet desktop, release build, $rows rows; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average (1 min) at each start: $(awk '{printf "%s ", $NF}' "$work/loads")"
printf '%-54s %13s %11s\n' "figure" "measured" "limit"
if [ "$pages" = 1 ]; then
  # The slowest page, as the benchmark sums it up.
  page_ms="$(sed -n 's/^slowest page: \([0-9.]*\) ms median (\(.*\))$/\1/p' "$work/pages.txt")"
  page_name="$(sed -n 's/^slowest page: \([0-9.]*\) ms median (\(.*\))$/\2/p' "$work/pages.txt")"
  row "slowest page ($page_name)" "$page_ms" ms 50
fi
for label in big empty; do
  name="million-row database"
  [ "$label" = empty ] && name="empty data folder"
  row "cold start, $name, first run" "$(head -1 "$work/$label.starts")" ms 1000
  row "cold start, $name, median of $runs" "$(median_of "$work/$label.starts")" ms 1000
done
for label in big empty; do
  name="million-row database"
  [ "$label" = empty ] && name="empty data folder"
  read -r rss pss < <(memory "$label")
  row "idle memory, $name, app + WebKit (RSS)" "$rss" MB 150
  echo "    PSS (shared pages split): $pss MB; each process, RSS / PSS:"
  awk '{printf "      %-22s %5d / %5d MB\n", $1, $2 / 1024, $3 / 1024}' "$work/$label.mem"
done
for label in big empty; do
  echo "  stages of a start, $label ($runs-start medians, ms from spawning the app):"
  stages "$label"
done
exit "$over"
