#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops the throwaway MariaDB server that start-mariadb.sh started for this build tree (CTest fixture
# cleanup, test server_mariadb_stop) and removes its temp directory and parameter files.
#
# Usage: stop-mariadb.sh STATE_DIR
#
# Only the server recorded in STATE_DIR/mariadb.state is touched, so build trees and CI runs side by side
# never stop each other's servers. SIGTERM is mariadbd's clean shutdown; the server is not our child (it
# was started in its own session), so we poll until the pid is gone, and SIGKILL it after the timeout.
# Running it with nothing to stop is not an error.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init mariadb "${1:-}"

rm -f "$QM_ENV_FILE"
if [[ ! -f $QM_STATE_FILE ]]; then
    qm_log "nothing to stop"
    exit 0
fi
base=$(qm_state_get "$QM_STATE_FILE" DIR)
pid=$(qm_state_get "$QM_STATE_FILE" PID)
if [[ -n $base && -f $base/mariadbd.pid ]]; then
    pid=$(cat "$base/mariadbd.pid")
fi

# A pid from a stale state file may have been reused by an unrelated process: only signal a mariadbd.
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--datadir=$base/data"; then
    qm_log "stopping server pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    if ! qm_wait_pid_gone "$pid" "$QM_TIMEOUT"; then
        qm_log "server pid $pid did not stop within ${QM_TIMEOUT}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        qm_wait_pid_gone "$pid" 10 || qm_die "server pid $pid does not exit"
    fi
fi

qm_remove_tempdir "$base"
rm -f "$QM_STATE_FILE"
qm_log "stopped"
