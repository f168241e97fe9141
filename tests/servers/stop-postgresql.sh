#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops the throwaway PostgreSQL server that start-postgresql.sh started for this build tree (CTest fixture
# cleanup, test server_postgresql_stop) and removes its temp directory and parameter files.
#
# Usage: stop-postgresql.sh STATE_DIR
#
# Only the server recorded in STATE_DIR/postgresql.state is touched, so build trees and CI runs side by side
# never stop each other's servers. `pg_ctl -m fast` disconnects clients and shuts down cleanly; if it
# cannot (e.g. pg_ctl is gone), the postmaster gets SIGQUIT (immediate shutdown). As root, pg_ctl runs as
# the `postgres` user that owns the cluster. Running it with nothing to stop is not an error.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init postgresql "${1:-}"

rm -f "$QM_ENV_FILE"
if [[ ! -f $QM_STATE_FILE ]]; then
    qm_log "nothing to stop"
    exit 0
fi
base=$(qm_state_get "$QM_STATE_FILE" DIR)
bindir=$(qm_state_get "$QM_STATE_FILE" BINDIR)
data=$base/data

pid=$(qm_state_get "$QM_STATE_FILE" PID)
if [[ -n $base && -f $data/postmaster.pid ]]; then
    pid=$(head -n 1 "$data/postmaster.pid")
fi
# A pid from a stale state file may have been reused by an unrelated process: only signal our postmaster.
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $data "; then
    run_as=()
    if [[ $(id -u) -eq 0 ]]; then
        run_as=(runuser -u postgres --)
    fi
    qm_log "stopping server pid $pid"
    if [[ -z $bindir || ! -x $bindir/pg_ctl ]] ||
        ! "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w -t "$QM_TIMEOUT" stop >/dev/null; then
        qm_log "pg_ctl stop failed; sending SIGQUIT to $pid"
        kill -QUIT "$pid" 2>/dev/null || true
    fi
    if ! qm_wait_pid_gone "$pid" "$QM_TIMEOUT"; then
        kill -KILL "$pid" 2>/dev/null || true
        qm_wait_pid_gone "$pid" 10 || qm_die "server pid $pid does not exit"
    fi
fi

qm_remove_tempdir "$base"
rm -f "$QM_STATE_FILE"
qm_log "stopped"
