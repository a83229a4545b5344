#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target (or those named in FUZZ_TARGETS) for FUZZ_SECONDS each,
# from a seed corpus built from the shared test vectors, and prints executions and findings per
# target. OOMs (-rss_limit_mb) and hangs (-timeout) count as findings, as crashes do. An input
# that fails is kept by libFuzzer in fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>/ so `make test` replays it (tests/fuzz_regressions.rs).
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-60}"
rss_mb="${FUZZ_RSS_MB:-2048}"
timeout_s="${FUZZ_TIMEOUT:-10}"
sanitizer="${FUZZ_SANITIZER:-none}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "make fuzz: needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "make fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  if ! cargo install cargo-fuzz --locked; then
    echo "make fuzz: cannot install cargo-fuzz; install it with 'cargo install cargo-fuzz --locked'" >&2
    exit 1
  fi
fi

python3 seed_corpus.py
targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
# Debug assertions on (overflow checks included); no sanitizer by default, since the code is
# safe Rust and ASan would halve the executions (FUZZ_SANITIZER=address to use it).
cargo +nightly fuzz build --sanitizer "$sanitizer" --debug-assertions

mkdir -p logs
summary=()
failed=0
for target in $targets; do
  log="logs/$target.log"
  echo "== $target: ${seconds} s"
  status=0
  cargo +nightly fuzz run --sanitizer "$sanitizer" --debug-assertions "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" \
    -timeout="$timeout_s" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s+=$1} END {print s+0}')"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | awk '{s+=$1} END {print s+0}')"
  crashes="$(grep -c -E 'Test unit written to .*/crash-' "$log" || true)"
  ooms="$(grep -c -E 'Test unit written to .*/oom-' "$log" || true)"
  hangs="$(grep -c -E 'Test unit written to .*/(timeout|slow-unit)-' "$log" || true)"
  corpus="$(find "corpus/$target" -type f | wc -l)"
  line="$(printf '%-26s execs %12s  exec/s %8s  crashes %s  ooms %s  hangs %s  corpus %s' \
    "$target" "$execs" "$rate" "$crashes" "$ooms" "$hangs" "$corpus")"
  echo "$line"
  summary+=("$line")
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "   failed: see fuzz/$log and fuzz/artifacts/$target/" >&2
  fi
done
echo
echo "== fuzzing summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
