#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops the throwaway Galera cluster that start-galera.sh started for this build tree (CTest fixture
# cleanup, test server_galera_stop) and removes its temp directory and parameter files.
#
# Usage: stop-galera.sh STATE_DIR
#
# Only the nodes recorded in STATE_DIR/galera.state (and their pid files) are touched. Nodes 3, 2, 1 are
# stopped in that order (SIGTERM, then SIGKILL after the timeout), so the last node to leave is the one
# that bootstrapped. Running it with nothing to stop is not an error.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init galera "${1:-}"

rm -f "$QM_STATE_DIR"/galera[123].env
if [[ ! -f $QM_STATE_FILE ]]; then
    qm_log "nothing to stop"
    exit 0
fi
started_at=$SECONDS
base=$(qm_state_get "$QM_STATE_FILE" DIR)

for n in 3 2 1; do
    pid=$(qm_state_get "$QM_STATE_FILE" "PID$n")
    if [[ -n $base && -f $base/node$n/mariadbd.pid ]]; then
        pid=$(cat "$base/node$n/mariadbd.pid")
    fi
    # A pid from a stale state file may have been reused by an unrelated process: only signal our mariadbd.
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--datadir=$base/node$n/data"; then
        qm_log "stopping node $n (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        if ! qm_wait_pid_gone "$pid" "$QM_TIMEOUT"; then
            qm_log "node $n (pid $pid) did not stop within ${QM_TIMEOUT}s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            qm_wait_pid_gone "$pid" 10 || qm_die "node $n (pid $pid) does not exit"
        fi
    fi
done

qm_remove_tempdir "$base"
rm -f "$QM_STATE_FILE"
qm_log "stopped in $((SECONDS - started_at)) s"
