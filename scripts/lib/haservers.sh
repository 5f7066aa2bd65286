# shellcheck shell=bash
# The production-shaped servers of the control plane's own HA, on loopback, for tests, the chaos
# benchmark and `./up.sh ha`: a 3-node RabbitMQ cluster (for quorum queues), 3 etcd members and
# 2 PostgreSQL 15 nodes managed by Patroni (automatic failover, synchronous replication).
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_ha_servers_start DIR          start (or reuse) everything under DIR, wait until ready,
#                                          export the settings and write them to DIR/env.sh
#   cloudbus_ha_servers_running DIR        succeed if every node under DIR runs and answers
#   cloudbus_ha_servers_stop DIR           stop everything under DIR (and nothing else), killed or
#                                          half-dead nodes included
#   cloudbus_ha_servers_status DIR         print each node and its role
#   cloudbus_ha_rabbit_kill DIR N          SIGKILL broker node N (1..3), as a crash
#   cloudbus_ha_rabbit_start DIR N         start node N again, wait until it has rejoined the cluster
#   cloudbus_ha_pg_primary DIR             print the index of the Patroni primary, non-zero if none
#   cloudbus_ha_pg_kill DIR N              SIGKILL Patroni and PostgreSQL of node N (1..2), as a
#                                          machine loss
#   cloudbus_ha_pg_start DIR N             start node N again, wait until it is the primary or the
#                                          synchronous replica (an old primary rejoins by pg_rewind)
#   cloudbus_ha_pg_wait_primary DIR SECS   wait until some node is a writable primary
# scripts/ha-servers.sh is the command-line front end of these functions.
#
# cloudbus_ha_servers_start exports, and writes to DIR/env.sh:
#   RabbitMq__Host RabbitMq__Port (node 1) RabbitMq__ClusterNodes (host:port of every node)
#   RabbitMq__ManagementPort (node 1) RabbitMq__ManagementPorts (every node) RabbitMq__Username
#   RabbitMq__PasswordFile RabbitMq__VirtualHost Postgres__ConnectionString (multi-host, primary only)
#   CLOUDBUS_HA_SERVERS_DIR
# The broker user, password and vhost are the ones scripts/lib/servers.sh creates; the database
# user cloudbus (scram-sha-256 over TCP, its password in DIR/postgres.password, exported as
# Postgres__PasswordFile) and the database cloudbus exist.
#
# Layout of DIR:
#   haservers.state   ports and password (internal, sourced by these functions)
#   env.sh            the exports above
#   epmd/             the cluster's own Erlang port mapper (epmd.log)
#   rabbit-home/      HOME of every broker node: the one Erlang cookie they share
#   rabbitN/          node N: rabbitmq.conf, definitions.json, mnesia/, log/, server.out, pid files
#   etcdN/            member N: data/, etcd.log
#   pgN/              node N: patroni.yml, data/, patroni.log (Patroni's and PostgreSQL's output),
#                     the unix socket
#
# Every process started here carries CLOUDBUS_HA_DIR=DIR and CLOUDBUS_HA_NODE=DIR/<node folder>
# in its environment, which children inherit (PostgreSQL backends, Erlang helpers): a node is
# killed or stopped by that mark, never by a process name, so nothing else on the machine is
# touched and nothing of a killed node is left behind.
#
# Every function returns non-zero on failure instead of exiting, so it works with and without
# `set -e` in the caller. Starting needs root: the servers run as the rabbitmq, etcd and postgres
# users. Run cloudbus_install_prerequisites first on a fresh machine.

_CLOUDBUS_HA_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib/servers.sh
source "$_CLOUDBUS_HA_LIB_DIR/servers.sh"

CLOUDBUS_HA_RABBIT_NODES=3
CLOUDBUS_HA_ETCD_MEMBERS=3
CLOUDBUS_HA_PG_NODES=2
# How long a start may wait. Forming the broker cluster takes ~40 s on a loaded 2-core machine.
CLOUDBUS_HA_START_TIMEOUT=${CLOUDBUS_HA_START_TIMEOUT:-240}

_cloudbus_ha_log() { printf '[ha-servers] %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------

# Runs FUNC DIR ARGS... with DIR's state loaded into CB_HA_* variables local to this call (the
# node arrays are indexed from 1, like the nodes).
_cloudbus_ha_with_state() { # DIR FUNC ARGS...
    local dir=$1 fn=$2
    shift 2
    local -a CB_HA_RMQ_PORT=() CB_HA_RMQ_DIST_PORT=() CB_HA_RMQ_MGMT_PORT=()
    local -a CB_HA_ETCD_CLIENT_PORT=() CB_HA_ETCD_PEER_PORT=() CB_HA_PG_PORT=() CB_HA_PG_REST_PORT=()
    local CB_HA_EPMD_PORT='' CB_HA_RMQ_PASSWORD='' CB_HA_TOKEN=''
    if [[ ! -d $dir ]] || ! dir=$(cd "$dir" && pwd -P); then
        _cloudbus_ha_log "no such folder: $dir"
        return 1
    fi
    if [[ ! -f $dir/haservers.state ]]; then
        _cloudbus_ha_log "$dir holds no HA servers (no haservers.state; start them first)"
        return 1
    fi
    # shellcheck disable=SC1091  # written by _cloudbus_ha_new_state at run time
    source "$dir/haservers.state" || return 1
    # psql (over TCP) finds the database password here: the nodes ask for scram-sha-256.
    local CB_PG_PASSFILE=$dir/pgpass
    "$fn" "$dir" "$@"
}

# Picks the ports and the password of a new set once; later starts reuse them.
_cloudbus_ha_new_state() { # DIR
    local dir=$1 i var
    local -a names=()
    {
        printf '# Written by scripts/lib/haservers.sh (internal state, not exported)\n'
        for var in RMQ_PORT RMQ_DIST_PORT RMQ_MGMT_PORT; do names+=("$var:$CLOUDBUS_HA_RABBIT_NODES"); done
        for var in ETCD_CLIENT_PORT ETCD_PEER_PORT; do names+=("$var:$CLOUDBUS_HA_ETCD_MEMBERS"); done
        for var in PG_PORT PG_REST_PORT; do names+=("$var:$CLOUDBUS_HA_PG_NODES"); done
        local entry port count
        for entry in "${names[@]}"; do
            var=${entry%%:*} count=${entry##*:}
            printf 'CB_HA_%s=(' "$var"
            for ((i = 1; i <= count; i++)); do
                cloudbus_free_port port || return 1
                printf '[%d]=%q ' "$i" "$port"
            done
            printf ')\n'
        done
        cloudbus_free_port port || return 1
        printf 'CB_HA_EPMD_PORT=%q\n' "$port"
        printf 'CB_HA_RMQ_PASSWORD=%q\n' "$(_cloudbus_random_password)"
        printf 'CB_HA_TOKEN=%q\n' "cloudbus-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    } >"$dir/haservers.state.tmp" || return 1
    chmod 600 "$dir/haservers.state.tmp" && mv -f "$dir/haservers.state.tmp" "$dir/haservers.state"
}

_cloudbus_ha_check_index() { # N MAX WHAT
    if [[ ! $1 =~ ^[1-9][0-9]*$ ]] || (($1 > $2)); then
        _cloudbus_ha_log "$3 must be a number from 1 to $2, not '$1'"
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Processes, found by the mark in their environment
# ---------------------------------------------------------------------------------------------

# Prints the live pids whose environment holds exactly ENTRY (NAME=VALUE).
_cloudbus_ha_pids_with() { # ENTRY
    local f pid
    # One grep over every process's environment: -z NUL-separated entries, -x the whole entry.
    while IFS= read -r f; do
        pid=${f#/proc/}
        pid=${pid%/environ}
        cloudbus_pid_alive "$pid" && printf '%s\n' "$pid"
    done < <(grep -laxzF -- "$1" /proc/[0-9]*/environ 2>/dev/null)
    return 0
}

_cloudbus_ha_node_pids() { _cloudbus_ha_pids_with "CLOUDBUS_HA_NODE=$1/$2"; } # DIR NODE

# Whether any process of NODE lives: one with its mark, or the one just spawned, which carries
# the mark only once setsid, setpriv and env have exec'd (a loaded machine takes a while; taking
# that moment for an exit launched a second node onto the first one's ports and pid file).
_cloudbus_ha_node_alive() { # DIR NODE
    local main
    [[ -n $(_cloudbus_ha_node_pids "$1" "$2") ]] && return 0
    main=$(cat "$1/$2/main.pid" 2>/dev/null) || return 1
    [[ $main =~ ^[0-9]+$ ]] && cloudbus_pid_alive "$main"
}

# Succeeds if PID is alive and carries the mark of NODE under DIR.
_cloudbus_ha_pid_of_node() { # PID DIR NODE
    [[ $1 =~ ^[0-9]+$ ]] && cloudbus_pid_alive "$1" &&
        grep -qaxzF -- "CLOUDBUS_HA_NODE=$2/$3" "/proc/$1/environ" 2>/dev/null
}

# The pid recorded in FILE if that process still is NODE's, else nothing (and non-zero).
_cloudbus_ha_main_pid() { # DIR NODE FILE
    local pid
    pid=$(cat "$1/$2/$3" 2>/dev/null) || return 1
    _cloudbus_ha_pid_of_node "$pid" "$1" "$2" || return 1
    printf '%s\n' "$pid"
}

# SIGKILLs every process of NODE at once, as the loss of its machine would.
_cloudbus_ha_kill_node() { # DIR NODE
    local -a pids=()
    mapfile -t pids < <(_cloudbus_ha_node_pids "$1" "$2")
    ((${#pids[@]} == 0)) && return 0
    kill -KILL "${pids[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 10)) pid alive
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "${pids[@]}"; do cloudbus_pid_alive "$pid" && alive=1; done
        ((alive)) || return 0
        sleep 0.1
    done
    _cloudbus_ha_log "processes of $2 survived SIGKILL: ${pids[*]}"
    return 1
}

# Starts COMMAND as USER in its own session (a Ctrl-C in the caller's terminal does not reach
# it) with NODE's mark, output to NODE/LOG, and records its pid in NODE/main.pid. Without job
# control in the calling shell, setsid, setpriv and env each exec in place, so $! is the
# command's own pid. The output never goes to the caller's stdout: a caller reading it to the
# end (a test running scripts/ha-servers.sh) would otherwise wait for the servers to exit.
_cloudbus_ha_spawn() { # DIR NODE USER LOG COMMAND...
    local dir=$1 node=$2 user=$3 log=$4
    shift 4
    _cloudbus_as_prefix "$user"
    (cd "$dir/$node" && exec setsid "${_CLOUDBUS_AS[@]}" env \
        "CLOUDBUS_HA_DIR=$dir" "CLOUDBUS_HA_NODE=$dir/$node" LANG=C.UTF-8 LC_ALL=C.UTF-8 "$@") \
        >"$dir/$node/$log" 2>&1 </dev/null &
    printf '%s\n' "$!" >"$dir/$node/main.pid"
    disown "$!" 2>/dev/null || true
}

# GET http://127.0.0.1:PORT/PATH; prints the HTTP status code (000 when nothing answers).
_cloudbus_ha_http_code() { # PORT PATH [CURL ARGS...]
    local port=$1 path=$2
    shift 2
    curl -sS -o /dev/null -w '%{http_code}' --max-time 3 "$@" "http://127.0.0.1:$port$path" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ cluster
# ---------------------------------------------------------------------------------------------

_cloudbus_ha_rabbit_name() { printf 'rabbit%s@localhost' "$1"; } # N

# Sets _CLOUDBUS_RENV to node N's environment (uses CB_HA_*).
_cloudbus_ha_rabbit_env() { # DIR N
    local dir=$1 n=$2
    local CB_RMQ_NODE CB_RMQ_PORT=${CB_HA_RMQ_PORT[$n]} CB_RMQ_DIST_PORT=${CB_HA_RMQ_DIST_PORT[$n]}
    local CB_EPMD_PORT=$CB_HA_EPMD_PORT
    CB_RMQ_NODE=$(_cloudbus_ha_rabbit_name "$n")
    _cloudbus_rabbit_node_env "$dir/rabbit$n" "$dir/rabbit-home"
    # The nodes use the epmd started by _cloudbus_ha_epmd_start: one a node started itself
    # would carry that node's mark and die with it, and the other nodes, registered there, could
    # no longer be found by a restarted node.
    _CLOUDBUS_RENV+=("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false")
}

_cloudbus_ha_epmd_start() { # DIR
    local dir=$1 pid deadline
    pid=$(_cloudbus_ha_main_pid "$dir" epmd main.pid) && return 0
    install -d -o rabbitmq -g rabbitmq -m 700 "$dir/epmd" || return 1
    _cloudbus_ha_spawn "$dir" epmd rabbitmq epmd.log \
        epmd -port "$CB_HA_EPMD_PORT" -address 127.0.0.1
    deadline=$((SECONDS + 10))
    until [[ -n $(_cloudbus_listener_pid "$CB_HA_EPMD_PORT") ]]; do
        if ! pid=$(_cloudbus_ha_main_pid "$dir" epmd main.pid) || ((SECONDS >= deadline)); then
            _cloudbus_ha_log "epmd did not start on 127.0.0.1:$CB_HA_EPMD_PORT"
            cloudbus_tail_log "$dir/epmd/epmd.log" 10
            return 1
        fi
        sleep 0.1
    done
}

# Writes the files every node shares: the Erlang cookie (written here once: nodes booting
# together would each create their own) and the definitions.
_cloudbus_ha_rabbit_prepare() { # DIR
    local dir=$1 home=$1/rabbit-home
    install -d -o rabbitmq -g rabbitmq -m 700 "$home" || return 1
    if [[ ! -s $home/.erlang.cookie ]]; then
        (umask 077 && head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F >"$home/.erlang.cookie") || return 1
        chown rabbitmq:rabbitmq "$home/.erlang.cookie" && chmod 400 "$home/.erlang.cookie" || return 1
    fi
}

# Writes node N's files and starts it, without waiting.
_cloudbus_ha_rabbit_launch() { # DIR N
    local dir=$1 n=$2 r=$1/rabbit$2 i
    mkdir -p "$r/mnesia" "$r/log" "$r/conf.d" || return 1
    : >"$r/rabbitmq-env.conf"
    printf '[rabbitmq_management].\n' >"$r/enabled_plugins"
    {
        printf '# Written by scripts/lib/haservers.sh: node %s of a throwaway cluster.\n' "$n"
        printf 'listeners.tcp.default = 127.0.0.1:%s\n' "${CB_HA_RMQ_PORT[$n]}"
        printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "${CB_HA_RMQ_MGMT_PORT[$n]}"
        printf 'load_definitions = %s\n' "$r/definitions.json"
        printf 'log.console = false\nlog.file.level = info\n'
        # Formed on first boot with no CLI calls (join_cluster by hand takes ~16 s a node); a
        # restarted node finds its peers from its own database.
        printf 'cluster_formation.peer_discovery_backend = classic_config\n'
        for ((i = 1; i <= CLOUDBUS_HA_RABBIT_NODES; i++)); do
            printf 'cluster_formation.classic_config.nodes.%d = %s\n' "$i" "$(_cloudbus_ha_rabbit_name "$i")"
        done
        # What production runs on three nodes: a node cut off from the majority pauses instead of
        # going on alone (quorum queues are safe either way; the metadata store is not).
        printf 'cluster_partition_handling = pause_minority\n'
    } >"$r/rabbitmq.conf"
    _cloudbus_rabbit_definitions "$r/definitions.json" "$CB_HA_RMQ_PASSWORD" || return 1
    # A pid file left by a killed node would be taken for the new one's.
    rm -f "$r/rabbit.pid"
    chown -R rabbitmq:rabbitmq "$r" || return 1
    _cloudbus_ha_rabbit_env "$dir" "$n"
    _cloudbus_ha_spawn "$dir" "rabbit$n" rabbitmq server.out \
        env "${_CLOUDBUS_RENV[@]}" "$CLOUDBUS_RABBITMQ_BIN_DEFAULT/rabbitmq-server"
}

# The Erlang VM of node N, if it runs.
_cloudbus_ha_rabbit_vm_pid() { _cloudbus_ha_main_pid "$1" "rabbit$2" rabbit.pid; } # DIR N

# GET on node N's management API as the cloudbus user; prints the body.
_cloudbus_ha_rabbit_api() { # N PATH
    curl -fsS --max-time 3 -u "cloudbus:$CB_HA_RMQ_PASSWORD" \
        "http://127.0.0.1:${CB_HA_RMQ_MGMT_PORT[$1]}/api$2" 2>/dev/null
}

# Prints the indexes of the nodes node N sees running, one a line (nothing if N does not answer).
_cloudbus_ha_rabbit_running_seen_by() { # N
    local names i
    names=$(_cloudbus_ha_rabbit_api "$1" '/nodes?columns=name,running' |
        jq -r '.[] | select(.running) | .name' 2>/dev/null) || return 0
    for ((i = 1; i <= CLOUDBUS_HA_RABBIT_NODES; i++)); do
        grep -qxF "$(_cloudbus_ha_rabbit_name "$i")" <<<"$names" && printf '%s\n' "$i"
    done
    return 0
}

# Succeeds when node N has booted (its management API answers the cloudbus user, who sees its
# vhost: the definitions are loaded) and is in the cluster with every node whose VM runs.
_cloudbus_ha_rabbit_joined() { # DIR N
    local dir=$1 n=$2 i seen expected=''
    _cloudbus_ha_rabbit_api "$n" /permissions/cloudbus/cloudbus >/dev/null || return 1
    for ((i = 1; i <= CLOUDBUS_HA_RABBIT_NODES; i++)); do
        _cloudbus_ha_rabbit_vm_pid "$dir" "$i" >/dev/null && expected+="$i"$'\n'
    done
    seen=$(_cloudbus_ha_rabbit_running_seen_by "$n")
    [[ $seen$'\n' == "$expected" ]]
}

_cloudbus_ha_rabbit_wait() { # DIR N DEADLINE(SECONDS)
    local dir=$1 n=$2 deadline=$3 node r=$1/rabbit$2 relaunches=0
    node=$(_cloudbus_ha_rabbit_name "$n")
    until _cloudbus_ha_rabbit_joined "$dir" "$n"; do
        if ! _cloudbus_ha_node_alive "$dir" "rabbit$n" && ((relaunches < 2 && SECONDS < deadline)); then
            # RabbitMQ 3.10 can fail a boot when a peer boots at the same moment (seen on
            # restarting a stopped cluster: "BOOT FAILED ... incompatible_feature_flags ...
            # badmap" while syncing feature flags with the booting peer). Booting again works.
            relaunches=$((relaunches + 1))
            _cloudbus_ha_log "RabbitMQ node $n ($node) exited while booting (see $r/log/$node.log);" \
                "starting it again ($relaunches)"
            _cloudbus_ha_rabbit_launch "$dir" "$n" || return 1
            continue
        fi
        if ! _cloudbus_ha_node_alive "$dir" "rabbit$n"; then
            _cloudbus_ha_log "RabbitMQ node $n ($node) exited while starting"
        elif ((SECONDS >= deadline)); then
            _cloudbus_ha_log "RabbitMQ node $n ($node) did not join the cluster in time;" \
                "it sees running: $(_cloudbus_ha_rabbit_running_seen_by "$n" | tr '\n' ' ')"
        else
            sleep 0.5
            continue
        fi
        cloudbus_tail_log "$r/server.out" 20
        cloudbus_tail_log "$r/log/$node.log"
        return 1
    done
}

_cloudbus_ha_rabbit_running() { # DIR N
    _cloudbus_ha_rabbit_vm_pid "$1" "$2" >/dev/null && _cloudbus_ha_rabbit_joined "$1" "$2"
}

# Starts node N unless some process of it is alive: a node still booting is left to join (the
# wait that follows reports one that never does).
_cloudbus_ha_rabbit_ensure_launched() { # DIR N
    [[ -n $(_cloudbus_ha_node_pids "$1" "rabbit$2") ]] && return 0
    _cloudbus_ha_rabbit_launch "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# etcd
# ---------------------------------------------------------------------------------------------

_cloudbus_ha_etcd_launch() { # DIR N
    local dir=$1 n=$2 e=$1/etcd$2 i cluster=''
    _cloudbus_ha_main_pid "$dir" "etcd$n" main.pid >/dev/null && return 0
    _cloudbus_ha_kill_node "$dir" "etcd$n" || return 1
    install -d -o etcd -g etcd -m 700 "$e" || return 1
    for ((i = 1; i <= CLOUDBUS_HA_ETCD_MEMBERS; i++)); do
        cluster+="${cluster:+,}etcd$i=http://127.0.0.1:${CB_HA_ETCD_PEER_PORT[$i]}"
    done
    # The --initial-* flags only matter on the first start; later starts read the data folder.
    _cloudbus_ha_spawn "$dir" "etcd$n" etcd etcd.log etcd --name "etcd$n" --data-dir "$e/data" \
        --listen-client-urls "http://127.0.0.1:${CB_HA_ETCD_CLIENT_PORT[$n]}" \
        --advertise-client-urls "http://127.0.0.1:${CB_HA_ETCD_CLIENT_PORT[$n]}" \
        --listen-peer-urls "http://127.0.0.1:${CB_HA_ETCD_PEER_PORT[$n]}" \
        --initial-advertise-peer-urls "http://127.0.0.1:${CB_HA_ETCD_PEER_PORT[$n]}" \
        --initial-cluster "$cluster" --initial-cluster-token "$CB_HA_TOKEN" \
        --initial-cluster-state new --heartbeat-interval 250 --election-timeout 2500 \
        --logger zap --log-outputs stderr
}

_cloudbus_ha_etcd_healthy() { # N
    [[ $(curl -fsS --max-time 3 "http://127.0.0.1:${CB_HA_ETCD_CLIENT_PORT[$1]}/health" 2>/dev/null |
        jq -r .health 2>/dev/null) == true ]]
}

_cloudbus_ha_etcd_wait() { # DIR DEADLINE
    local dir=$1 deadline=$2 n
    for ((n = 1; n <= CLOUDBUS_HA_ETCD_MEMBERS; n++)); do
        until _cloudbus_ha_etcd_healthy "$n"; do
            if ! _cloudbus_ha_node_alive "$dir" "etcd$n"; then
                _cloudbus_ha_log "etcd member $n exited while starting"
            elif ((SECONDS >= deadline)); then
                _cloudbus_ha_log "etcd member $n is not healthy in time"
            else
                sleep 0.2
                continue
            fi
            cloudbus_tail_log "$dir/etcd$n/etcd.log"
            return 1
        done
    done
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL under Patroni
# ---------------------------------------------------------------------------------------------

_cloudbus_ha_patroni_config() { # DIR N
    local dir=$1 n=$2 p=$1/pg$2 i hosts='' sockdir pg_password
    pg_password=$(<"$dir/postgres.password") || return 1
    for ((i = 1; i <= CLOUDBUS_HA_ETCD_MEMBERS; i++)); do
        hosts+="${hosts:+,}127.0.0.1:${CB_HA_ETCD_CLIENT_PORT[$i]}"
    done
    # The unix socket in the node's folder, unless the path is too long for a socket.
    sockdir=$p
    if ((${#sockdir} + 20 > 107)); then sockdir=''; fi
    cat >"$p/patroni.yml" <<EOF
# Written by scripts/lib/haservers.sh: node $n of a throwaway PostgreSQL cluster.
scope: cloudbus
namespace: /cloudbus/
name: pg$n
log:
  level: INFO
restapi:
  listen: 127.0.0.1:${CB_HA_PG_REST_PORT[$n]}
  connect_address: 127.0.0.1:${CB_HA_PG_REST_PORT[$n]}
etcd3:
  hosts: $hosts
watchdog:
  mode: off
bootstrap:
  # Read once, when the cluster is created; they live in etcd afterwards.
  # A primary that stops answering loses its leader key after ttl; loop_wait + 2 x retry_timeout
  # must stay below ttl.
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    # A commit returns once the synchronous replica has it, and only that replica may be
    # promoted: a committed fence or restart record survives a failover (asynchronous
    # replication could lose the last commits and so repeat an effect). With one node left,
    # Patroni lets the primary commit alone (synchronous_mode_strict is off).
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        # pg_rewind needs wal_log_hints (or data checksums) and full_page_writes (left on).
        wal_log_hints: 'on'
        max_connections: 300
        max_wal_senders: 10
        max_replication_slots: 10
  initdb:
    - encoding: UTF8
    - no-locale
    - no-sync
postgresql:
  listen: 127.0.0.1:${CB_HA_PG_PORT[$n]}
  connect_address: 127.0.0.1:${CB_HA_PG_PORT[$n]}
  data_dir: $p/data
  bin_dir: $CLOUDBUS_PG_BIN_DEFAULT
  pgpass: $p/pgpass
  authentication:
    # initdb names the superuser cloudbus, as scripts/lib/servers.sh does. Its password, and the
    # replicator's, are the services' (DIR/postgres.password); Patroni sets them at bootstrap.
    superuser:
      username: cloudbus
      password: '$pg_password'
    replication:
      username: replicator
      password: '$pg_password'
  # Without fast checkpoint, pg_basebackup waits for the next checkpoint (minutes).
  basebackup:
    - checkpoint: fast
    - no-sync
  # The socket is in the node's folder, which only postgres may enter; over TCP, passwords.
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 scram-sha-256
    - host replication all 127.0.0.1/32 scram-sha-256
  parameters:
    unix_socket_directories: '$sockdir'
    # A throwaway cluster: a killed process loses nothing the OS has not written yet, only
    # a machine crash would. synchronous_commit stays on: synchronous replication needs it.
    fsync: 'off'
EOF
    # It holds the passwords: the postgres user's alone.
    chown postgres:postgres "$p/patroni.yml" && chmod 600 "$p/patroni.yml"
}

# Starts node N's Patroni unless it runs, without waiting.
_cloudbus_ha_pg_launch() { # DIR N
    local dir=$1 n=$2 p=$1/pg$2
    _cloudbus_ha_main_pid "$dir" "pg$n" main.pid >/dev/null && return 0
    # Left from a crash of Patroni alone (its postmaster is not its child) or a half-dead node:
    # a postmaster or backend still attached to the old shared memory makes the new one refuse
    # to start.
    _cloudbus_ha_kill_node "$dir" "pg$n" || return 1
    install -d -o postgres -g postgres -m 700 "$p" || return 1
    _cloudbus_ha_patroni_config "$dir" "$n" || return 1
    _cloudbus_ha_spawn "$dir" "pg$n" postgres patroni.log patroni "$p/patroni.yml"
}

# The HTTP status of node N's Patroni REST API at PATH: /primary is 200 on the leader, /sync on
# the synchronous replica, /replica on a running replica, /health on a running PostgreSQL.
_cloudbus_ha_patroni_code() { _cloudbus_ha_http_code "${CB_HA_PG_REST_PORT[$1]}" "$2"; } # N PATH

_cloudbus_ha_pg_primary_index() {
    local n
    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do
        if [[ $(_cloudbus_ha_patroni_code "$n" /primary) == 200 ]]; then
            printf '%s\n' "$n"
            return 0
        fi
    done
    return 1
}

# Succeeds if node N accepts writes (Patroni holds the leader key a moment before PostgreSQL
# is promoted).
_cloudbus_ha_pg_writable() { # N
    [[ $(_cloudbus_psql "${CB_HA_PG_PORT[$1]}" -d postgres -tAc \
        "select not pg_is_in_recovery() and current_setting('transaction_read_only') = 'off'" \
        2>/dev/null) == t ]]
}

# Node N is where it belongs: the writable primary, or the synchronous replica, streaming.
_cloudbus_ha_pg_in_place() { # N
    if [[ $(_cloudbus_ha_patroni_code "$1" /primary) == 200 ]]; then
        _cloudbus_ha_pg_writable "$1"
    else
        [[ $(_cloudbus_ha_patroni_code "$1" /sync) == 200 ]]
    fi
}

_cloudbus_ha_pg_wait_in_place() { # DIR N DEADLINE
    local dir=$1 n=$2 deadline=$3
    until _cloudbus_ha_pg_in_place "$n"; do
        # Alive also while the spawned process has not yet exec'd into the marked Patroni (a
        # loaded machine): taken for exited, a just-started node failed its start (seen in CI).
        if ! _cloudbus_ha_node_alive "$dir" "pg$n"; then
            _cloudbus_ha_log "Patroni of PostgreSQL node $n exited"
        elif ((SECONDS >= deadline)); then
            _cloudbus_ha_log "PostgreSQL node $n is neither the primary nor the synchronous replica in time"
        else
            sleep 0.3
            continue
        fi
        cloudbus_tail_log "$dir/pg$n/patroni.log"
        return 1
    done
}

_cloudbus_ha_pg_create_database() { # DIR
    local dir=$1 n
    n=$(_cloudbus_ha_pg_primary_index) || { _cloudbus_ha_log "no PostgreSQL primary"; return 1; }
    [[ -n $(_cloudbus_psql "${CB_HA_PG_PORT[$n]}" -d postgres -tAc \
        "select 1 from pg_database where datname = 'cloudbus'" 2>/dev/null) ]] && return 0
    if ! _cloudbus_psql "${CB_HA_PG_PORT[$n]}" -d postgres -c 'create database cloudbus' \
        >"$dir/pg$n/psql.log" 2>&1; then
        _cloudbus_ha_log "cannot create database cloudbus on node $n"
        cloudbus_tail_log "$dir/pg$n/psql.log"
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Start, running, stop
# ---------------------------------------------------------------------------------------------

# The services' own accounts on the HA servers (what cloudbus_service_accounts does for the single
# servers): the broker users through node 1's management API (replicated to the cluster), the roles
# on the PostgreSQL primary (replicated to the standby).
_cloudbus_ha_service_accounts() { # DIR CLI_DLL
    local dir=$1 cli=$2 acc=$1/accounts n
    cloudbus_account_passwords "$acc" || return 1
    # The definitions (passwords included) and the admin login reach curl through pipes only.
    if ! dotnet "$cli" accounts broker --definitions --vhost cloudbus --password-dir "$acc" |
        curl -fsS --max-time 30 -K <(printf 'user = "cloudbus:%s"\n' "$CB_HA_RMQ_PASSWORD") -H 'content-type: application/json' \
            --data-binary @- "http://127.0.0.1:${CB_HA_RMQ_MGMT_PORT[1]}/api/definitions" >"$acc/broker-import.log" 2>&1; then
        _cloudbus_ha_log "the services' broker users could not be made: $(tail -n 3 "$acc/broker-import.log")"
        return 1
    fi
    n=$(_cloudbus_ha_pg_primary_index) || { _cloudbus_ha_log "no PostgreSQL primary for the services' roles"; return 1; }
    if ! cloudbus_account_roles_sql "$acc" | _cloudbus_psql "${CB_HA_PG_PORT[$n]}" -d cloudbus >"$acc/roles.log" 2>&1; then
        _cloudbus_ha_log "the services' database roles could not be made: $(tail -n 3 "$acc/roles.log")"
        return 1
    fi
    _cloudbus_ha_log "an account of its own for each service (broker users cloudbus-NAME, roles cloudbus_NAME; passwords in $acc)"
}

cloudbus_ha_service_accounts() { # DIR CLI_DLL
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_service_accounts DIR CLI_DLL}" _cloudbus_ha_service_accounts "${2:?usage: cloudbus_ha_service_accounts DIR CLI_DLL}"
}

_cloudbus_ha_write_env() { # DIR
    local dir=$1 f=$1/env.sh i nodes='' mgmt='' pg_hosts='' key rabbit_password
    key=$(cloudbus_signing_key "$dir") || return 1
    rabbit_password=$(cloudbus_secret_file "$dir" rabbitmq.password "$CB_HA_RMQ_PASSWORD") || return 1
    for ((i = 1; i <= CLOUDBUS_HA_RABBIT_NODES; i++)); do
        nodes+="${nodes:+,}127.0.0.1:${CB_HA_RMQ_PORT[$i]}"
        mgmt+="${mgmt:+,}${CB_HA_RMQ_MGMT_PORT[$i]}"
    done
    for ((i = 1; i <= CLOUDBUS_HA_PG_NODES; i++)); do
        pg_hosts+="${pg_hosts:+,}127.0.0.1:${CB_HA_PG_PORT[$i]}"
    done
    {
        printf '# Written by scripts/lib/haservers.sh: settings of the HA servers under %s\n' "$dir"
        printf 'export RabbitMq__Host=%q\n' 127.0.0.1
        printf 'export RabbitMq__Port=%q\n' "${CB_HA_RMQ_PORT[1]}"
        printf 'export RabbitMq__ClusterNodes=%q\n' "$nodes"
        printf 'export RabbitMq__ManagementPort=%q\n' "${CB_HA_RMQ_MGMT_PORT[1]}"
        printf 'export RabbitMq__ManagementPorts=%q\n' "$mgmt"
        printf 'export RabbitMq__Username=%q\n' cloudbus
        printf 'export RabbitMq__PasswordFile=%q\n' "$rabbit_password"
        printf 'export RabbitMq__VirtualHost=%q\n' cloudbus
        # Every node; the client finds the primary itself and rechecks each host every second.
        printf 'export Postgres__ConnectionString=%q\n' \
            "Host=$pg_hosts;Username=cloudbus;Database=cloudbus;Target Session Attributes=primary;Host Recheck Seconds=1;Pooling=true;Maximum Pool Size=50"
        printf 'export Postgres__PasswordFile=%q\n' "$dir/postgres.password"
        printf 'export Auth__SigningKeyFile=%q\n' "$key"
        printf 'export CLOUDBUS_HA_SERVERS_DIR=%q\n' "$dir"
    } >"$f.tmp" && chmod 600 "$f.tmp" && mv -f "$f.tmp" "$f"
}

_cloudbus_ha_start() { # DIR
    local dir=$1 t0 deadline n
    t0=$(_cloudbus_now)
    deadline=$((SECONDS + CLOUDBUS_HA_START_TIMEOUT))

    # Nodes initialised before the servers asked for passwords have roles without one.
    if [[ -d $dir/pg1/data && ! -s $dir/postgres.password ]]; then
        _cloudbus_ha_log "$dir holds PostgreSQL nodes made before they asked for passwords: stop the HA servers, remove $dir and start again"
        return 1
    fi
    _cloudbus_pg_password "$dir" || return 1

    # Everything is launched first and awaited afterwards: the broker cluster, the slowest part,
    # forms while etcd and Patroni start.
    _cloudbus_ha_rabbit_prepare "$dir" || return 1
    # The nodes' epmd: if it died, running nodes are registered nowhere and a restarted node
    # could not find them; restart those nodes as well.
    if ! _cloudbus_ha_main_pid "$dir" epmd main.pid >/dev/null; then
        for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do _cloudbus_ha_kill_node "$dir" "rabbit$n"; done
        _cloudbus_ha_kill_node "$dir" epmd
    fi
    _cloudbus_ha_epmd_start "$dir" || return 1
    for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do
        _cloudbus_ha_rabbit_ensure_launched "$dir" "$n" || return 1
    done
    for ((n = 1; n <= CLOUDBUS_HA_ETCD_MEMBERS; n++)); do
        _cloudbus_ha_etcd_launch "$dir" "$n" || return 1
    done
    # Patroni waits for etcd by itself, but a Patroni started before etcd has a leader spends its
    # first retry_timeout failing: wait (~1 s).
    _cloudbus_ha_etcd_wait "$dir" "$deadline" || return 1
    _cloudbus_ha_log "etcd: ${CLOUDBUS_HA_ETCD_MEMBERS} members healthy ($(_cloudbus_elapsed "$t0") s)"
    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do
        _cloudbus_ha_pg_launch "$dir" "$n" || return 1
    done

    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do
        _cloudbus_ha_pg_wait_in_place "$dir" "$n" "$deadline" || return 1
    done
    _cloudbus_ha_pg_create_database "$dir" || return 1
    _cloudbus_ha_log "PostgreSQL: primary node $(_cloudbus_ha_pg_primary_index), synchronous replica streaming ($(_cloudbus_elapsed "$t0") s)"
    # Quorum queues get a member on each running node when declared: wait for all three.
    for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do
        _cloudbus_ha_rabbit_wait "$dir" "$n" "$deadline" || return 1
    done
    _cloudbus_ha_log "RabbitMQ: ${CLOUDBUS_HA_RABBIT_NODES} nodes running in one cluster ($(_cloudbus_elapsed "$t0") s)"

    _cloudbus_ha_write_env "$dir" || return 1
    _cloudbus_ha_log "HA servers ready in $(_cloudbus_elapsed "$t0") s; settings in $dir/env.sh"
}

cloudbus_ha_servers_start() { # DIR
    local dir=${1:?usage: cloudbus_ha_servers_start DIR} u
    if [[ $EUID -ne 0 ]]; then
        _cloudbus_ha_log "cloudbus_ha_servers_start must run as root (the servers run as rabbitmq, etcd and postgres)"
        return 1
    fi
    for u in patroni etcd epmd jq curl; do
        if ! command -v "$u" >/dev/null 2>&1; then
            _cloudbus_ha_log "$u is not installed (run cloudbus_install_prerequisites)"
            return 1
        fi
    done
    if ! mkdir -p "$dir" || ! dir=$(cd "$dir" && pwd -P); then
        _cloudbus_ha_log "cannot create $dir"
        return 1
    fi
    # The servers run as other users: they must be able to reach the folder.
    chmod 755 "$dir" || return 1
    for u in rabbitmq etcd postgres; do
        if ! id "$u" >/dev/null 2>&1; then
            _cloudbus_ha_log "user $u does not exist (run cloudbus_install_prerequisites)"
            return 1
        fi
        _cloudbus_as_prefix "$u"
        if ! "${_CLOUDBUS_AS[@]}" test -x "$dir"; then
            _cloudbus_ha_log "user $u cannot reach $dir (a parent folder is not world-executable); use another folder"
            return 1
        fi
    done
    if [[ ! -f $dir/haservers.state ]]; then
        _cloudbus_ha_new_state "$dir" || return 1
    fi
    _cloudbus_ha_with_state "$dir" _cloudbus_ha_start || return 1
    # shellcheck disable=SC1091  # written by _cloudbus_ha_write_env
    source "$dir/env.sh"
}

_cloudbus_ha_running() { # DIR
    local dir=$1 n
    [[ -f $dir/env.sh ]] || return 1
    for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do _cloudbus_ha_rabbit_running "$dir" "$n" || return 1; done
    for ((n = 1; n <= CLOUDBUS_HA_ETCD_MEMBERS; n++)); do _cloudbus_ha_etcd_healthy "$n" || return 1; done
    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do _cloudbus_ha_pg_in_place "$n" || return 1; done
}

cloudbus_ha_servers_running() { # DIR
    [[ -f ${1:?usage: cloudbus_ha_servers_running DIR}/haservers.state ]] || return 1
    _cloudbus_ha_with_state "$1" _cloudbus_ha_running 2>/dev/null
}

_cloudbus_ha_stop() { # DIR
    local dir=$1 n pid
    local -a main=()
    # 1. Patroni (stops its PostgreSQL) and the broker VMs, gracefully and together. A broker
    #    node takes SIGTERM as `rabbitmqctl stop`, without the seconds a CLI call costs.
    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do
        pid=$(_cloudbus_ha_main_pid "$dir" "pg$n" main.pid) && main+=("$pid")
    done
    for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do
        pid=$(_cloudbus_ha_rabbit_vm_pid "$dir" "$n") && main+=("$pid")
    done
    cloudbus_kill_pids 40 "${main[@]}"
    # 2. etcd, once no Patroni needs it to give up its leader key. One member at a time: a leader
    #    hands its leadership to a live member before it exits, and waits for that in vain
    #    (until killed) when all stop together.
    for ((n = 1; n <= CLOUDBUS_HA_ETCD_MEMBERS; n++)); do
        pid=$(_cloudbus_ha_main_pid "$dir" "etcd$n" main.pid) && cloudbus_kill_pids 10 "$pid"
    done
    # 3. Whatever is left under DIR: the port mapper, killed nodes' orphans, wrappers, a stuck node.
    local -a rest=()
    mapfile -t rest < <(_cloudbus_ha_pids_with "CLOUDBUS_HA_DIR=$dir")
    cloudbus_kill_pids 5 "${rest[@]}"
    mapfile -t rest < <(_cloudbus_ha_pids_with "CLOUDBUS_HA_DIR=$dir")
    if ((${#rest[@]} > 0)); then
        _cloudbus_ha_log "processes under $dir survived SIGKILL: ${rest[*]}"
        return 1
    fi
    _cloudbus_ha_log "HA servers under $dir stopped"
}

cloudbus_ha_servers_stop() { # DIR
    local dir=${1:?usage: cloudbus_ha_servers_stop DIR}
    [[ -f $dir/haservers.state ]] || return 0
    _cloudbus_ha_with_state "$dir" _cloudbus_ha_stop
}

# ---------------------------------------------------------------------------------------------
# Faults and repairs
# ---------------------------------------------------------------------------------------------

_cloudbus_ha_rabbit_kill() { # DIR N
    _cloudbus_ha_kill_node "$1" "rabbit$2" || return 1
    _cloudbus_ha_log "RabbitMQ node $2 killed (SIGKILL)"
}

cloudbus_ha_rabbit_kill() { # DIR N
    _cloudbus_ha_check_index "${2:-}" "$CLOUDBUS_HA_RABBIT_NODES" "the RabbitMQ node" || return 1
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_rabbit_kill DIR N}" _cloudbus_ha_rabbit_kill "$2"
}

_cloudbus_ha_rabbit_start() { # DIR N
    local dir=$1 n=$2 t0
    t0=$(_cloudbus_now)
    _cloudbus_ha_epmd_start "$dir" || return 1
    _cloudbus_ha_rabbit_ensure_launched "$dir" "$n" || return 1
    _cloudbus_ha_rabbit_wait "$dir" "$n" $((SECONDS + CLOUDBUS_HA_START_TIMEOUT)) || return 1
    _cloudbus_ha_log "RabbitMQ node $n is in the cluster ($(_cloudbus_elapsed "$t0") s)"
}

cloudbus_ha_rabbit_start() { # DIR N
    _cloudbus_ha_check_index "${2:-}" "$CLOUDBUS_HA_RABBIT_NODES" "the RabbitMQ node" || return 1
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_rabbit_start DIR N}" _cloudbus_ha_rabbit_start "$2"
}

_cloudbus_ha_pg_primary() { # DIR
    _cloudbus_ha_pg_primary_index
}

cloudbus_ha_pg_primary() { # DIR
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_pg_primary DIR}" _cloudbus_ha_pg_primary
}

_cloudbus_ha_pg_kill() { # DIR N
    _cloudbus_ha_kill_node "$1" "pg$2" || return 1
    _cloudbus_ha_log "PostgreSQL node $2 killed (Patroni and PostgreSQL, SIGKILL)"
}

cloudbus_ha_pg_kill() { # DIR N
    _cloudbus_ha_check_index "${2:-}" "$CLOUDBUS_HA_PG_NODES" "the PostgreSQL node" || return 1
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_pg_kill DIR N}" _cloudbus_ha_pg_kill "$2"
}

_cloudbus_ha_pg_start() { # DIR N
    local dir=$1 n=$2 t0
    t0=$(_cloudbus_now)
    _cloudbus_ha_pg_launch "$dir" "$n" || return 1
    _cloudbus_ha_pg_wait_in_place "$dir" "$n" $((SECONDS + CLOUDBUS_HA_START_TIMEOUT)) || return 1
    _cloudbus_ha_log "PostgreSQL node $n is the $(_cloudbus_ha_pg_role "$n") ($(_cloudbus_elapsed "$t0") s)"
}

cloudbus_ha_pg_start() { # DIR N
    _cloudbus_ha_check_index "${2:-}" "$CLOUDBUS_HA_PG_NODES" "the PostgreSQL node" || return 1
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_pg_start DIR N}" _cloudbus_ha_pg_start "$2"
}

_cloudbus_ha_pg_wait_primary() { # DIR SECS
    local deadline=$((SECONDS + $2)) n
    while true; do
        if n=$(_cloudbus_ha_pg_primary_index) && _cloudbus_ha_pg_writable "$n"; then
            printf '%s\n' "$n"
            return 0
        fi
        if ((SECONDS >= deadline)); then
            _cloudbus_ha_log "no writable PostgreSQL primary after $2 s"
            return 1
        fi
        sleep 0.2
    done
}

cloudbus_ha_pg_wait_primary() { # DIR SECS
    if [[ ! ${2:-} =~ ^[0-9]+$ ]]; then
        _cloudbus_ha_log "usage: cloudbus_ha_pg_wait_primary DIR SECONDS"
        return 1
    fi
    _cloudbus_ha_with_state "$1" _cloudbus_ha_pg_wait_primary "$2"
}

# ---------------------------------------------------------------------------------------------
# Status
# ---------------------------------------------------------------------------------------------

# primary, synchronous replica, replica, starting, ... or down.
_cloudbus_ha_pg_role() { # N
    local status role state
    status=$(curl -fsS --max-time 3 "http://127.0.0.1:${CB_HA_PG_REST_PORT[$1]}/patroni" 2>/dev/null) ||
        { printf 'down\n'; return 0; }
    role=$(jq -r '.role // "unknown"' <<<"$status" 2>/dev/null) || role=unknown
    state=$(jq -r '.state // "unknown"' <<<"$status" 2>/dev/null) || state=unknown
    [[ $role == master ]] && role=primary
    [[ $(jq -r '.sync_standby // false' <<<"$status" 2>/dev/null) == true ]] && role="synchronous $role"
    if [[ $state == running ]]; then printf '%s\n' "$role"; else printf '%s (%s)\n' "$role" "$state"; fi
}

_cloudbus_ha_status() { # DIR
    local dir=$1 n seen='' i state leader status
    for ((i = 1; i <= CLOUDBUS_HA_RABBIT_NODES; i++)); do
        [[ -n $seen ]] || seen=$(_cloudbus_ha_rabbit_running_seen_by "$i")
    done
    for ((n = 1; n <= CLOUDBUS_HA_RABBIT_NODES; n++)); do
        if grep -qx "$n" <<<"$seen"; then
            state=running
        elif _cloudbus_ha_rabbit_vm_pid "$dir" "$n" >/dev/null; then
            state='starting (not in the cluster)'
        else
            state=down
        fi
        printf 'rabbitmq  node %d  %-18s amqp 127.0.0.1:%-6s management :%-6s %s\n' "$n" \
            "$(_cloudbus_ha_rabbit_name "$n")" "${CB_HA_RMQ_PORT[$n]}" "${CB_HA_RMQ_MGMT_PORT[$n]}" "$state"
    done
    for ((n = 1; n <= CLOUDBUS_HA_ETCD_MEMBERS; n++)); do
        state=down
        if status=$(curl -fsS --max-time 3 -X POST -d '{}' \
            "http://127.0.0.1:${CB_HA_ETCD_CLIENT_PORT[$n]}/v3/maintenance/status" 2>/dev/null); then
            leader=$(jq -r 'if .leader == .header.member_id then "leader" else "follower" end' <<<"$status" 2>/dev/null) ||
                leader=unknown
            state=$leader
            _cloudbus_ha_etcd_healthy "$n" || state="$leader (unhealthy)"
        fi
        printf 'etcd      member %d  client 127.0.0.1:%-6s %s\n' "$n" "${CB_HA_ETCD_CLIENT_PORT[$n]}" "$state"
    done
    for ((n = 1; n <= CLOUDBUS_HA_PG_NODES; n++)); do
        printf 'postgres  node %d  127.0.0.1:%-6s patroni :%-6s %s\n' "$n" \
            "${CB_HA_PG_PORT[$n]}" "${CB_HA_PG_REST_PORT[$n]}" "$(_cloudbus_ha_pg_role "$n")"
    done
}

cloudbus_ha_servers_status() { # DIR
    _cloudbus_ha_with_state "${1:?usage: cloudbus_ha_servers_status DIR}" _cloudbus_ha_status
}
