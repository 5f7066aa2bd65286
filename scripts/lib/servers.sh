# shellcheck shell=bash
# Private PostgreSQL 15 and RabbitMQ servers for tests and local runs.
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_install_prerequisites      install missing Debian packages (one apt-get update at most)
#   cloudbus_free_port [VAR]            print (or assign to VAR) a free TCP port on 127.0.0.1
#   cloudbus_servers_start DIR          start (or reuse) PostgreSQL + RabbitMQ under DIR, export settings
#   cloudbus_servers_running DIR        succeed if both servers under DIR answer
#   cloudbus_servers_stop DIR           stop the servers under DIR (and nothing else)
#   cloudbus_postgres_restart DIR [SECS] stop PostgreSQL under DIR (fast shutdown: every session
#                                       ends with 57P01), keep it down SECS seconds (0), start it
#                                       again and wait until it answers
#   cloudbus_forget_ports               remove this shell's list of handed-out ports
#   cloudbus_pid_alive PID              succeed if PID runs (zombies count as dead)
#   cloudbus_kill_pids SECS PID...      TERM the pids, KILL what is left after SECS seconds
#   cloudbus_tail_log FILE [N]          print the last N (30) lines of FILE to stderr
#
# cloudbus_servers_start exports, and writes to DIR/env.sh:
#   RabbitMq__Host RabbitMq__Port RabbitMq__ManagementPort RabbitMq__Username RabbitMq__PasswordFile
#   RabbitMq__VirtualHost Postgres__ConnectionString Postgres__PasswordFile Auth__SigningKeyFile
#   CLOUDBUS_SERVERS_DIR
# Secrets are files (mode 600) in DIR, named by the *File settings, never values in the environment.
#
# Layout of DIR:
#   servers.state   ports, node name and password (internal, sourced by these functions)
#   env.sh          the exports above
#   rabbitmq.password, postgres.password, signing.key   the secrets those settings name (mode 600)
#   pgpass          the database password for psql (PGPASSFILE)
#   postgres/       data/, postgres.log, initdb.log, unix socket (owned by postgres)
#   rabbitmq/       home/ (own Erlang cookie), mnesia/, log/, config, pid files (owned by rabbitmq)
#
# Every function returns non-zero on failure instead of exiting, so it works with and without
# `set -e` in the caller. Starting servers needs root: they run as the postgres and rabbitmq users
# (initdb refuses root); installing packages uses sudo when not root.

CLOUDBUS_PG_BIN_DEFAULT=/usr/lib/postgresql/15/bin
CLOUDBUS_RABBITMQ_BIN_DEFAULT=/usr/lib/rabbitmq/bin

_cloudbus_log() { printf '[servers] %s\n' "$*" >&2; }

# Seconds since the epoch, with milliseconds, for progress messages.
_cloudbus_now() { date +%s.%N | cut -c1-14; }

_cloudbus_elapsed() { # START
    awk -v s="$1" -v e="$(_cloudbus_now)" 'BEGIN { printf "%.1f", e - s }'
}

# Runs a command with sudo when not root (apt-get only).
_cloudbus_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        _cloudbus_log "need root (or passwordless sudo) to run: $*"
        return 1
    fi
}

# Sets the array _CLOUDBUS_AS to the prefix that runs a command as USER.
_cloudbus_as_prefix() { # USER
    local user=$1
    if [[ $EUID -eq 0 ]]; then
        _CLOUDBUS_AS=(setpriv "--reuid=$user" "--regid=$user" --clear-groups)
    elif [[ $(id -un) == "$user" ]]; then
        _CLOUDBUS_AS=()
    else
        _CLOUDBUS_AS=(sudo -n -u "$user" --)
    fi
}

# ---------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------

cloudbus_install_prerequisites() {
    # test.sh checks the project's shell scripts with shellcheck (scripts/lint-shell.sh).
    local -a wanted=(rabbitmq-server openipmi ipmitool docker-compose jq curl shellcheck)
    # PostgreSQL with automatic failover (scripts/lib/haservers.sh). Patroni's etcd3 backend
    # imports python-etcd, but the patroni package accepts any DCS client (consul, kazoo, ...) in
    # its place: ask for python3-etcd by name.
    wanted+=(patroni etcd-server python3-etcd)
    # Real hypervisor hosts for the libvirt agent (scripts/lib/libvirt.sh): one unprivileged
    # libvirtd per host, QEMU domains under TCG, tini as the daemon's subreaper.
    wanted+=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils tini)
    # The local Prometheus that scrapes the services' /metrics (scripts/lib/prometheus.sh).
    wanted+=(prometheus)
    # Tools the scripts themselves use; only installed when the command is missing.
    [[ -x $CLOUDBUS_PG_BIN_DEFAULT/initdb ]] || wanted+=(postgresql-15)
    [[ -x $CLOUDBUS_PG_BIN_DEFAULT/psql ]] || wanted+=(postgresql-client-15)
    command -v ss >/dev/null 2>&1 || wanted+=(iproute2)
    command -v ps >/dev/null 2>&1 || wanted+=(procps)
    command -v column >/dev/null 2>&1 || wanted+=(bsdextrautils)
    command -v setpriv >/dev/null 2>&1 || wanted+=(util-linux)
    command -v openssl >/dev/null 2>&1 || wanted+=(openssl) # the broker's TLS certificate

    cloudbus_install_packages "${wanted[@]}"
}

# Installs those of the Debian packages PKG... that are not installed yet (apt, quietly).
cloudbus_install_packages() { # PKG...
    local -a missing=()
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi

    _cloudbus_log "installing missing packages: ${missing[*]}"
    if ! _cloudbus_root apt-get update -qq; then
        _cloudbus_log "apt-get update failed"
        return 1
    fi
    # The packages' own service starts may be refused by policy (containers); that is fine, the
    # scripts start private servers.
    if ! _cloudbus_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
        _cloudbus_log "apt-get install failed: ${missing[*]}"
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Free ports
# ---------------------------------------------------------------------------------------------

# Ports already handed out by this shell. Kept in a variable and, when handed out in a subshell
# such as $(cloudbus_free_port), also in a file named after the main shell's pid ($$ is the same
# in subshells); cloudbus_forget_ports removes that file.
_CLOUDBUS_USED_PORTS=${_CLOUDBUS_USED_PORTS:-}

_cloudbus_ports_file() { printf '%s/cloudbus-ports.%s' "${TMPDIR:-/tmp}" "$$"; }

_cloudbus_port_in_use() { # PORT
    local p=$1
    [[ " $_CLOUDBUS_USED_PORTS " == *" $p "* ]] && return 0
    grep -qx "$p" "$(_cloudbus_ports_file)" 2>/dev/null && return 0
    # Anything listening on this port on any address (TCP), or bound by a connection.
    [[ -n $(ss -Htan "( sport = :$p )" 2>/dev/null) ]] && return 0
    return 1
}

cloudbus_free_port() { # [VAR]
    local var=${1:-} lo=20000 hi=60000 elo=0 ehi=-1 p i
    # Avoid the kernel's ephemeral range (outgoing connections) when enough ports remain.
    if read -r elo ehi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null; then
        if ((elo - lo < 2000 && hi - ehi < 2000)); then elo=0 ehi=-1; fi
    fi
    for ((i = 0; i < 1000; i++)); do
        p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
        ((p >= elo && p <= ehi)) && continue
        _cloudbus_port_in_use "$p" && continue
        _CLOUDBUS_USED_PORTS+=" $p"
        # In a subshell the variable is lost: remember the port in the file as well.
        if [[ $BASHPID != "$$" ]]; then
            printf '%s\n' "$p" >>"$(_cloudbus_ports_file)" 2>/dev/null || true
        fi
        if [[ -n $var ]]; then
            printf -v "$var" '%s' "$p"
        else
            printf '%s\n' "$p"
        fi
        return 0
    done
    _cloudbus_log "no free port found in $lo-$hi"
    return 1
}

cloudbus_forget_ports() {
    rm -f "$(_cloudbus_ports_file)"
    _CLOUDBUS_USED_PORTS=
}

# ---------------------------------------------------------------------------------------------
# Helpers shared by start and stop
# ---------------------------------------------------------------------------------------------

# Succeeds if PID is alive and its environment or command line mentions MARKER (a path under the
# servers folder), so a recycled pid of some other process is never touched.
_cloudbus_pid_is_ours() { # PID MARKER
    local pid=$1 marker=$2
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    cloudbus_pid_alive "$pid" || return 1
    # No pipes here: with pipefail, grep -q closing early would make a match look like a failure.
    grep -qaF -- "$marker" "/proc/$pid/environ" "/proc/$pid/cmdline" 2>/dev/null
}

# Alive and not a zombie (an orphan's zombie can linger when pid 1 reaps slowly).
cloudbus_pid_alive() { # PID
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

cloudbus_kill_pids() { # SECONDS PID...  (TERM, wait, then KILL)
    local secs=$1 pid deadline alive
    shift
    (($# == 0)) && return 0
    kill -TERM "$@" 2>/dev/null || true
    deadline=$((SECONDS + secs))
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "$@"; do cloudbus_pid_alive "$pid" && alive=1; done
        ((alive)) || return 0
        sleep 0.2
    done
    kill -KILL "$@" 2>/dev/null || true
    sleep 0.2
}

# Pid listening on 127.0.0.1:PORT (TCP), if any.
_cloudbus_listener_pid() { # PORT
    ss -Hltnp "( sport = :$1 )" 2>/dev/null |
        awk '!found && match($0, /pid=[0-9]+/) { print substr($0, RSTART + 4, RLENGTH - 4); found = 1 }'
}

cloudbus_tail_log() { # FILE [LINES]
    local f=$1 n=${2:-30}
    if [[ -f $f ]]; then
        printf '%s\n' "----- last $n lines of $f -----" >&2
        tail -n "$n" "$f" >&2
        printf '%s\n' "-----" >&2
    fi
}

# Loads DIR/servers.state into variables the caller declared local (CB_*).
_cloudbus_load_state() { # DIR
    local f=$1/servers.state
    [[ -f $f ]] || return 1
    # shellcheck disable=SC1090  # written by cloudbus_servers_start at run time
    source "$f"
    # psql finds the database password here (the server asks for it: scram-sha-256, not trust).
    CB_PG_PASSFILE=$1/pgpass
    # A folder from before the broker's TLS listener: give it a port now, kept from then on.
    if [[ -z ${CB_RMQ_TLS_PORT:-} ]]; then
        cloudbus_free_port CB_RMQ_TLS_PORT || return 1
        printf 'CB_RMQ_TLS_PORT=%q\n' "$CB_RMQ_TLS_PORT" >>"$f"
    fi
}

_cloudbus_random_password() {
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# The environment of the private RabbitMQ node, as NAME=VALUE words for env(1).
# Uses CB_* variables of the caller.
_cloudbus_rabbit_env() { # DIR
    _cloudbus_rabbit_node_env "$1/rabbitmq" "$1/rabbitmq/home"
}

# The same for a node whose files are in NODE_DIR and whose HOME (Erlang cookie) is HOME: the
# nodes of a cluster share one HOME (scripts/lib/haservers.sh). Uses CB_RMQ_NODE, CB_RMQ_PORT,
# CB_RMQ_DIST_PORT and CB_EPMD_PORT of the caller.
_cloudbus_rabbit_node_env() { # NODE_DIR HOME
    local r=$1
    local erl_args='-kernel inet_dist_use_interface {127,0,0,1}'
    _CLOUDBUS_RENV=(
        "HOME=$2"
        "RABBITMQ_NODENAME=$CB_RMQ_NODE"
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
        "RABBITMQ_NODE_PORT=$CB_RMQ_PORT"
        "RABBITMQ_DIST_PORT=$CB_RMQ_DIST_PORT"
        "RABBITMQ_MNESIA_BASE=$r/mnesia"
        "RABBITMQ_LOG_BASE=$r/log"
        "RABBITMQ_CONFIG_FILE=$r/rabbitmq.conf"
        "RABBITMQ_ADVANCED_CONFIG_FILE=$r/advanced.config"
        "RABBITMQ_CONFIG_FILES=$r/conf.d"
        "RABBITMQ_CONF_ENV_FILE=$r/rabbitmq-env.conf"
        "RABBITMQ_ENABLED_PLUGINS_FILE=$r/enabled_plugins"
        "RABBITMQ_PID_FILE=$r/rabbit.pid"
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=$erl_args"
        "RABBITMQ_CTL_ERL_ARGS=$erl_args"
        # A private epmd per folder: nothing is shared with other Erlang nodes on the machine.
        "ERL_EPMD_PORT=$CB_EPMD_PORT"
        "ERL_EPMD_ADDRESS=127.0.0.1"
        "LANG=C.UTF-8"
        "LC_ALL=C.UTF-8"
    )
}

# Runs a RabbitMQ CLI tool (rabbitmqctl, rabbitmq-diagnostics, ...) against the node under DIR.
_cloudbus_rabbit_cli() { # DIR TOOL ARGS...
    local dir=$1 tool=$2
    shift 2
    _cloudbus_rabbit_env "$dir"
    _cloudbus_as_prefix rabbitmq
    # A hung CLI must not hang the caller.
    (cd "$dir/rabbitmq" && timeout 120 "${_CLOUDBUS_AS[@]}" env "${_CLOUDBUS_RENV[@]}" \
        "$CLOUDBUS_RABBITMQ_BIN_DEFAULT/$tool" -n "$CB_RMQ_NODE" "$@")
}

_cloudbus_pg() { # DIR TOOL ARGS...  (runs a PostgreSQL binary as postgres)
    local dir=$1 tool=$2
    shift 2
    _cloudbus_as_prefix postgres
    (cd "$dir/postgres" && "${_CLOUDBUS_AS[@]}" env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        "$CLOUDBUS_PG_BIN_DEFAULT/$tool" "$@")
}

_cloudbus_psql() { # PORT ARGS...  (as the caller, over TCP)
    local port=$1
    shift
    env -u PGSERVICE -u PGPASSWORD -u PGSSLMODE -u PGOPTIONS PGPASSFILE="${CB_PG_PASSFILE:-/dev/null}" \
        "$CLOUDBUS_PG_BIN_DEFAULT/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$port" -U cloudbus "$@"
}

_cloudbus_mgmt_ok() { # PATH  (uses CB_*)
    curl -fsS -o /dev/null --max-time 3 -u "cloudbus:$CB_RMQ_PASSWORD" \
        "http://127.0.0.1:$CB_RMQ_MGMT_PORT$1" 2>/dev/null
}

_cloudbus_pg_running() { # DIR
    [[ -f $1/postgres/data/PG_VERSION ]] || return 1
    _cloudbus_pg "$1" pg_ctl -D "$1/postgres/data" status >/dev/null 2>&1
}

_cloudbus_rabbit_running() { # DIR  (uses CB_*)
    local pid
    pid=$(cat "$1/rabbitmq/rabbit.pid" 2>/dev/null) || return 1
    _cloudbus_pid_is_ours "$pid" "$1/rabbitmq" || return 1
    _cloudbus_mgmt_ok /api/overview
}

# ---------------------------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------------------------

# The database password: DIR/postgres.password for the services (Postgres__PasswordFile) and
# DIR/pgpass for psql, both mode 600; made once, then kept with the data.
_cloudbus_pg_password() { # DIR
    local dir=$1 password
    if [[ ! -s $dir/postgres.password ]]; then
        cloudbus_secret_file "$dir" postgres.password "$(_cloudbus_random_password)" >/dev/null || return 1
    fi
    password=$(<"$dir/postgres.password")
    cloudbus_secret_file "$dir" pgpass "*:*:*:cloudbus:$password" >/dev/null
}

# A data folder made before the local servers asked for passwords trusts every local connection:
# give cloudbus its password (through psql's standard input, never a command line) and switch
# pg_hba.conf to scram-sha-256.
_cloudbus_pg_leave_trust() { # DIR  (uses CB_*)
    local dir=$1 p=$1/postgres
    grep -qE '^[^#].*[[:space:]]trust$' "$p/data/pg_hba.conf" || return 0
    printf "ALTER ROLE cloudbus PASSWORD '%s';\n" "$(<"$dir/postgres.password")" |
        _cloudbus_psql "$CB_PG_PORT" -d postgres >>"$p/psql.log" 2>&1 || { _cloudbus_log "cannot set the password of cloudbus"; return 1; }
    sed -i -E 's/[[:space:]]trust$/ scram-sha-256/' "$p/data/pg_hba.conf" || return 1
    _cloudbus_pg "$dir" pg_ctl -D "$p/data" reload >>"$p/pg_ctl.log" 2>&1 || return 1
    _cloudbus_log "PostgreSQL under $p now asks for passwords (scram-sha-256)"
}

_cloudbus_pg_start() { # DIR  (uses CB_*)
    local dir=$1 p=$1/postgres sockdir t0
    t0=$(_cloudbus_now)
    if ! install -d -o postgres -g postgres -m 700 "$p"; then
        _cloudbus_log "cannot create $p owned by postgres"
        return 1
    fi
    _cloudbus_pg_password "$dir" || return 1
    if [[ ! -f $p/data/PG_VERSION ]]; then
        rm -rf "$p/data"
        # Password authentication from the first start: initdb reads the password from a file
        # the postgres user may read, removed right after.
        install -o postgres -g postgres -m 600 "$dir/postgres.password" "$p/initdb.password" || return 1
        if ! _cloudbus_pg "$dir" initdb -D "$p/data" -U cloudbus --auth=scram-sha-256 --pwfile="$p/initdb.password" \
            --no-sync --no-locale -E UTF8 >"$p/initdb.log" 2>&1; then
            rm -f "$p/initdb.password"
            _cloudbus_log "initdb failed"
            cloudbus_tail_log "$p/initdb.log"
            return 1
        fi
        rm -f "$p/initdb.password"
        printf "\ninclude_if_exists = 'cloudbus.conf'\n" >>"$p/data/postgresql.conf"
    fi
    # Unix socket in the folder, unless the path is too long for a socket (108 bytes).
    sockdir=$p
    if ((${#sockdir} + 20 > 107)); then sockdir=''; fi
    # Rewritten on each start so a reused folder picks up the recorded port.
    cat >"$p/data/cloudbus.conf" <<EOF
# Written by scripts/lib/servers.sh: a throwaway server for tests and local runs.
listen_addresses = '127.0.0.1'
port = $CB_PG_PORT
unix_socket_directories = '$sockdir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown postgres:postgres "$p/data/cloudbus.conf"

    if ! _cloudbus_pg_running "$dir"; then
        if ! _cloudbus_pg "$dir" pg_ctl -D "$p/data" -l "$p/postgres.log" -w -t 60 start \
            >"$p/pg_ctl.log" 2>&1; then
            _cloudbus_log "PostgreSQL did not start on port $CB_PG_PORT"
            cloudbus_tail_log "$p/pg_ctl.log" 10
            cloudbus_tail_log "$p/postgres.log"
            return 1
        fi
    fi
    _cloudbus_pg_leave_trust "$dir" || return 1
    if [[ -z $(_cloudbus_psql "$CB_PG_PORT" -d postgres -tAc \
        "select 1 from pg_database where datname = 'cloudbus'" 2>"$p/psql.log") ]]; then
        if ! _cloudbus_psql "$CB_PG_PORT" -d postgres -c 'create database cloudbus' \
            >>"$p/psql.log" 2>&1; then
            _cloudbus_log "cannot create database cloudbus"
            cloudbus_tail_log "$p/psql.log"
            cloudbus_tail_log "$p/postgres.log"
            return 1
        fi
    fi
    _cloudbus_log "PostgreSQL ready on 127.0.0.1:$CB_PG_PORT ($(_cloudbus_elapsed "$t0") s)"
}

# The user cloudbus (with PASSWORD), the vhost cloudbus and their permissions, as a definitions
# file a node imports at boot (on every boot, idempotently). No guest: a node importing
# definitions at boot creates no default user, so the well-known guest/guest never exists.
_cloudbus_rabbit_definitions() { # FILE PASSWORD
    cat >"$1" <<EOF
{
  "users": [
    { "name": "cloudbus", "password": "$2", "tags": ["administrator"] }
  ],
  "vhosts": [ { "name": "cloudbus" }, { "name": "/" } ],
  "permissions": [
    { "user": "cloudbus", "vhost": "cloudbus", "configure": ".*", "write": ".*", "read": ".*" },
    { "user": "cloudbus", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*" }
  ]
}
EOF
    chmod 600 "$1"
}

# A CA of the folder's own and a certificate for 127.0.0.1 / localhost signed by it, for the
# node's TLS listener (made once; openssl, ECDSA P-256, valid ten years). The tests' broker
# container gets its TLS files from here too (tests/IntegrationTests/Infrastructure/ContainerServers.cs).
cloudbus_rabbit_tls_files() { # TLS_DIR
    local t=$1
    [[ -s $t/server.crt && -s $t/server.key && -s $t/ca.crt ]] && return 0
    mkdir -p "$t" && chmod 700 "$t" || return 1
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=CloudBus local broker CA" \
            -keyout "$t/ca.key" -out "$t/ca.crt" &&
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
                -keyout "$t/server.key" -out "$t/server.csr" &&
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$t/server.ext" &&
            openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 3650 \
                -extfile "$t/server.ext" -out "$t/server.crt"
    ) >"$t/openssl.log" 2>&1 || { _cloudbus_log "cannot make the broker's TLS certificate (openssl): $(tail -n 3 "$t/openssl.log")"; return 1; }
    chmod 644 "$t/ca.crt"
}

_cloudbus_rabbit_fail() { # DIR REASON  (uses CB_*)
    local r=$1/rabbitmq
    _cloudbus_log "RabbitMQ node $CB_RMQ_NODE did not become ready: $2"
    cloudbus_tail_log "$r/server.out" 20
    cloudbus_tail_log "$r/log/$CB_RMQ_NODE.log"
    _cloudbus_rabbit_stop "$1" >/dev/null 2>&1 || true
    return 1
}

_cloudbus_rabbit_start() { # DIR  (uses CB_*)
    local dir=$1 r=$1/rabbitmq t0 pid wrapper deadline
    t0=$(_cloudbus_now)

    if _cloudbus_rabbit_running "$dir"; then
        _cloudbus_log "RabbitMQ already running on 127.0.0.1:$CB_RMQ_PORT"
        return 0
    fi
    # A node that is alive but does not answer: stop it before starting again.
    pid=$(cat "$r/rabbit.pid" 2>/dev/null || true)
    if _cloudbus_pid_is_ours "$pid" "$r"; then
        _cloudbus_rabbit_stop "$dir"
    fi

    mkdir -p "$r/home" "$r/mnesia" "$r/log" "$r/conf.d" || return 1
    : >"$r/rabbitmq-env.conf"
    printf '[rabbitmq_management].\n' >"$r/enabled_plugins"
    cat >"$r/rabbitmq.conf" <<EOF
# Written by scripts/lib/servers.sh: a throwaway node for tests and local runs.
listeners.tcp.default = 127.0.0.1:$CB_RMQ_PORT
# AMQP over TLS too (RabbitMq__UseTls), with a certificate of the folder's own CA (tls/ca.crt).
listeners.ssl.default = 127.0.0.1:$CB_RMQ_TLS_PORT
ssl_options.cacertfile = $r/tls/ca.crt
ssl_options.certfile = $r/tls/server.crt
ssl_options.keyfile = $r/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
management.tcp.ip = 127.0.0.1
management.tcp.port = $CB_RMQ_MGMT_PORT
load_definitions = $r/definitions.json
log.console = false
log.file.level = info
EOF
    _cloudbus_rabbit_definitions "$r/definitions.json" "$CB_RMQ_PASSWORD" || return 1
    cloudbus_rabbit_tls_files "$r/tls" || return 1
    rm -f "$r/rabbit.pid"
    chown -R rabbitmq:rabbitmq "$r" || return 1
    chmod 700 "$r/home"

    _cloudbus_rabbit_env "$dir"
    _cloudbus_as_prefix rabbitmq
    # Own session: a Ctrl-C in the terminal does not reach the node; the caller stops it.
    (cd "$r" && exec setsid "${_CLOUDBUS_AS[@]}" env "${_CLOUDBUS_RENV[@]}" \
        "$CLOUDBUS_RABBITMQ_BIN_DEFAULT/rabbitmq-server") >"$r/server.out" 2>&1 </dev/null &
    wrapper=$!
    disown "$wrapper" 2>/dev/null || true
    printf '%s\n' "$wrapper" >"$r/wrapper.pid"

    deadline=$((SECONDS + 90))
    # 1. The pid file appears once the VM is up.
    while [[ ! -s $r/rabbit.pid ]]; do
        cloudbus_pid_alive "$wrapper" || { _cloudbus_rabbit_fail "$dir" "the server process exited"; return 1; }
        ((SECONDS < deadline)) || { _cloudbus_rabbit_fail "$dir" "no pid file after 90 s"; return 1; }
        sleep 0.2
    done
    # 2. The node has booted (all plugins started).
    if ! _cloudbus_rabbit_cli "$dir" rabbitmq-diagnostics -q wait "$r/rabbit.pid" \
        --timeout $((deadline - SECONDS > 5 ? deadline - SECONDS : 5)) >"$r/wait.log" 2>&1; then
        cloudbus_tail_log "$r/wait.log" 10
        _cloudbus_rabbit_fail "$dir" "rabbitmq-diagnostics wait failed"
        return 1
    fi
    # 3. The management API answers with the cloudbus user, which sees its vhost.
    until _cloudbus_mgmt_ok /api/overview && _cloudbus_mgmt_ok /api/permissions/cloudbus/cloudbus; do
        cloudbus_pid_alive "$wrapper" || { _cloudbus_rabbit_fail "$dir" "the server process exited"; return 1; }
        ((SECONDS < deadline)) || { _cloudbus_rabbit_fail "$dir" "management API did not answer on port $CB_RMQ_MGMT_PORT"; return 1; }
        sleep 0.3
    done
    _cloudbus_log "RabbitMQ ready on 127.0.0.1:$CB_RMQ_PORT, management on :$CB_RMQ_MGMT_PORT, node $CB_RMQ_NODE ($(_cloudbus_elapsed "$t0") s)"
}

# The local signing key of operator tokens (Auth__SigningKeyFile): made once per server folder,
# readable by its owner only; `cloudbus token mint --key-file DIR/signing.key` signs with it.
cloudbus_signing_key() { # DIR -> prints the key file's path
    local key=$1/signing.key
    if [[ ! -s $key ]]; then
        (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$key.tmp" && echo >>"$key.tmp" && mv -f "$key.tmp" "$key") || return 1
    fi
    printf '%s\n' "$key"
}

# Writes SECRET to DIR/NAME, readable by its owner only from the first byte, and prints the path.
cloudbus_secret_file() { # DIR NAME SECRET
    local path=$1/$2
    (umask 077 && printf '%s\n' "$3" >"$path.tmp" && mv -f "$path.tmp" "$path") || return 1
    printf '%s\n' "$path"
}

# The control-plane services that get accounts of their own (their bus names).
CLOUDBUS_SERVICE_NAMES=(node-registry host-monitor vm-lifecycle ha-orchestrator)

# Least privilege on the servers under DIR (README, "Least privilege on the broker and the
# database"): per service a broker user (cloudbus-NAME) limited to what BrokerPermissions allows it
# and a database role (cloudbus_NAME) that only gets its schema's rows, plus the migration role
# cloudbus_migrator that owns the schemas. Passwords are made once, as files in DIR/accounts; the
# broker users come from the CLI (`cloudbus accounts broker --definitions`, CLI_DLL), imported in
# one call, which also updates them on every later call. Schemas an older run made as cloudbus are
# handed to the migration role.
cloudbus_service_accounts() { # DIR CLI_DLL
    local dir=${1:?usage: cloudbus_service_accounts DIR CLI_DLL} cli=${2:?usage: cloudbus_service_accounts DIR CLI_DLL}
    local CB_PG_PORT='' CB_RMQ_PORT='' CB_RMQ_DIST_PORT='' CB_RMQ_MGMT_PORT='' CB_RMQ_TLS_PORT='' CB_EPMD_PORT=''
    local CB_RMQ_NODE='' CB_RMQ_PASSWORD='' acc=$1/accounts
    _cloudbus_load_state "$dir" || { _cloudbus_log "no servers were started under $dir"; return 1; }
    cloudbus_account_passwords "$acc" || return 1
    # The definitions hold the passwords: they go from the CLI to rabbitmqctl through a pipe only.
    if ! dotnet "$cli" accounts broker --definitions --vhost cloudbus --password-dir "$acc" |
        _cloudbus_rabbit_cli "$dir" rabbitmqctl -q import_definitions >"$acc/broker-import.log" 2>&1; then
        _cloudbus_log "the services' broker users could not be made: $(tail -n 3 "$acc/broker-import.log")"
        return 1
    fi
    if ! cloudbus_account_roles_sql "$acc" | _cloudbus_psql "$CB_PG_PORT" -d cloudbus >"$acc/roles.log" 2>&1; then
        _cloudbus_log "the services' database roles could not be made: $(tail -n 3 "$acc/roles.log")"
        return 1
    fi
    _cloudbus_log "an account of its own for each service (broker users cloudbus-NAME, roles cloudbus_NAME; passwords in $acc)"
}

# The passwords of the services' accounts, made once as files in ACC (mode 600).
cloudbus_account_passwords() { # ACC
    local acc=$1 file
    (umask 077 && mkdir -p "$acc") || return 1
    for file in "${CLOUDBUS_SERVICE_NAMES[@]/#/cloudbus-}"; do
        [[ -s $acc/$file.password ]] || cloudbus_secret_file "$acc" "$file.password" "$(_cloudbus_random_password)" >/dev/null || return 1
    done
    for file in "${CLOUDBUS_SERVICE_NAMES[@]/#/cloudbus_}" cloudbus_migrator; do
        file=${file//-/_}
        [[ -s $acc/$file.password ]] || cloudbus_secret_file "$acc" "$file.password" "$(_cloudbus_random_password)" >/dev/null || return 1
    done
}

# The SQL (for psql, as the cloudbus superuser) that creates or updates the services' roles and the
# migration role, gives it the right to create schemas, and hands it schemas an older run made.
# psql reads each password from its file itself (\set with a backtick): never on a command line.
cloudbus_account_roles_sql() { # ACC
    local acc=$1 role schema
    for role in cloudbus_migrator "${CLOUDBUS_SERVICE_NAMES[@]/#/cloudbus_}"; do
        role=${role//-/_}
        printf "SELECT format('CREATE ROLE %%I LOGIN', '%s') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') \\gexec\n" "$role" "$role"
        printf "\\set pw \`cat '%s'\`\nALTER ROLE %s PASSWORD :'pw';\n" "$acc/$role.password" "$role"
    done
    printf 'GRANT CREATE ON DATABASE cloudbus TO cloudbus_migrator;\n'
    for schema in "${CLOUDBUS_SERVICE_NAMES[@]//-/_}"; do
        printf "SELECT format('ALTER SCHEMA %%I OWNER TO cloudbus_migrator', nspname) FROM pg_namespace WHERE nspname = '%s' \\gexec\n" "$schema"
        printf "SELECT format('ALTER TABLE %%I.%%I OWNER TO cloudbus_migrator', schemaname, tablename) FROM pg_tables WHERE schemaname = '%s' \\gexec\n" "$schema"
        printf "SELECT format('ALTER SEQUENCE %%I.%%I OWNER TO cloudbus_migrator', sequence_schema, sequence_name) FROM information_schema.sequences WHERE sequence_schema = '%s' \\gexec\n" "$schema"
    done
}

# The settings that put service NAME (a bus name such as host-monitor) on its own accounts, one
# per line, on top of env.sh's shared ones (cloudbus_service_accounts made them).
cloudbus_service_account_settings() { # DIR NAME
    local acc=$1/accounts name=$2 role=cloudbus_${2//-/_}
    # shellcheck disable=SC2154  # exported by the servers' env.sh, which the caller sourced
    printf '%s\n' "RabbitMq__Username=cloudbus-$name" "RabbitMq__PasswordFile=$acc/cloudbus-$name.password" \
        "Postgres__ConnectionString=${Postgres__ConnectionString/Username=cloudbus;/Username=$role;}" \
        "Postgres__PasswordFile=$acc/$role.password" \
        "Postgres__MigrationUsername=cloudbus_migrator" "Postgres__MigrationPasswordFile=$acc/cloudbus_migrator.password"
}

_cloudbus_write_env() { # DIR  (uses CB_*)
    local dir=$1 f=$1/env.sh key rabbit_password
    key=$(cloudbus_signing_key "$dir") || return 1
    rabbit_password=$(cloudbus_secret_file "$dir" rabbitmq.password "$CB_RMQ_PASSWORD") || return 1
    {
        printf '# Written by scripts/lib/servers.sh: settings of the servers under %s\n' "$dir"
        printf 'export RabbitMq__Host=%q\n' 127.0.0.1
        printf 'export RabbitMq__Port=%q\n' "$CB_RMQ_PORT"
        printf 'export RabbitMq__ManagementPort=%q\n' "$CB_RMQ_MGMT_PORT"
        printf 'export RabbitMq__Username=%q\n' cloudbus
        printf 'export RabbitMq__PasswordFile=%q\n' "$rabbit_password"
        printf 'export RabbitMq__VirtualHost=%q\n' cloudbus
        # Not a service setting: where tests find the node's TLS listener and the CA of its certificate.
        printf 'export CLOUDBUS_RABBITMQ_TLS_PORT=%q\n' "$CB_RMQ_TLS_PORT"
        printf 'export CLOUDBUS_RABBITMQ_TLS_CA_FILE=%q\n' "$dir/rabbitmq/tls/ca.crt"
        printf 'export Postgres__ConnectionString=%q\n' \
            "Host=127.0.0.1;Port=$CB_PG_PORT;Username=cloudbus;Database=cloudbus;Pooling=true;Maximum Pool Size=50"
        printf 'export Postgres__PasswordFile=%q\n' "$dir/postgres.password"
        printf 'export Auth__SigningKeyFile=%q\n' "$key"
        printf 'export CLOUDBUS_SERVERS_DIR=%q\n' "$dir"
    } >"$f.tmp" && chmod 600 "$f.tmp" && mv -f "$f.tmp" "$f"
}

cloudbus_servers_start() { # DIR
    local dir=${1:?usage: cloudbus_servers_start DIR}
    local CB_PG_PORT='' CB_RMQ_PORT='' CB_RMQ_DIST_PORT='' CB_RMQ_MGMT_PORT='' CB_RMQ_TLS_PORT='' CB_EPMD_PORT=''
    local CB_RMQ_NODE='' CB_RMQ_PASSWORD='' t0 hash
    t0=$(_cloudbus_now)

    if [[ $EUID -ne 0 ]]; then
        _cloudbus_log "cloudbus_servers_start must run as root (the servers run as postgres and rabbitmq)"
        return 1
    fi
    if ! mkdir -p "$dir" || ! dir=$(cd "$dir" && pwd -P); then
        _cloudbus_log "cannot create $dir"
        return 1
    fi
    # The servers run as postgres and rabbitmq: they must be able to reach the folder.
    chmod 755 "$dir" || return 1
    local u
    for u in postgres rabbitmq; do
        if ! id "$u" >/dev/null 2>&1; then
            _cloudbus_log "user $u does not exist (run cloudbus_install_prerequisites)"
            return 1
        fi
        _cloudbus_as_prefix "$u"
        if ! "${_CLOUDBUS_AS[@]}" test -x "$dir"; then
            _cloudbus_log "user $u cannot reach $dir (a parent folder is not world-executable); use another folder"
            return 1
        fi
    done

    if ! _cloudbus_load_state "$dir"; then
        # First start in this folder: pick ports, node name and password once, then keep them.
        cloudbus_free_port CB_PG_PORT || return 1
        cloudbus_free_port CB_RMQ_PORT || return 1
        cloudbus_free_port CB_RMQ_DIST_PORT || return 1
        cloudbus_free_port CB_RMQ_MGMT_PORT || return 1
        cloudbus_free_port CB_RMQ_TLS_PORT || return 1
        cloudbus_free_port CB_EPMD_PORT || return 1
        hash=$(printf '%s' "$dir" | sha256sum | cut -c1-10)
        CB_RMQ_NODE="cloudbus-$hash-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')@localhost"
        CB_RMQ_PASSWORD=$(_cloudbus_random_password)
        {
            printf '# Written by scripts/lib/servers.sh (internal state, not exported)\n'
            printf 'CB_PG_PORT=%q\nCB_RMQ_PORT=%q\nCB_RMQ_DIST_PORT=%q\n' \
                "$CB_PG_PORT" "$CB_RMQ_PORT" "$CB_RMQ_DIST_PORT"
            printf 'CB_RMQ_MGMT_PORT=%q\nCB_EPMD_PORT=%q\nCB_RMQ_NODE=%q\nCB_RMQ_PASSWORD=%q\nCB_RMQ_TLS_PORT=%q\n' \
                "$CB_RMQ_MGMT_PORT" "$CB_EPMD_PORT" "$CB_RMQ_NODE" "$CB_RMQ_PASSWORD" "$CB_RMQ_TLS_PORT"
        } >"$dir/servers.state" && chmod 600 "$dir/servers.state" || return 1
        CB_PG_PASSFILE=$dir/pgpass
    fi

    _cloudbus_pg_start "$dir" || return 1
    _cloudbus_rabbit_start "$dir" || return 1
    _cloudbus_write_env "$dir" || return 1
    # shellcheck disable=SC1091  # just written by _cloudbus_write_env
    source "$dir/env.sh" || return 1
    _cloudbus_log "servers ready in $(_cloudbus_elapsed "$t0") s; settings in $dir/env.sh"
}

# What a database restart or failover looks like to the clients: every session is ended, then
# nothing answers for a while (connections refused), then the server takes connections again.
cloudbus_postgres_restart() { # DIR [DOWN_SECONDS]
    local dir=${1:?usage: cloudbus_postgres_restart DIR [DOWN_SECONDS]} down=${2:-0}
    local CB_PG_PORT='' CB_RMQ_PORT='' CB_RMQ_DIST_PORT='' CB_RMQ_MGMT_PORT='' CB_RMQ_TLS_PORT='' CB_EPMD_PORT=''
    local CB_RMQ_NODE='' CB_RMQ_PASSWORD='' p t0 deadline
    [[ $down =~ ^[0-9]+([.][0-9]+)?$ ]] || { _cloudbus_log "DOWN_SECONDS must be a number of seconds, not '$down'"; return 1; }
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || { _cloudbus_log "no servers folder $1"; return 1; }
    _cloudbus_load_state "$dir" || { _cloudbus_log "no servers were started under $dir"; return 1; }
    p=$dir/postgres
    t0=$(_cloudbus_now)
    if ! _cloudbus_pg "$dir" pg_ctl -D "$p/data" -m fast -w -t 30 stop >"$p/pg_stop.log" 2>&1; then
        _cloudbus_log "PostgreSQL did not stop"
        cloudbus_tail_log "$p/pg_stop.log" 10
        return 1
    fi
    sleep "$down"
    if ! _cloudbus_pg "$dir" pg_ctl -D "$p/data" -l "$p/postgres.log" -w -t 60 start >"$p/pg_ctl.log" 2>&1; then
        _cloudbus_log "PostgreSQL did not start again on port $CB_PG_PORT"
        cloudbus_tail_log "$p/pg_ctl.log" 10
        cloudbus_tail_log "$p/postgres.log"
        return 1
    fi
    deadline=$((SECONDS + 30))
    until _cloudbus_psql "$CB_PG_PORT" -d cloudbus -tAc 'select 1' >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { _cloudbus_log "PostgreSQL does not answer after its restart"; return 1; }
        sleep 0.1
    done
    _cloudbus_log "PostgreSQL restarted on 127.0.0.1:$CB_PG_PORT, down ${down} s ($(_cloudbus_elapsed "$t0") s in all)"
}

cloudbus_servers_running() { # DIR
    local dir=${1:?usage: cloudbus_servers_running DIR}
    local CB_PG_PORT='' CB_RMQ_PORT='' CB_RMQ_DIST_PORT='' CB_RMQ_MGMT_PORT='' CB_RMQ_TLS_PORT='' CB_EPMD_PORT=''
    local CB_RMQ_NODE='' CB_RMQ_PASSWORD=''
    [[ -d $dir ]] || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    _cloudbus_load_state "$dir" || return 1
    [[ -f $dir/env.sh ]] || return 1
    _cloudbus_pg_running "$dir" || return 1
    _cloudbus_psql "$CB_PG_PORT" -d cloudbus -tAc 'select 1' >/dev/null 2>&1 || return 1
    _cloudbus_rabbit_running "$dir" || return 1
}

# ---------------------------------------------------------------------------------------------
# Stop
# ---------------------------------------------------------------------------------------------

_cloudbus_rabbit_stop() { # DIR  (uses CB_*)
    local dir=$1 r=$1/rabbitmq pid wrapper epmd
    local -a pids=()
    pid=$(cat "$r/rabbit.pid" 2>/dev/null || true)
    wrapper=$(cat "$r/wrapper.pid" 2>/dev/null || true)
    if _cloudbus_pid_is_ours "$pid" "$r"; then
        if _cloudbus_rabbit_cli "$dir" rabbitmqctl -q shutdown --timeout 60 >"$r/shutdown.log" 2>&1; then
            _cloudbus_log "RabbitMQ node $CB_RMQ_NODE stopped"
        else
            _cloudbus_log "rabbitmqctl shutdown failed; killing the node's processes"
        fi
    fi
    # Whatever is left of this node: the VM, its helpers, the wrapper script.
    if _cloudbus_pid_is_ours "$pid" "$r"; then
        pids+=("$pid")
        local child
        for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do pids+=("$child"); done
    fi
    _cloudbus_pid_is_ours "$wrapper" "$r" && pids+=("$wrapper")
    cloudbus_kill_pids 10 "${pids[@]}"
    # The private epmd started by the node.
    if [[ -n $CB_EPMD_PORT ]]; then
        epmd=$(_cloudbus_listener_pid "$CB_EPMD_PORT")
        if [[ -n $epmd ]] && grep -qaxz "ERL_EPMD_PORT=$CB_EPMD_PORT" "/proc/$epmd/environ" 2>/dev/null; then
            cloudbus_kill_pids 5 "$epmd"
        fi
    fi
    rm -f "$r/rabbit.pid" "$r/wrapper.pid"
}

_cloudbus_pg_stop() { # DIR
    local dir=$1 p=$1/postgres pid
    [[ -f $p/data/PG_VERSION ]] || return 0
    _cloudbus_pg_running "$dir" || return 0
    if _cloudbus_pg "$dir" pg_ctl -D "$p/data" -m fast -w -t 30 stop >"$p/pg_stop.log" 2>&1 ||
        _cloudbus_pg "$dir" pg_ctl -D "$p/data" -m immediate -w -t 30 stop >>"$p/pg_stop.log" 2>&1; then
        _cloudbus_log "PostgreSQL stopped"
        return 0
    fi
    pid=$(head -n1 "$p/data/postmaster.pid" 2>/dev/null || true)
    if _cloudbus_pid_is_ours "$pid" "$p/data"; then
        _cloudbus_log "pg_ctl stop failed; killing postmaster $pid"
        cloudbus_kill_pids 10 "$pid"
    fi
}

cloudbus_servers_stop() { # DIR
    local dir=${1:?usage: cloudbus_servers_stop DIR}
    local CB_PG_PORT='' CB_RMQ_PORT='' CB_RMQ_DIST_PORT='' CB_RMQ_MGMT_PORT='' CB_RMQ_TLS_PORT='' CB_EPMD_PORT=''
    local CB_RMQ_NODE='' CB_RMQ_PASSWORD=''
    [[ -d $dir ]] || return 0
    dir=$(cd "$dir" && pwd -P) || return 0
    _cloudbus_load_state "$dir" || true
    if [[ -n $CB_RMQ_NODE ]]; then
        _cloudbus_rabbit_stop "$dir" || true
    fi
    _cloudbus_pg_stop "$dir" || true
    return 0
}
