#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts a throwaway PostgreSQL server for the test suite (CTest fixture "postgresql", test
# server_postgresql_start) and writes its connection parameters to STATE_DIR/postgresql.env.
#
# Usage: start-postgresql.sh STATE_DIR        (STATE_DIR = <build>/tests/servers)
#
# - initdb refuses to run as root, so as root the cluster is created and run by the `postgres` system user
#   that Debian's postgresql package creates (that package starts no server in containers; we start our own).
#   Run by another user, the cluster simply belongs to that user.
# - The data directory lives in a fresh mktemp directory under ${TMPDIR:-/tmp} that the postgres user owns
#   (a build tree under /root would not be reachable for it); the Unix socket is in that directory too.
# - The server listens on 127.0.0.1 only, on a random port in 20000-32767; if the bind fails because the
#   port is taken, another port is tried.
# - Authentication: `local` (Unix socket) is trust, so this script can set things up as the superuser
#   `postgres`; `host` (TCP) is scram-sha-256, so tests connecting over TCP exercise the drivers' password
#   path with the role qmigrate_test (random password per run, CREATEDB, owner of database qmigrate_test,
#   member of pg_signal_backend: DROP DATABASE ... WITH (FORCE) must end an autovacuum worker, which belongs
#   to no role, and fails without it).
# - Durability is off (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
# - A state file left by an earlier run that never reached its stop step is cleaned up first.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init postgresql "${1:-}"

if [[ -f $QM_STATE_FILE ]]; then
    qm_log "cleaning up after an earlier run"
    "$(dirname "${BASH_SOURCE[0]}")/stop-postgresql.sh" "$QM_STATE_DIR" || true
fi
rm -f "$QM_ENV_FILE"

bindir=${QMIGRATE_PG_BINDIR:-}
if [[ -z $bindir ]]; then
    bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1 || true)
fi
for tool in initdb pg_ctl psql; do
    [[ -x $bindir/$tool ]] ||
        qm_die "no $tool in '${bindir:-/usr/lib/postgresql/*/bin}': install the Debian package 'postgresql' (or set QMIGRATE_PG_BINDIR)"
done

run_as=()
if [[ $(id -u) -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 ||
        qm_die "running as root but there is no 'postgres' system user: install the Debian package 'postgresql'"
    run_as=(runuser -u postgres --)
fi

tmp_root=${TMPDIR:-/tmp}
base=$(mktemp -d "$tmp_root/qmigrate-postgresql.XXXXXX")
printf 'DIR=%s\n' "$base" >"$QM_STATE_FILE"
chmod 755 "$base"
if ((${#run_as[@]})); then
    chown postgres: "$base"
    if ! "${run_as[@]}" test -w "$base"; then
        # $TMPDIR itself is not reachable for postgres (e.g. a private dir under /root): use /tmp.
        qm_remove_tempdir "$base"
        base=$(mktemp -d "/tmp/qmigrate-postgresql.XXXXXX")
        printf 'DIR=%s\n' "$base" >"$QM_STATE_FILE"
        chmod 755 "$base"
        chown postgres: "$base"
    fi
fi
data=$base/data
log=$base/server.log

qm_log "initdb in $data ($bindir)"
if ! "${run_as[@]}" "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >"$base/initdb.log" 2>&1; then
    qm_print_log "$base/initdb.log"
    qm_die "initdb failed"
fi

port=
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    try_port=$(qm_pick_port "$attempt")
    log_lines=$( (wc -l <"$log") 2>/dev/null || echo 0)
    qm_log "starting on 127.0.0.1:$try_port (attempt $attempt)"
    if "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t "$QM_TIMEOUT" \
        -o "-k '$base' -p $try_port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >"$base/pg_ctl.log" 2>&1; then
        port=$try_port
        break
    fi
    if tail -n +"$((log_lines + 1))" "$log" 2>/dev/null | grep -qi 'address already in use'; then
        qm_log "port $try_port is taken, trying another"
        continue
    fi
    cat "$base/pg_ctl.log" >&2
    qm_print_log "$log"
    qm_die "pg_ctl start failed (it waits up to ${QM_TIMEOUT}s for the server to accept connections)"
done
[[ -n $port ]] || qm_die "no free port found after 10 attempts"
printf 'DIR=%s\nPID=%s\nPORT=%s\nBINDIR=%s\n' "$base" "$(head -n 1 "$data/postmaster.pid")" "$port" "$bindir" \
    >"$QM_STATE_FILE"

user=qmigrate_test
database=qmigrate_test
password=$(qm_random_password)
if ! "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'" \
    -c "GRANT pg_signal_backend TO $user" \
    -c "CREATE DATABASE $database OWNER $user" >"$base/setup.log" 2>&1; then
    cat "$base/setup.log" >&2
    qm_print_log "$log"
    qm_die "could not create the test role and database"
fi
# The parameters are only published once the test role can log in over TCP with its password.
if ! PGPASSWORD=$password "$bindir/psql" -X -q -At -h 127.0.0.1 -p "$port" -U "$user" -d "$database" \
    -c 'SELECT 1' >"$base/check.log" 2>&1; then
    cat "$base/check.log" >&2
    qm_print_log "$log"
    qm_die "the test role cannot log in over TCP"
fi

qm_write_env "$QM_ENV_FILE" HOST=127.0.0.1 "PORT=$port" "USER=$user" "PASSWORD=$password" \
    "DATABASE=$database" "SOCKET=$base" "LOG=$log"
qm_log "ready: $user@127.0.0.1:$port/$database (socket dir $base)"
