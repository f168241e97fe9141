#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts a throwaway 3-node MariaDB Galera cluster on loopback for the test suite (CTest fixture "galera",
# test server_galera_start) and writes each node's connection parameters to STATE_DIR/galeraN.env
# (N = 1, 2, 3; the same keys as mariadb.env, read by TestServers::readEnvFile).
#
# Usage: start-galera.sh STATE_DIR        (STATE_DIR = <build>/tests/servers)
#
# - Every node runs mariadbd as the `mysql` user: as root, a joiner's rsync SST daemon drops to `nobody`
#   and cannot write the data directory. The temp directory is owned by mysql for that reason.
# - Node 1 is initialised and bootstraps the cluster (--wsrep-new-cluster); nodes 2 and 3 start with an
#   empty data directory and receive a copy (rsync SST); they are started together.
# - Each node takes four random free ports in 20000-32767 (client, group communication, IST, SST); a node
#   whose bind fails because a port was taken meanwhile is started again on new ports.
# - Ready when every node says wsrep_local_state_comment = Synced and wsrep_cluster_size = 3; the env files
#   are written last. The seconds it took are printed ("ready in N s").
# - Test user qmigrate_test (random password) with all privileges for 127.0.0.1 and localhost, created on
#   node 1 before the others join, so every node has it. The test database is qmigrate_test.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qm_init galera "${1:-}"
QM_TIMEOUT=${QMIGRATE_SERVER_TIMEOUT:-120}
started_at=$SECONDS

if [[ -f $QM_STATE_FILE ]]; then
    qm_log "cleaning up after an earlier run"
    "$(dirname "${BASH_SOURCE[0]}")/stop-galera.sh" "$QM_STATE_DIR" || true
fi
rm -f "$QM_STATE_DIR"/galera[123].env

packages="'mariadb-server', 'mariadb-client', 'galera-4' and 'rsync'"
mariadbd=$(qm_find_tool "$packages" mariadbd mysqld)
install_db=$(qm_find_tool "$packages" mariadb-install-db mysql_install_db)
client=$(qm_find_tool "$packages" mariadb mysql)
qm_find_tool "$packages" rsync >/dev/null
provider=/usr/lib/galera/libgalera_smm.so
[[ -f $provider ]] || qm_die "$provider is missing: install the Debian package 'galera-4'"
id mysql >/dev/null 2>&1 || qm_die "no 'mysql' system user: install the Debian package 'mariadb-server'"

os_user=$(id -un)
run_as=()
if [[ $(id -u) -eq 0 ]]; then
    run_as=(runuser -u mysql --)
elif [[ $os_user != mysql ]]; then
    qm_die "the nodes must run as the 'mysql' user: run this script as root or as mysql"
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/qmigrate-galera.XXXXXX")
printf 'DIR=%s\n' "$base" >"$QM_STATE_FILE"
chmod 755 "$base"
[[ $(id -u) -eq 0 ]] && chown mysql:mysql "$base"

declare -a port gport iport sport pid
for n in 1 2 3; do
    mkdir -p "$base/node$n"
    [[ $n -eq 1 ]] || mkdir -p "$base/node$n/data"
done
[[ $(id -u) -eq 0 ]] && chown -R mysql:mysql "$base"

# Four distinct ports per node, none shared with another node.
taken=" "
pick_ports() {
    local n=$1 attempt=$2 p kind
    for kind in port gport iport sport; do
        while :; do
            p=$(qm_pick_port "$attempt")
            [[ $taken == *" $p "* ]] || break
            attempt=2
        done
        taken+="$p "
        eval "$kind[$n]=$p"
        attempt=2
    done
}
for n in 1 2 3; do
    pick_ports "$n" "$n"
done

node_sql() {
    local n=$1
    shift
    "$client" --no-defaults -S "$base/node$n/mysqld.sock" -u "$os_user" "$@"
}
node_status() { node_sql "$1" -N -B -e "SHOW STATUS LIKE '$2'" 2>/dev/null | cut -f2; }

print_all_logs() {
    for n in 1 2 3; do
        qm_print_log "$base/node$n/server.log"
        qm_print_log "$base/node$n/stdout.log"
    done
}
fail() {
    print_all_logs
    "$(dirname "${BASH_SOURCE[0]}")/stop-galera.sh" "$QM_STATE_DIR" >/dev/null 2>&1 || true
    qm_die "$*"
}

write_state() {
    printf 'DIR=%s\nPID1=%s\nPID2=%s\nPID3=%s\n' "$base" "${pid[1]:-}" "${pid[2]:-}" "${pid[3]:-}" \
        >"$QM_STATE_FILE"
}

# launch_node N [--wsrep-new-cluster]: starts node N in its own session (try_pid[N] is the launcher).
declare -a try_pid log_lines
launch_node() {
    local n=$1 bootstrap=${2:-}
    local dir=$base/node$n
    local address="gcomm://127.0.0.1:${gport[1]},127.0.0.1:${gport[2]},127.0.0.1:${gport[3]}"
    [[ -n $bootstrap ]] && address="gcomm://"
    log_lines[n]=$( (wc -l <"$dir/server.log") 2>/dev/null || echo 0)
    qm_log "node $n: starting on 127.0.0.1:${port[$n]} (group ${gport[$n]}, IST ${iport[$n]}, SST ${sport[$n]})"
    rm -f "$dir/mysqld.sock" "$dir/mariadbd.pid"
    # shellcheck disable=SC2086
    setsid "${run_as[@]}" "$mariadbd" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" \
        --port="${port[$n]}" --bind-address=127.0.0.1 --pid-file="$dir/mariadbd.pid" \
        --log-error="$dir/server.log" --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
        --innodb-buffer-pool-size=64M --binlog-format=ROW --default-storage-engine=InnoDB \
        --innodb-autoinc-lock-mode=2 --wsrep-on=ON --wsrep-provider="$provider" \
        --wsrep-cluster-name=qmigrate_test --wsrep-cluster-address="$address" \
        --wsrep-provider-options="base_host=127.0.0.1;base_port=${gport[$n]};gmcast.listen_addr=tcp://127.0.0.1:${gport[$n]};ist.recv_addr=127.0.0.1:${iport[$n]};gcache.size=64M" \
        --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${sport[$n]}" \
        --wsrep-node-address=127.0.0.1 --wsrep-node-name="node$n" $bootstrap \
        </dev/null >>"$dir/stdout.log" 2>&1 &
    try_pid[n]=$!
}

# wait_node N WANT: waits until node N is Synced in a cluster of WANT nodes. Returns 2 when the node
# exited because a port was taken meanwhile (new ports are picked); fails the script otherwise.
wait_node() {
    local n=$1 want=$2
    local dir=$base/node$n deadline=$((SECONDS + QM_TIMEOUT)) state= size=
    while ((SECONDS < deadline)); do
        if [[ -S $dir/mysqld.sock ]]; then
            state=$(node_status "$n" wsrep_local_state_comment)
            size=$(node_status "$n" wsrep_cluster_size)
            if [[ $state == Synced && $size == "$want" ]]; then
                pid[n]=$(cat "$dir/mariadbd.pid" 2>/dev/null || echo "${try_pid[$n]}")
                write_state
                return 0
            fi
        fi
        kill -0 "${try_pid[$n]}" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "${try_pid[$n]}" 2>/dev/null; then
        fail "node $n was not Synced in a cluster of $want within ${QM_TIMEOUT}s (state '$state', size '$size')"
    fi
    if tail -n +"$((log_lines[n] + 1))" "$dir/server.log" 2>/dev/null | grep -qi 'address already in use'; then
        qm_log "node $n: a port was taken meanwhile, trying others"
        pick_ports "$n" 2
        return 2
    fi
    fail "node $n exited while starting"
}

# start_nodes WANT N... [-- BOOTSTRAP]: launches the nodes together and waits for each.
start_nodes() {
    local want=$1 bootstrap=$2 n attempt status
    shift 2
    for n in "$@"; do
        launch_node "$n" "$bootstrap"
    done
    for n in "$@"; do
        for attempt in 1 2 3 4 5; do
            status=0
            wait_node "$n" "$want" || status=$?
            ((status == 0)) && break
            launch_node "$n" "$bootstrap"
        done
        ((status == 0)) || fail "node $n: no free ports found after 5 attempts"
    done
}

qm_log "mariadb-install-db for node 1 in $base/node1/data"
if ! "$install_db" --no-defaults --datadir="$base/node1/data" --user=mysql \
    --auth-root-authentication-method=socket --auth-root-socket-user="$os_user" --skip-test-db \
    >"$base/install.log" 2>&1; then
    qm_print_log "$base/install.log"
    fail "mariadb-install-db failed"
fi
[[ $(id -u) -eq 0 ]] && chown -R mysql:mysql "$base/node1"

start_nodes 1 --wsrep-new-cluster 1

user=qmigrate_test
database=qmigrate_test
password=$(qm_random_password)
if ! node_sql 1 -e "CREATE DATABASE $database;
    CREATE USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
    CREATE USER '$user'@'localhost' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';" >"$base/setup.log" 2>&1; then
    cat "$base/setup.log" >&2
    fail "could not create the test user and database on node 1"
fi

# Both join at once: the second waits for a donor and takes its copy from whichever is ready first.
start_nodes 3 "" 2 3

for n in 1 2 3; do
    if ! MYSQL_PWD=$password "$client" --no-defaults --protocol=TCP -h 127.0.0.1 -P "${port[$n]}" -u "$user" \
        -D "$database" -e 'SELECT 1' >"$base/check.log" 2>&1; then
        cat "$base/check.log" >&2
        fail "the test user cannot log in to node $n over TCP"
    fi
done
for n in 1 2 3; do
    qm_write_env "$QM_STATE_DIR/galera$n.env" HOST=127.0.0.1 "PORT=${port[$n]}" "USER=$user" \
        "PASSWORD=$password" "DATABASE=$database" "SOCKET=$base/node$n/mysqld.sock" \
        "LOG=$base/node$n/server.log" "NODE=$n"
done
qm_log "ready in $((SECONDS - started_at)) s: nodes on 127.0.0.1:${port[1]}, ${port[2]}, ${port[3]} ($base)"
