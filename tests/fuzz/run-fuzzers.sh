#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs the libFuzzer targets of a QMIGRATE_FUZZ=ON build one after the other (one core), each for
# FUZZ_SECONDS (default 600), and says per target how many inputs ran, its coverage and whether an input
# crashed, leaked, hit undefined behaviour or ran longer than FUZZ_TIMEOUT seconds (default 10).
#
#   run-fuzzers.sh BUILD_DIR [NAME...]     (names as in tests/fuzz/CMakeLists.txt; default: all)
#
# Each target's working corpus, log and artifacts are kept in BUILD_DIR/tests/fuzz/<name>/, so a later run
# goes on from what the earlier ones found; the seed folders in the source tree are only read.
set -u

build=${1:?usage: run-fuzzers.sh BUILD_DIR [NAME...]}
shift
seconds=${FUZZ_SECONDS:-600}
timeout=${FUZZ_TIMEOUT:-10}
list="$build/tests/fuzz/fuzzers.tsv"
if [ ! -f "$list" ]; then
    echo "run-fuzzers.sh: $list not found: configure $build with -DQMIGRATE_FUZZ=ON and build it first" >&2
    exit 2
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
if ! command -v llvm-symbolizer >/dev/null && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

summary=()
failures=()
ran=0
while IFS=$'\t' read -r -a fields; do
    name=${fields[0]}
    fuzzer=${fields[1]}
    dict=${fields[2]}
    seeds=("${fields[@]:3}")
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
        continue
    fi
    ran=$((ran + 1))
    work="$build/tests/fuzz/$name"
    mkdir -p "$work/corpus" "$work/artifacts"
    log="$work/fuzz.log"
    echo "fuzz_$name: ${seconds} s (log: $log)"
    # The first folder is the working corpus libFuzzer adds to; the seeds are read only.
    "$fuzzer" -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 -dict="$dict" \
        -artifact_prefix="$work/artifacts/" "$work/corpus" "${seeds[@]}" </dev/null >"$log" 2>&1
    status=$?

    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    progress=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$progress")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$progress")
    corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$progress")
    line="fuzz_$name: ${executions:-?} executions (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corpus:-?}"
    if [ "$status" -eq 0 ]; then
        summary+=("$line, no crash")
        continue
    fi
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    # The first report in the log says what went wrong: a failed check, UB, a sanitizer's or libFuzzer's error.
    kind=$(grep -m 1 -E 'invariant violated|runtime error|ERROR: |^Qt: |ALARM: ' "$log" | sed 's/^[^ ]*\/tests\/fuzz\///' |
        cut -c 1-200)
    summary+=("$line, FAILED: ${kind:-exit status $status}")
    failures+=("fuzz_$name: ${kind:-exit status $status}
    input: ${artifact:-none written, see $log}
    reproduce: $fuzzer ${artifact:-<input>}
    once the bug is fixed, copy the input into tests/data/fuzz/$name/ as a regression (make test replays it)")
done <"$list"

if [ "$ran" -eq 0 ]; then
    echo "run-fuzzers.sh: no target named $* in $list" >&2
    exit 2
fi
echo
printf '%s\n' "${summary[@]}"
if [ ${#failures[@]} -gt 0 ]; then
    echo
    printf '%s\n' "${failures[@]}"
    exit 1
fi
