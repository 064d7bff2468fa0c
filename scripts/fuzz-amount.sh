#!/usr/bin/env bash
# The amount reader under libFuzzer for a bounded time: `bash scripts/fuzz-amount.sh [SECONDS]`
# (30 by default). It builds fuzz/amount (guichet-types alone, with libFuzzer's coverage flags,
# which RUSTC_BOOTSTRAP lets the stable toolchain take) and starts from the committed corpus;
# a crash stops it with the input saved under fuzz/amount/. The whole set of targets, with
# AddressSanitizer, is run with cargo-fuzz (docs/proof.md).
set -euo pipefail
cd "$(dirname "$0")/../fuzz/amount"
seconds="${1:-30}"
export CARGO_TARGET_DIR="${GUICHET_FUZZ_TARGET_DIR:-$HOME/.cache/guichet/fuzz-amount}"
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# With an explicit target the coverage flags reach the fuzzed code only, not the build scripts.
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --bin fuzz-amount --target "$host"
# libFuzzer adds what it finds to the corpus directory: work on a copy.
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp ../corpus/amount/* "$corpus"/
"$CARGO_TARGET_DIR/$host/release/fuzz-amount" -max_total_time="$seconds" -rss_limit_mb=512 \
  -artifact_prefix="$PWD/" "$corpus"
