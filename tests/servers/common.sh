# SPDX-License-Identifier: MIT
# Shared helpers for the throwaway test servers (sourced by the start/stop scripts, never run alone).
#
# Layout: each server gets a fresh directory from mktemp under ${TMPDIR:-/tmp} (not under the build tree:
# PostgreSQL runs as the `postgres` system user, which may not be able to traverse a build tree under
# /root). The build tree only holds two small files per server in STATE_DIR (<build>/tests/servers):
#   NAME.state  the temp directory and pid of the server this build tree started (for stop and for
#               cleaning up after a run that was killed before its stop step);
#   NAME.env    the connection parameters, KEY=VALUE lines, read by tests/testservers.cpp. It is written
#               last, only once the server accepts the test user's connections, and removed first on stop.

set -euo pipefail

qm_log() { printf '[%s] %s\n' "$QM_SERVER" "$*"; }
qm_die() {
    printf '[%s] ERROR: %s\n' "$QM_SERVER" "$*" >&2
    exit 1
}

# qm_find_tool PACKAGES NAME...: the path of the first NAME found on PATH or in /usr/sbin (Debian keeps the
# servers there, outside a normal user's PATH); else fails naming the Debian PACKAGES to install.
qm_find_tool() {
    local packages=$1 name
    shift
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return
        fi
        if [[ -x /usr/sbin/$name ]]; then
            echo "/usr/sbin/$name"
            return
        fi
    done
    qm_die "no $1 found: install the Debian packages $packages"
}

# Ports 20000-32767: below Linux's ephemeral range (32768-60999), so an outgoing connection of another
# process cannot hold the port we pick between the check and the server's bind. The check only skips
# ports that visibly answer; the real test is the server's own bind, which the callers retry on failure.
# qm_pick_port ATTEMPT: QMIGRATE_SERVER_PORT, if set, is the first attempt's port, taken without that check
# (to pin a port while debugging, and to exercise the retry path).
qm_pick_port() {
    local port
    if [[ $1 -eq 1 && -n ${QMIGRATE_SERVER_PORT:-} ]]; then
        echo "$QMIGRATE_SERVER_PORT"
        return
    fi
    while :; do
        port=$((20000 + RANDOM % 12768))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

qm_random_password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# qm_write_env FILE KEY=VALUE...: written to a temp file and renamed, so a reader never sees half a file.
qm_write_env() {
    local file=$1
    shift
    printf '%s\n' "# Written by tests/servers/start-$QM_SERVER.sh; removed by stop-$QM_SERVER.sh." "$@" >"$file.tmp"
    mv -f "$file.tmp" "$file"
}

# qm_state_get FILE KEY: the value of KEY in a state file, empty if absent.
qm_state_get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -n 1; }

# qm_wait_pid_gone PID SECONDS: polls until the process is gone; returns 1 on timeout.
qm_wait_pid_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# qm_remove_tempdir DIR: removes a directory this script created, refusing anything else.
qm_remove_tempdir() {
    local dir=$1
    [[ -n $dir ]] || return 0
    case "$dir" in
    */qmigrate-"$QM_SERVER".*) rm -rf -- "$dir" ;;
    *) qm_log "not removing unexpected directory '$dir'" ;;
    esac
}

qm_print_log() {
    local file=$1
    if [[ -f $file ]]; then
        printf '%s\n' "----- $file (last 80 lines) -----" >&2
        tail -n 80 "$file" >&2
        printf '%s\n' "----- end of log -----" >&2
    fi
}

# Sets the variables the start/stop scripts use.
# shellcheck disable=SC2034
qm_init() {
    QM_SERVER=$1
    QM_STATE_DIR=${2:?usage: $0 STATE_DIR}
    mkdir -p "$QM_STATE_DIR"
    QM_STATE_DIR=$(cd "$QM_STATE_DIR" && pwd)
    QM_STATE_FILE=$QM_STATE_DIR/$QM_SERVER.state
    QM_ENV_FILE=$QM_STATE_DIR/$QM_SERVER.env
    QM_TIMEOUT=${QMIGRATE_SERVER_TIMEOUT:-60}
}
