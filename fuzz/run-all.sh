#!/usr/bin/env bash
# Runs fuzz targets one after another with the same settings, from binaries already built (so
# `src/` may change meanwhile), and prints one summary line per target:
#
#   target  executions  seconds  exec/s  result
#
# Usage: run-all.sh BIN_DIR TARGET...    (BIN_DIR: where `cargo fuzz build` put the binaries)
# Settings: RUNS (default 10000000), MAX_LEN (4096). Logs go to logs/TARGET.log, crashes to
# artifacts/TARGET/. Run it under `nice`; two of these side by side use two cores.
set -u
cd "$(dirname "$0")"
bin_dir=$1
shift
runs=${RUNS:-10000000}
max_len=${MAX_LEN:-4096}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
mkdir -p logs
for target in "$@"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="logs/$target.log"
    start=$(date +%s)
    "$bin_dir/$target" "corpus/$target" "seeds/$target" \
        -artifact_prefix="artifacts/$target/" -runs="$runs" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
    status=$?
    seconds=$(($(date +%s) - start))
    done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -1)
    executions=$(echo "$done_line" | awk '{print $2}')
    if [ "$status" -eq 0 ] && [ -n "$executions" ]; then
        result="ok"
    else
        result="FAILED (exit $status; see $log)"
    fi
    echo "$target ${executions:-?} $seconds $((${executions:-0} / (seconds > 0 ? seconds : 1))) $result"
done
