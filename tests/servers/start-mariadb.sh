#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts a throwaway MariaDB server for the test suite (CTest fixture "mariadb", test server_mariadb_start)
# and writes its connection parameters to STATE_DIR/mariadb.env.
#
# Usage: start-mariadb.sh STATE_DIR        (STATE_DIR = <build>/tests/servers)
#
# - `--no-defaults` everywhere: the machine's /etc/mysql configuration (and any system server) is ignored.
# - The data directory, socket, pid file and logs live in a fresh mktemp directory under ${TMPDIR:-/tmp}.
# - As root, mariadbd must be told `--user=root` (it refuses to run as root otherwise); the initial
#   administrator is the invoking OS user through unix_socket authentication, used only by this script
#   over the socket to create the test user.
# - The server listens on 127.0.0.1 only, on a random port in 20000-32767; if the bind fails because the
#   port is taken, another port is tried. It runs in its own session (setsid) with every standard stream
#   redirected, so CTest does not wait for it when this script ends.
# - Test user qmigrate_test (random password per run) exists for '127.0.0.1' (TCP, so the drivers'
#   password path is exercised) and 'localhost' (the socket), with all privileges (tests create databases);
#   the test database is qmigrate_test. Redo-log flushing is relaxed: the data is thrown away anyway.
# - A state file left by an earlier run that never reached its stop step is cleaned up first.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init mariadb "${1:-}"

if [[ -f $QM_STATE_FILE ]]; then
    qm_log "cleaning up after an earlier run"
    "$(dirname "${BASH_SOURCE[0]}")/stop-mariadb.sh" "$QM_STATE_DIR" || true
fi
rm -f "$QM_ENV_FILE"

packages="'mariadb-server' and 'mariadb-client'"
mariadbd=$(qm_find_tool "$packages" mariadbd mysqld)
install_db=$(qm_find_tool "$packages" mariadb-install-db mysql_install_db)
client=$(qm_find_tool "$packages" mariadb mysql)
admin=$(qm_find_tool "$packages" mariadb-admin mysqladmin)

os_user=$(id -un)
user_opt=()
if [[ $(id -u) -eq 0 ]]; then
    user_opt=(--user=root)
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/qmigrate-mariadb.XXXXXX")
printf 'DIR=%s\n' "$base" >"$QM_STATE_FILE"
chmod 755 "$base"
data=$base/data
socket=$base/mysqld.sock
pidfile=$base/mariadbd.pid
log=$base/server.log

qm_log "mariadb-install-db in $data"
if ! "$install_db" --no-defaults --datadir="$data" "${user_opt[@]}" --auth-root-authentication-method=socket \
    --auth-root-socket-user="$os_user" --skip-test-db >"$base/install.log" 2>&1; then
    qm_print_log "$base/install.log"
    qm_die "mariadb-install-db failed"
fi

admin_sql() { "$client" --no-defaults -S "$socket" -u "$os_user" "$@"; }

port=
pid=
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    try_port=$(qm_pick_port "$attempt")
    log_lines=$( (wc -l <"$log") 2>/dev/null || echo 0)
    qm_log "starting on 127.0.0.1:$try_port (attempt $attempt)"
    rm -f "$socket" "$pidfile"
    setsid "$mariadbd" --no-defaults --datadir="$data" --socket="$socket" --port="$try_port" \
        --bind-address=127.0.0.1 --pid-file="$pidfile" --log-error="$log" "${user_opt[@]}" \
        --skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=64M \
        </dev/null >>"$base/stdout.log" 2>&1 &
    try_pid=$!
    deadline=$((SECONDS + QM_TIMEOUT))
    ready=
    while ((SECONDS < deadline)); do
        if [[ -S $socket ]] && "$admin" --no-defaults -S "$socket" -u "$os_user" ping >/dev/null 2>&1; then
            ready=1
            break
        fi
        kill -0 "$try_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -n $ready ]]; then
        port=$try_port
        pid=$(cat "$pidfile" 2>/dev/null || echo "$try_pid")
        break
    fi
    if kill -0 "$try_pid" 2>/dev/null; then
        kill -KILL "$try_pid" 2>/dev/null || true
        qm_wait_pid_gone "$try_pid" 10 || true
        qm_print_log "$log"
        qm_die "the server did not accept connections within ${QM_TIMEOUT}s"
    fi
    if tail -n +"$((log_lines + 1))" "$log" 2>/dev/null | grep -qi 'address already in use'; then
        qm_log "port $try_port is taken, trying another"
        continue
    fi
    qm_print_log "$log"
    qm_die "the server exited while starting"
done
[[ -n $port ]] || qm_die "no free port found after 10 attempts"
printf 'DIR=%s\nPID=%s\nPORT=%s\n' "$base" "$pid" "$port" >"$QM_STATE_FILE"

user=qmigrate_test
database=qmigrate_test
password=$(qm_random_password)
if ! admin_sql -e "CREATE DATABASE $database;
    CREATE USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
    CREATE USER '$user'@'localhost' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';" >"$base/setup.log" 2>&1; then
    cat "$base/setup.log" >&2
    qm_print_log "$log"
    qm_die "could not create the test user and database"
fi
# The parameters are only published once the test user can log in over TCP with its password.
if ! MYSQL_PWD=$password "$client" --no-defaults --protocol=TCP -h 127.0.0.1 -P "$port" -u "$user" \
    -D "$database" -e 'SELECT 1' >"$base/check.log" 2>&1; then
    cat "$base/check.log" >&2
    qm_print_log "$log"
    qm_die "the test user cannot log in over TCP"
fi

qm_write_env "$QM_ENV_FILE" HOST=127.0.0.1 "PORT=$port" "USER=$user" "PASSWORD=$password" \
    "DATABASE=$database" "SOCKET=$socket" "LOG=$log"
qm_log "ready: $user@127.0.0.1:$port/$database (socket $socket)"
