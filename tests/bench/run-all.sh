#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench`: every benchmark in turn, each printing its own report, then one table of the rows they marked
# (BENCH-ROW lines, tests/bench/benchrow.h) side by side: Alembic, qmigrate, the floor, the ratio and the goal.
# Usage: run-all.sh BUILD_DIR [benchmark...]   (default: all four)
set -uo pipefail
build=${1:?usage: run-all.sh BUILD_DIR [benchmark...]}
shift
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(bench_revisionmap bench_upgrade bench_gui bench_alembic)
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
status=0
for bench in "${benches[@]}"; do
    echo "== $bench"
    # The GUI benchmark needs no display: the offscreen platform is what it measures.
    if ! QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$build/tests/bench/$bench" | tee >(grep '^BENCH-ROW|' >>"$rows") |
        grep -v '^BENCH-ROW|'; then
        echo "$bench failed" >&2
        status=1
    fi
done
sleep 0.2 # the process substitutions finish writing
echo
echo "== Summary: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores"
echo
echo "| measure | Alembic | qmigrate | floor | ratio | goal | met |"
echo "|---|---|---|---|---|---|---|"
awk -F'|' '{ line = "|"; for (i = 2; i <= NF; i++) line = line " " $i " |"; print line }' "$rows"
exit $status
