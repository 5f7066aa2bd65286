#!/usr/bin/env bash
# Brings the whole CloudBus HA system up on this machine: private PostgreSQL and RabbitMQ, the
# five services (one HostAgent simulating four hosts, each with a simulated BMC), four registered
# hosts and six running VMs; then shows HA at work: one host loses its power, is investigated and
# fenced, and its HA-enabled VMs run again elsewhere.
#
#   ./up.sh           build, start everything, seed hosts and VMs, show a failover (idempotent)
#   ./up.sh ha        the same on the production-shaped topology: a 3-node RabbitMQ cluster
#                     (quorum queues), PostgreSQL under Patroni (2 nodes, 3 etcd members) and two
#                     instances of every control-plane service; its demo also kills (-9) a broker
#                     node and the PostgreSQL primary while the host fails
#   ./up.sh libvirt   the same demo on three hypervisor "hosts" on this machine, kvm-1..kvm-3: each
#                     an unprivileged libvirtd running QEMU domains (TCG), a watchdog emulator, its
#                     own HostAgent (Libvirt driver) and a simulated BMC whose power off kills that
#                     host's agent, libvirtd and qemu processes; five 64 MiB VMs, four HA-enabled.
#                     Its demo powers off (ipmitool chassis power off) the host running the most HA
#                     VMs and lists each host's domains from libvirt once they run elsewhere
#   ./up.sh --scale host-monitor=3,ha-orchestrator=2
#                     any of the above with that many instances of those control-plane services
#                     (node-registry, host-monitor, vm-lifecycle, ha-orchestrator; 1 to 9 each)
#   ./up.sh scale host-monitor=3
#                     start or stop instances of the running stack to have that many, and wait
#                     until NodeRegistry's ring of each service has them (cloudbus instance add|remove)
#   ./up.sh status    print services, hosts, VMs, incidents and service members
#   ./up.sh demo      power off the host running db-1 (libvirt: the most HA-enabled VMs) and follow
#                     HA until its VMs run elsewhere
#   ./up.sh down      stop everything and remove .run/
#
# State lives in .run/: topology (single, ha or libvirt), servers/ or ha-servers/ (databases,
# broker, env.sh), logs/NAME.log, pids/NAME.pid, ports.env (the services' ports), heartbeats/ (the
# hosts' heartbeat files), bmcs/ (the simulated BMCs), bmc-password (theirs, mode 600) and, for
# libvirt, kvm/HOST/ (the host's libvirtd folder, agent.pid and watchdog.sock).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD

# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/haservers.sh
source scripts/lib/haservers.sh
# shellcheck source=scripts/lib/bmcs.sh
source scripts/lib/bmcs.sh
# shellcheck source=scripts/lib/libvirt.sh
source scripts/lib/libvirt.sh
# shellcheck source=scripts/lib/prometheus.sh
source scripts/lib/prometheus.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RUN=$ROOT/.run
TOPOLOGY_FILE=$RUN/topology
LOGS=$RUN/logs
PIDS=$RUN/pids
PORTS_FILE=$RUN/ports.env
HEARTBEATS=$RUN/heartbeats
BMCS=$RUN/bmcs
BMC_PASSWORD_FILE=$RUN/bmc-password
KVM=$RUN/kvm
CLI_DLL=$ROOT/tools/Cli/bin/Release/net10.0/cloudbus.dll
# The libvirt topology's local CA and what it issued (cloudbus certs): mutual TLS with the agents.
CERTS=$RUN/certs
ADMIN_TOKEN=$RUN/admin.token
TIMEOUT=${CLOUDBUS_UP_TIMEOUT:-60}

CONTROL_PLANE=(node-registry host-monitor vm-lifecycle ha-orchestrator)
declare -A PROJECT=(
    [host-agent]=HostAgent
    [node-registry]=NodeRegistry
    [host-monitor]=HostMonitor
    [vm-lifecycle]=VmLifecycle
    [ha-orchestrator]=HaOrchestrator
    [console]=Console
)
HOSTS=(host-1 host-2 host-3 host-4)
CLUSTER='cluster-a'
# name cpuCores memoryMib haLevel restartPriority
VM_SPECS=(
    "web-1 2 4096 OnHostFailure 10"
    "web-2 2 4096 OnHostFailure 10"
    "db-1 4 8192 NeverStop 100"
    "cache-1 2 2048 OnHostFailure 50"
    "batch-1 1 2048 None 0"
    "batch-2 1 2048 None 0"
)
# The libvirt topology: its hosts (registered with this capacity) and VMs small enough for QEMU
# under TCG on a 2-core machine (a domain with no OS: 64 MiB, ~1 % of a core once booted).
KVM_HOSTS=(kvm-1 kvm-2 kvm-3)
KVM_HOST_CPU_CORES=8
KVM_HOST_MEMORY_MIB=2048
KVM_VM_SPECS=(
    "web-1 1 64 OnHostFailure 10"
    "web-2 1 64 OnHostFailure 10"
    "db-1 1 64 NeverStop 100"
    "cache-1 1 64 OnHostFailure 50"
    "batch-1 1 64 None 0"
)

# single: one broker node, one PostgreSQL, one instance of each service (what ./up.sh runs).
# ha: the topology of ./up.sh ha. libvirt: single's servers and control plane, an agent per libvirt
# host (host-agent-kvm-1, ...). Read from .run/topology once something is up.
use_topology() { # single|ha|libvirt
    local name i
    TOPOLOGY=$1
    SERVICES=(host-agent)
    # The simulated fleet serves every host from one loopback port over plain http; services are
    # allowed to call it so. Libvirt hosts speak mutual TLS instead (issue_certificates).
    AGENT_SCHEME=http
    [[ $TOPOLOGY != libvirt ]] || AGENT_SCHEME=https
    if [[ $TOPOLOGY == ha ]]; then
        SERVERS=$RUN/ha-servers
    elif [[ $TOPOLOGY == libvirt ]]; then
        SERVERS=$RUN/servers
        HOSTS=("${KVM_HOSTS[@]}")
        VM_SPECS=("${KVM_VM_SPECS[@]}")
        SERVICES=()
        for name in "${HOSTS[@]}"; do SERVICES+=("host-agent-$name"); done
    else
        SERVERS=$RUN/servers
    fi
    for name in "${CONTROL_PLANE[@]}"; do
        for ((i = 1; i <= $(instances_of "$name"); i++)); do SERVICES+=("$(instance_name "$name" "$i")"); done
    done
    # The web console reads the control plane; one instance is enough for the people looking.
    SERVICES+=(console)
}

# How many instances of each control-plane service run: 1 (ha: 2) unless --scale or
# `./up.sh scale` said otherwise (kept in .run/scale, one SERVICE=N per line).
declare -A SCALE=()
SCALE_FILE=$RUN/scale
MAX_INSTANCES=9 # instance names end in one digit (host-monitor-3)

instances_of() { # SERVICE
    local default=1
    [[ $TOPOLOGY != ha ]] || default=2
    printf '%s' "${SCALE[$1]:-$default}"
}

# Instance N of SERVICE: the first is the service's own name (host-monitor), the others numbered
# (host-monitor-2); on the ha topology all are numbered (host-monitor-1, host-monitor-2).
instance_name() { # SERVICE N
    if (($2 == 1)) && [[ $TOPOLOGY != ha ]]; then printf '%s' "$1"; else printf '%s-%s' "$1" "$2"; fi
}

load_scale() {
    local service count
    SCALE=()
    [[ -f $SCALE_FILE ]] || return 0
    while IFS='=' read -r service count; do
        [[ -z $service ]] || SCALE[$service]=$count
    done <"$SCALE_FILE"
}

save_scale() {
    local service
    for service in "${!SCALE[@]}"; do printf '%s=%s\n' "$service" "${SCALE[$service]}"; done >"$SCALE_FILE"
}

# Reads SERVICE=N[,SERVICE=N...] into SCALE; a bad entry ends the script saying what is allowed.
parse_scale() { # SPEC
    local entry service count
    local -a entries
    IFS=',' read -r -a entries <<<"$1"
    ((${#entries[@]} > 0)) || die "--scale needs SERVICE=N[,SERVICE=N...], e.g. --scale host-monitor=3,ha-orchestrator=2"
    for entry in "${entries[@]}"; do
        service=${entry%%=*} count=${entry#*=}
        [[ " ${CONTROL_PLANE[*]} " == *" $service "* ]] ||
            die "cannot scale '$service': the services that scale are ${CONTROL_PLANE[*]} (the host agent stands for the hypervisors)"
        [[ $entry == *=* && $count =~ ^[1-9]$ && $count -le $MAX_INSTANCES ]] ||
            die "'$entry': give the number of $service instances, 1 to $MAX_INSTANCES (SERVICE=N)"
        SCALE[$service]=$count
    done
}

load_topology() {
    load_scale
    use_topology "$(cat "$TOPOLOGY_FILE" 2>/dev/null || echo single)"
}

servers_start() {
    if [[ $TOPOLOGY == ha ]]; then cloudbus_ha_servers_start "$SERVERS"; else cloudbus_servers_start "$SERVERS"; fi
}

servers_running() {
    if [[ $TOPOLOGY == ha ]]; then cloudbus_ha_servers_running "$SERVERS"; else cloudbus_servers_running "$SERVERS"; fi
}

servers_stop() {
    if [[ $TOPOLOGY == ha ]]; then cloudbus_ha_servers_stop "$SERVERS"; else cloudbus_servers_stop "$SERVERS"; fi
}

say() { printf '==> %s\n' "$*"; }
warn() { printf 'up.sh: %s\n' "$*" >&2; }
die() { # MESSAGE [LOG...]
    local msg=$1 f
    shift
    warn "$msg"
    for f in "$@"; do
        if [[ -f $f ]]; then
            cloudbus_tail_log "$f" 30
        else # the ha topology logs each instance apart: NAME-1.log, NAME-2.log
            for g in "${f%.log}"-[12].log; do
                if [[ -f $g ]]; then cloudbus_tail_log "$g" 30; fi
            done
        fi
    done
    warn "logs are in $LOGS; stop everything with ./up.sh down"
    exit 1
}

dll_of() { # NAME (an instance name such as vm-lifecycle-2 or host-agent-kvm-1 runs its service's project)
    local p
    if [[ $1 == host-agent-* ]]; then p=HostAgent; else p=${PROJECT[${1%-[0-9]}]}; fi
    printf '%s/services/%s/bin/Release/net10.0/CloudBus.%s.dll' "$ROOT" "$p" "$p"
}

port_var() { # NAME -> HOST_AGENT_PORT
    local v=${1//-/_}
    printf '%s_PORT' "${v^^}"
}

port_of() { # NAME
    local v
    v=$(port_var "$1")
    printf '%s' "${!v:-}"
}

url_of() { # NAME
    local scheme=http
    [[ $1 != host-agent-* ]] || scheme=$AGENT_SCHEME
    printf '%s://127.0.0.1:%s' "$scheme" "$(port_of "$1")"
}

load_ports() {
    if [[ -f $PORTS_FILE ]]; then
        # shellcheck disable=SC1090  # written by this script at run time: nothing to follow
        source "$PORTS_FILE"
    fi
}

load_servers_env() {
    if [[ -f $SERVERS/env.sh ]]; then
        # shellcheck disable=SC1091  # written by cloudbus_servers_start at run time
        source "$SERVERS/env.sh"
    fi
}

# ---------------------------------------------------------------------------------------------
# libvirt hosts (the libvirt topology): per host a libvirtd (scripts/lib/libvirt.sh) in kvm/HOST/,
# a watchdog emulator (tools/WatchdogEmulator) and an agent, service host-agent-HOST
# ---------------------------------------------------------------------------------------------

WATCHDOG_DLL=$ROOT/tools/WatchdogEmulator/bin/Release/net10.0/CloudBus.WatchdogEmulator.dll

kvm_dir() { # HOST
    printf '%s/%s' "$KVM" "$1"
}

kvm_uri() { # HOST
    printf 'qemu:///session?socket=%s' "$(cloudbus_libvirtd_socket "$(kvm_dir "$1")")"
}

# virsh on HOST's libvirtd; never one that virsh would start itself when that one is gone.
kvm_virsh() { # HOST VIRSH_ARG...
    local host=$1
    shift
    LIBVIRT_AUTOSTART=0 timeout 10 virsh -c "$(kvm_uri "$host")" "$@"
}

libvirtd_answers() { # HOST
    kvm_virsh "$1" -q uri >/dev/null 2>&1
}

# The pid of HOST's watchdog emulator if it runs (and is really that one), else nothing.
watchdog_pid() { # HOST
    local pid
    pid=$(cat "$PIDS/watchdog-$1.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    cloudbus_pid_alive "$pid" || return 1
    grep -qaF -- "$(kvm_dir "$1")/watchdog.sock" "/proc/$pid/cmdline" 2>/dev/null || return 1
    printf '%s' "$pid"
}

kvm_host_up() { # HOST
    watchdog_pid "$1" >/dev/null && libvirtd_answers "$1"
}

# Stops the watchdog emulators of HOSTs (default: all). Before their agents stop: an agent that no
# longer pets its watchdog gets its host reset (agent, libvirtd and qemus killed).
stop_watchdogs() { # [HOST...]
    local f host pid
    local -a hosts=("$@") pids=()
    if ((${#hosts[@]} == 0)); then
        for f in "$PIDS"/watchdog-*.pid; do
            [[ -f $f ]] || continue
            host=${f##*/watchdog-}
            hosts+=("${host%.pid}")
        done
    fi
    for host in "${hosts[@]}"; do
        if pid=$(watchdog_pid "$host"); then pids+=("$pid"); fi
        rm -f "$PIDS/watchdog-$host.pid"
    done
    if ((${#pids[@]} > 0)); then
        say "stopping watchdog emulators (pids ${pids[*]})"
        cloudbus_kill_pids 10 "${pids[@]}"
    fi
}

# Stops every libvirtd under kvm/ with its QEMU domains and virtlogd.
stop_libvirtds() {
    local dir
    local -a dirs=()
    for dir in "$KVM"/*/; do
        [[ -f $dir/libvirtd.pid ]] && dirs+=("${dir%/}")
    done
    ((${#dirs[@]} > 0)) || return 0
    say "stopping ${#dirs[@]} libvirtds and their QEMU domains"
    for dir in "${dirs[@]}"; do
        cloudbus_libvirtd_stop "$dir" || warn "could not stop the libvirtd under $dir"
    done
}

# What a libvirt host runs besides its agent: its libvirtd (kept if it answers: its domains keep
# running) and a fresh watchdog emulator (an old one may still count down an agent that died with
# its host). Both in sessions of their own, as the services: a Ctrl-C here does not stop them.
start_kvm_host() { # HOST
    local host=$1 dir reset pid deadline
    dir=$(kvm_dir "$host")
    stop_watchdogs "$host"
    mkdir -p "$dir"
    if ! libvirtd_answers "$host"; then
        cloudbus_libvirtd_stop "$dir" >/dev/null 2>&1 || true # what is left of a host that lost its power
        # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
        if ! setsid bash -c 'source "$1" && cloudbus_libvirtd_start "$2"' _ "$ROOT/scripts/lib/libvirt.sh" "$dir" \
            >/dev/null 2>>"$LOGS/libvirtd-$host.log"; then
            die "the libvirtd of $host did not start" "$LOGS/libvirtd-$host.log" "$dir/libvirtd.log"
        fi
    fi
    rm -f "$dir/watchdog.sock"
    [[ -f $WATCHDOG_DLL ]] || die "$WATCHDOG_DLL does not exist after the build" "$LOGS/build.log"
    # When not petted it cuts the host's power as its BMC does.
    printf -v reset 'source %q && cloudbus_host_power_off %q' "$ROOT/scripts/lib/libvirt.sh" "$dir"
    printf '===== %s: watchdog emulator of %s =====\n' "$(date -Is)" "$host" >>"$LOGS/watchdog-$host.log"
    (exec setsid dotnet "$WATCHDOG_DLL" --socket "$dir/watchdog.sock" --reset "$reset") >>"$LOGS/watchdog-$host.log" 2>&1 </dev/null &
    pid=$!
    disown "$pid" 2>/dev/null || true
    printf '%s\n' "$pid" >"$PIDS/watchdog-$host.pid"
    deadline=$((SECONDS + TIMEOUT))
    until [[ -S $dir/watchdog.sock ]]; do
        cloudbus_pid_alive "$pid" || die "the watchdog emulator of $host exited while starting" "$LOGS/watchdog-$host.log"
        ((SECONDS < deadline)) || die "the watchdog emulator of $host does not listen after $TIMEOUT s" "$LOGS/watchdog-$host.log"
        sleep 0.2
    done
    printf '  %-16s libvirtd at %s, watchdog emulator pid %s\n' "$host" "$(kvm_uri "$host")" "$pid"
}

# The pid of service NAME if it runs (and is really that service), else nothing.
service_pid() { # NAME
    local pid
    pid=$(cat "$PIDS/$1.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    cloudbus_pid_alive "$pid" || return 1
    grep -qaF -- "$(dll_of "$1")" "/proc/$pid/cmdline" 2>/dev/null || return 1
    printf '%s' "$pid"
}

http_code() { # URL
    local -a trust=()
    [[ $1 != https://* ]] || trust=(--cacert "$CERTS/ca.crt")
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${trust[@]}" "$1" 2>/dev/null || true
}

service_ready() { # NAME
    [[ -n $(port_of "$1") ]] || return 1
    [[ $(http_code "$(url_of "$1")/health/ready") == 200 ]]
}

all_up() {
    local name
    [[ -d $RUN ]] || return 1
    servers_running || return 1
    if [[ $TOPOLOGY == libvirt ]]; then
        for name in "${HOSTS[@]}"; do kvm_host_up "$name" || return 1; done
    fi
    load_ports
    for name in "${SERVICES[@]}"; do
        service_pid "$name" >/dev/null || return 1
        service_ready "$name" || return 1
    done
}

# The local CA of the libvirt topology (made once, kept in .run/certs), a certificate for each
# libvirt host's agent and one for each service that calls agents: `cloudbus certs`, as an
# operator issues them for real hosts (README, "Security").
issue_certificates() {
    local host service
    [[ -f $CERTS/ca.crt ]] || dotnet "$CLI_DLL" certs init --dir "$CERTS" >>"$LOGS/certs.log" 2>&1 ||
        die "cloudbus certs init failed" "$LOGS/certs.log"
    for host in "${HOSTS[@]}"; do
        [[ -f $CERTS/host-$host.crt ]] || dotnet "$CLI_DLL" certs host "$host" --dir "$CERTS" --address 127.0.0.1 >>"$LOGS/certs.log" 2>&1 ||
            die "cloudbus certs host $host failed" "$LOGS/certs.log"
    done
    for service in HostMonitor VmLifecycle HaOrchestrator; do
        [[ -f $CERTS/service-$service.crt ]] || dotnet "$CLI_DLL" certs service "$service" --dir "$CERTS" >>"$LOGS/certs.log" 2>&1 ||
            die "cloudbus certs service $service failed" "$LOGS/certs.log"
    done
    echo "  CA and certificates in .run/certs (agents serve https; services present their own certificate)"
}

# How a control-plane service (its project name) calls agents, one setting per line: with its own
# certificate on libvirt hosts, over plain http to the simulated fleet.
agent_client_settings() { # PROJECT
    if [[ $AGENT_SCHEME == https ]]; then
        printf '%s\n' "AgentClient__CaFile=$CERTS/ca.crt" "AgentClient__CertificateFile=$CERTS/service-$1.crt" \
            "AgentClient__KeyFile=$CERTS/service-$1.key"
    else
        printf '%s\n' "AgentClient__AllowPlainHttp=true"
    fi
}

# Where the console finds each service: every instance, comma-separated (it asks the next when one
# does not answer, so instances ./up.sh scale removes later are passed over).
console_settings() {
    local service i
    local -a urls
    for service in "${CONTROL_PLANE[@]}"; do
        urls=()
        for ((i = 1; i <= $(instances_of "$service"); i++)); do urls+=("$(url_of "$(instance_name "$service" "$i")")"); done
        printf 'Console__Services__%s=%s\n' "${service//-/_}" "$(IFS=, && echo "${urls[*]}")"
    done
}

# The console's address with a viewer token in its fragment (the browser keeps it; it is never
# sent to a server), kept in .run/viewer.token.
console_url() {
    mint_token "$RUN/viewer.token" viewer console || return 1
    printf '%s/#token=%s' "$(url_of console)" "$(cat "$RUN/viewer.token")"
}

# The operator's command line on this stack (tools/Cli, built by cmd_up).
cloudbus() {
    dotnet "$CLI_DLL" --stack "$ROOT" "$@"
}

# A token in FILE (mode 600), minted by `cloudbus token mint` with the servers' signing key for
# two days and renewed daily; written whole or not at all (a reader never sees half a token).
mint_token() { # FILE ROLE SUBJECT
    if [[ -s $1 && -n $(find "$1" -mmin -1440 2>/dev/null) ]]; then return 0; fi
    load_servers_env
    [[ -n ${Auth__SigningKeyFile:-} && -f $CLI_DLL ]] || return 1
    (umask 077 && dotnet "$CLI_DLL" token mint --key-file "$Auth__SigningKeyFile" --role "$2" --subject "$3" \
        --valid-for 2.00:00:00 >"$1.new" && mv -f "$1.new" "$1")
}

# An admin token for this script's calls and for the operator's (.run/admin.token, which
# cloudbus finds by itself).
ensure_token() {
    mint_token "$ADMIN_TOKEN" admin up.sh
}

table() {
    if command -v column >/dev/null 2>&1; then
        column -t -s $'\t'
    else
        cat
    fi
}

# ---------------------------------------------------------------------------------------------
# metrics: a local Prometheus (.run/prometheus) scraping /metrics of every instance in ports.env
# ---------------------------------------------------------------------------------------------

PROMETHEUS=$RUN/prometheus
PROMETHEUS_TOKEN=$RUN/prometheus.token

# A viewer token for Prometheus's scrapes (/metrics is a read, like every route it needs a token),
# minted like the admin token and renewed daily; Prometheus reads the file at every scrape.
prometheus_token() {
    mint_token "$PROMETHEUS_TOKEN" viewer prometheus
}

# Starts Prometheus (or keeps it running) and points it at the instances in ports.env: called again
# whenever the instances change, it rewrites the targets file, which Prometheus reads by itself.
prometheus_up() {
    prometheus_token || return 1
    cloudbus_prometheus_configure "$PROMETHEUS" "$PROMETHEUS_TOKEN" &&
        cloudbus_prometheus_targets_from_ports "$PROMETHEUS" "$PORTS_FILE" &&
        cloudbus_prometheus_start "$PROMETHEUS"
}

prometheus_status() {
    echo "Metrics"
    if cloudbus_prometheus_running "$PROMETHEUS"; then
        cloudbus_prometheus_targets_from_ports "$PROMETHEUS" "$PORTS_FILE" || true
        echo "  Prometheus           $(cloudbus_prometheus_url "$PROMETHEUS")  (targets: /targets; data in .run/prometheus)"
    else
        echo "  Prometheus           not running (./up.sh starts it)"
    fi
    echo "  Each service         <service URL>/metrics with a viewer token (.run/prometheus.token)"
    echo "  Grafana dashboard    deploy/grafana/cloudbus-ha.json (README, Metrics)"
}

# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------

cmd_status() {
    local name pid ready rows power domains watchdog bmc ok=1
    if [[ ! -d $RUN ]]; then
        echo "CloudBus is not up (no .run/). Start it with ./up.sh"
        return 1
    fi
    load_ports
    load_servers_env

    echo
    echo "Services"
    rows=$'SERVICE\tPID\tURL\tREADY\tLOG\n'
    for name in "${SERVICES[@]}"; do
        pid=$(service_pid "$name") || pid=-
        if [[ $pid != - ]] && service_ready "$name"; then ready=yes; else ready=no ok=0; fi
        rows+=$(printf '%s\t%s\t%s\t%s\t%s' "$name" "$pid" "$(url_of "$name")" "$ready" ".run/logs/$name.log")$'\n'
    done
    printf '%s' "$rows" | table

    # The control plane's own view, through the operator's command line (cloudbus, tools/Cli): it
    # finds the services in .run/ports.env and the token in .run/admin.token.
    ensure_token || warn "could not mint an admin token: the lists below will be refused"
    echo
    echo "Hosts"
    cloudbus hosts || ok=0
    echo
    echo "VMs"
    cloudbus vms || ok=0
    echo
    echo "Incidents (latest first; cloudbus incident show ID prints one's timeline)"
    cloudbus incidents || ok=0
    echo
    echo "Service instances"
    cloudbus ring || ok=0
    echo
    echo "Web console: $(console_url || echo "(no viewer token could be minted)")"

    if [[ $TOPOLOGY == libvirt ]]; then
        echo
        echo "Libvirt hosts (domains from libvirt itself: ./up.sh demo lists them)"
        rows=$'HOST\tPOWER\tDOMAINS\tWATCHDOG\tBMC\tLIBVIRT URI\n'
        for name in "${HOSTS[@]}"; do
            power=off domains=-
            cloudbus_host_powered "$(kvm_dir "$name")" 2>/dev/null && power=on
            if libvirtd_answers "$name"; then
                domains=$(kvm_virsh "$name" -q list --name 2>/dev/null | grep -c . || true)
            fi
            watchdog=$(watchdog_pid "$name") || watchdog=-
            bmc=$(bmc_of "$name" 2>/dev/null) || true
            rows+=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$name" "$power" "$domains" "$watchdog" "${bmc:--}" "$(kvm_uri "$name")")$'\n'
        done
        printf '%s' "$rows" | table
    fi

    echo
    echo "Servers"
    if [[ $TOPOLOGY == ha ]]; then
        scripts/ha-servers.sh "$SERVERS" status | sed 's/^/  /' || ok=0
        echo "  RabbitMQ management  http://127.0.0.1:${RabbitMq__ManagementPort:-}  (user cloudbus, password in ${RabbitMq__PasswordFile:-the file RabbitMq__PasswordFile names})"
        echo "  RabbitMQ AMQP nodes  ${RabbitMq__ClusterNodes:-}"
        echo "  PostgreSQL           ${Postgres__ConnectionString:-}"
        echo "  Service accounts     each service its own broker user (cloudbus-NAME) and role (cloudbus_NAME); passwords in .run/ha-servers/accounts/"
        echo "  Settings             source .run/ha-servers/env.sh"
    elif [[ -n ${RabbitMq__ManagementPort:-} ]]; then
        echo "  RabbitMQ management  http://127.0.0.1:$RabbitMq__ManagementPort  (user cloudbus, password in ${RabbitMq__PasswordFile:-the file RabbitMq__PasswordFile names})"
        echo "  RabbitMQ AMQP        amqp://127.0.0.1:${RabbitMq__Port:-}/cloudbus"
        echo "  PostgreSQL           ${Postgres__ConnectionString:-}  (password in ${Postgres__PasswordFile:-the file Postgres__PasswordFile names})"
        echo "  Service accounts     each service its own broker user (cloudbus-NAME) and role (cloudbus_NAME); passwords in .run/servers/accounts/"
        echo "  Settings             source .run/servers/env.sh"
    else
        echo "  (not started)"
    fi
    echo
    prometheus_status
    echo
    ((ok)) || return 1
}

# ---------------------------------------------------------------------------------------------
# scale
# ---------------------------------------------------------------------------------------------

# Changes how many instances of control-plane services run, while the stack runs: instances no
# longer wanted are stopped (the newest first; they leave their rings as they go), new ones start
# with the same settings as the others and join the rings; then each service's ring is awaited.
cmd_scale() { # SERVICE=N[,SERVICE=N...]
    local name
    local -a before gone=()
    [[ -n ${1:-} ]] || die "usage: ./up.sh scale SERVICE=N[,SERVICE=N...] (services: ${CONTROL_PLANE[*]})"
    all_up || die "CloudBus is not up: start it with ./up.sh --scale $1"
    load_servers_env
    before=("${SERVICES[@]}")
    parse_scale "$1"
    use_topology "$TOPOLOGY"
    save_scale
    for name in "${before[@]}"; do
        [[ " ${SERVICES[*]} " == *" $name "* ]] || gone+=("$name")
    done
    ((${#gone[@]} == 0)) || stop_services "${gone[@]}"
    assign_ports
    for name in "${SERVICES[@]}"; do
        service_pid "$name" >/dev/null || start_service "$name"
    done
    wait_ready
    wait_rings
    # Prometheus reads its targets file by itself: rewritten, the new instances are scraped.
    prometheus_up || warn "Prometheus's targets could not be updated (.run/prometheus/prometheus.log)"
    cloudbus ring
}

# Waits until NodeRegistry's ring of each control-plane service has as many members as run.
wait_rings() {
    local deadline=$((SECONDS + TIMEOUT)) service members
    for service in "${CONTROL_PLANE[@]}"; do
        until members=$(cloudbus ring "$service" --json 2>/dev/null | jq '.[0].members | length') &&
            ((members == $(instances_of "$service"))); do
            ((SECONDS < deadline)) || die "the ring of $service has ${members:-no} members, not $(instances_of "$service")" "$LOGS"/node-registry*.log
            sleep 0.5
        done
    done
    echo "  every ring has its instances"
}

# ---------------------------------------------------------------------------------------------
# down
# ---------------------------------------------------------------------------------------------

stop_services() { # [NAME...] (default: all this topology runs, and any other instance with a pid file)
    local name pid file
    local -a pids=() names=("$@")
    if ((${#names[@]} == 0)); then
        names=("${SERVICES[@]}")
        for file in "$PIDS"/*.pid; do
            [[ -f $file ]] || continue
            name=$(basename "$file" .pid)
            [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
        done
    fi
    for name in "${names[@]}"; do
        if pid=$(service_pid "$name"); then
            pids+=("$pid")
        fi
        rm -f "$PIDS/$name.pid"
    done
    if ((${#pids[@]} > 0)); then
        say "stopping services (pids ${pids[*]})"
        cloudbus_kill_pids 20 "${pids[@]}"
    fi
}

cmd_down() {
    if [[ ! -d $RUN ]]; then
        echo "CloudBus is not up (no .run/): nothing to stop"
        return 0
    fi
    stop_watchdogs
    stop_services
    stop_libvirtds
    cloudbus_bmcs_stop "$BMCS" >/dev/null 2>&1 || true
    cloudbus_prometheus_stop "$PROMETHEUS"
    say "stopping PostgreSQL and RabbitMQ"
    servers_stop
    rm -rf "$RUN"
    cloudbus_forget_ports
    say "CloudBus is down (.run/ removed)"
}

# ---------------------------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------------------------

# On the ha topology, while a host fails: kills (-9, as a machine loss) RabbitMQ node 1, the
# PostgreSQL primary and the first HaOrchestrator instance; restore_control_plane restarts them.
KILLED_PG_NODE=
break_control_plane() {
    say "demo: killing (-9) RabbitMQ node 1, the PostgreSQL primary and ha-orchestrator-1 too"
    scripts/ha-servers.sh "$SERVERS" kill-rabbit 1 || die "cannot kill RabbitMQ node 1"
    KILLED_PG_NODE=$(scripts/ha-servers.sh "$SERVERS" pg-primary) || die "no PostgreSQL primary to kill"
    scripts/ha-servers.sh "$SERVERS" kill-pg "$KILLED_PG_NODE" || die "cannot kill PostgreSQL node $KILLED_PG_NODE"
    cloudbus_kill_pids 0 "$(service_pid ha-orchestrator-1)" || true
    echo "  killed RabbitMQ node 1, PostgreSQL node $KILLED_PG_NODE (the primary) and ha-orchestrator-1"
}

restore_control_plane() {
    say "demo: restarting what was killed (they rejoin by themselves)"
    scripts/ha-servers.sh "$SERVERS" start-rabbit 1 >>"$LOGS/ha-servers.log" 2>&1 || die "RabbitMQ node 1 did not restart" "$LOGS/ha-servers.log"
    scripts/ha-servers.sh "$SERVERS" start-pg "$KILLED_PG_NODE" >>"$LOGS/ha-servers.log" 2>&1 ||
        die "PostgreSQL node $KILLED_PG_NODE did not restart" "$LOGS/ha-servers.log"
    start_service ha-orchestrator-1
    wait_ready
    scripts/ha-servers.sh "$SERVERS" status | sed 's/^/  /'
}

# The libvirt topology's power cut, as an operator would: through the host's BMC, whose chassis
# hook (deploy/bmc/libvirt-chassis-hook.sh) kills the host's agent, libvirtd and qemu processes.
bmc_power_off() { # HOST
    local host=$1 port out
    port=$(awk -F'\t' -v h="$host" '$1 == h { print $3 }' "$BMCS/bmcs.tsv" 2>/dev/null)
    [[ -n $port ]] || die "no BMC of $host in $BMCS/bmcs.tsv"
    echo "  IPMI_PASSWORD=\$(cat .run/bmc-password) ipmitool -I lanplus -H 127.0.0.1 -p $port -U $CLOUDBUS_BMC_USERNAME -E -C 3 chassis power off"
    if ! out=$(IPMI_PASSWORD=$(<"$BMC_PASSWORD_FILE") timeout 20 ipmitool -I lanplus -H 127.0.0.1 -p "$port" \
        -U "$CLOUDBUS_BMC_USERNAME" -E -C 3 chassis power off 2>&1); then
        die "the BMC of $host did not power it off: $out" "$BMCS/$host/ipmi_sim.log"
    fi
    echo "  $out"
    if cloudbus_host_powered "$(kvm_dir "$host")"; then
        die "$host still runs processes after its BMC powered it off" "$BMCS/$host/ipmi_sim.log"
    fi
    echo "  $host's agent, libvirtd and qemu processes are gone"
}

# Waits until libvirt itself runs each HA-enabled VM of VICTIMS that the control plane says runs
# on another host than HOST as a domain (named by its VM id) there. (One HA gave up on was named.)
wait_domains_elsewhere() { # HOST VICTIMS
    local deadline=$((SECONDS + TIMEOUT)) id on
    local -a missing
    while :; do
        missing=()
        while read -r id on; do
            kvm_virsh "$on" -q list --name 2>/dev/null | grep -qxF "$id" || missing+=("$id on $on")
        done < <(cloudbus vms --json | jq -r --argjson v "$2" --arg h "$1" '
            .[] | select((.vmId as $id | $v | any(.vmId == $id and .haLevel != "None")) and .state == "Running" and .hostId != $h)
            | "\(.vmId) \(.hostId)"')
        if ((${#missing[@]} == 0)); then
            echo "  libvirt runs each HA-enabled VM of $1 that HA restarted as a QEMU domain on another host"
            return 0
        fi
        ((SECONDS < deadline)) || die "after $TIMEOUT s libvirt does not run: ${missing[*]}" "$LOGS"/host-agent-*.log
        sleep 0.5
    done
}

# Each host's domains as libvirt lists them, with the name of the VM each runs.
show_domains() {
    local host map
    map=$(cloudbus vms --json | jq -r '[.[] | "\(.vmId)=\(.name)"] | join(" ")')
    echo "  QEMU domains per host, from libvirt (virsh -c URI list; a domain is named by its VM id):"
    for host in "${HOSTS[@]}"; do
        echo "    $host: virsh -c '$(kvm_uri "$host")' list"
        if ! libvirtd_answers "$host"; then
            echo "      (no libvirtd answers: $host is powered off)"
            continue
        fi
        kvm_virsh "$host" list | awk -v map="$map" '
            BEGIN { n = split(map, pairs, " "); for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); name[kv[1]] = kv[2] } }
            NF == 0 { next }
            { line = $0; if ($2 in name) line = line "   (" name[$2] ")"; print "      " line }'
    done
}

# Cuts the power of the host running db-1 (or any HA-enabled VM) and follows HA: the host is
# suspected, investigated through its neighbours' view of its storage heartbeat, fenced through
# its BMC, and its HA-enabled VMs start elsewhere. Then the host gets its power back. On the ha
# topology a broker node, the database primary and an orchestrator instance die at the same time.
# On the libvirt topology the host running the most HA-enabled VMs is powered off through its BMC,
# each step of HA is printed as it happens, and libvirt shows the domains running elsewhere; the
# host is started again by this script (its BMC cannot power it on).
cmd_demo() {
    local host vms victims pending status code timeout=$TIMEOUT
    all_up || die "CloudBus is not up: start it with ./up.sh"
    load_servers_env # the settings an instance restarted after the demo needs
    ensure_token || die "could not mint an admin token with tools/Cli (cloudbus token mint)"
    vms=$(cloudbus vms --json) || die "cannot list the VMs" "$LOGS"/vm-lifecycle*.log
    if [[ $TOPOLOGY == libvirt ]]; then
        host=$(jq -r '[.[] | select(.state == "Running" and .haLevel != "None")] | group_by(.hostId)
            | max_by(length) | .[0].hostId // empty' <<<"$vms")
    else
        host=$(jq -r 'first(.[] | select(.name == "db-1" and .state == "Running") | .hostId) // empty' <<<"$vms")
        [[ -n $host ]] || host=$(jq -r 'first(.[] | select(.state == "Running" and .haLevel != "None") | .hostId) // empty' <<<"$vms")
    fi
    [[ -n $host ]] || die "no running HA-enabled VM to show a failover with"
    victims=$(jq -c --arg h "$host" '[.[] | select(.hostId == $h and .state == "Running")]' <<<"$vms")

    say "demo: cutting the power of $host, which runs $(jq -r '[.[] | "\(.name) (\(.haLevel))"] | join(", ")' <<<"$victims")"
    if [[ $TOPOLOGY == libvirt ]]; then
        bmc_power_off "$host"
    else
        echo "  cloudbus sim power-off $host"
        cloudbus sim power-off "$host" >/dev/null || die "cannot power off $host" "$LOGS/host-agent.log"
    fi
    if [[ $TOPOLOGY == ha ]]; then
        break_control_plane
        # A database failover takes ~10 s and the broker clients reconnect: allow for both.
        timeout=$((2 * TIMEOUT))
    fi
    # HA's own account of it, step by step as it happens: suspected, each neighbour's reading, the
    # verdict, the fence, each VM placed and running (the watch asks again while parts are down).
    say "demo: following HA: cloudbus incident show --host $host --watch"
    code=0
    cloudbus incident show --host "$host" --watch --timeout "$timeout" 2>&1 | sed 's/^/  /' || code=$?
    ((code == 0)) || die "after $timeout s HA has not finished with $host (cloudbus exited $code)" "$LOGS"/ha-orchestrator*.log
    status=$(cloudbus incident show --host "$host" --json | jq -r '.status')

    vms=$(cloudbus vms --json)
    # Each HA-enabled VM runs on another host and each other VM is Stopped.
    pending=$(jq --argjson v "$victims" --arg h "$host" '
        . as $all | [ $v[] as $x | (first($all[] | select(.vmId == $x.vmId)) // null) as $now
          | select($now == null
                   or (if $x.haLevel == "None" then $now.state != "Stopped" else ($now.state != "Running" or $now.hostId == $h) end)) ]
        | length' <<<"$vms")
    echo "  $host's VMs now (cloudbus vms):"
    jq -r --argjson v "$victims" '.[] | select(.vmId as $id | $v | any(.vmId == $id))
        | "    \(.name) (\(.haLevel)): \(.state) on \(.hostId // "no host")"' <<<"$vms"
    if [[ $status == RestartsFailed ]]; then
        # A restart can end without the VM running: say why.
        warn "HA gave up restarting a VM of $host (cloudbus restarts):"
        cloudbus restarts --json | jq -r --argjson v "$victims" '.[] | select((.vmId as $id | $v | any(.vmId == $id))
            and (.status == "Quarantined" or .status == "Failed")) | "    VM \(.vmId): \(.status): \(.lastError)"' >&2
        warn "a VM restarted 3 times within 10 min (Ha__QuarantineAfterRestarts) is quarantined for an operator (running the demo often does that):" \
            "start it with cloudbus vm start ID"
    elif ((pending > 0)); then
        die "the incident of $host ended $status, but $pending of its VMs are not where HA should have left them" "$LOGS"/ha-orchestrator*.log
    fi

    if [[ $TOPOLOGY == libvirt ]]; then
        wait_domains_elsewhere "$host" "$victims"
        show_domains
        say "demo: starting $host again (libvirtd, watchdog emulator, agent; its BMC cannot power it on)"
        start_kvm_host "$host"
        start_service "host-agent-$host"
        wait_ready
    else
        say "demo: giving $host its power back"
        echo "  cloudbus sim power-on $host"
        cloudbus sim power-on "$host" >/dev/null || die "cannot power on $host" "$LOGS/host-agent.log"
    fi
    wait_host_connected "$host"
    echo "  $host is Connected again (its VMs stay where HA restarted them)"
    if [[ $TOPOLOGY == ha ]]; then restore_control_plane; fi
    [[ $status != RestartsFailed ]]
}

# Waits until VmLifecycle (which follows HostMonitor's pings) has HOST Connected.
wait_host_connected() { # HOST
    local deadline=$((SECONDS + TIMEOUT))
    until [[ $(cloudbus host show "$1" --json 2>/dev/null | jq -r '.status // empty') == Connected ]]; do
        ((SECONDS < deadline)) || die "$1 is not Connected $TIMEOUT s after power-on" "$LOGS"/host-monitor*.log
        sleep 0.5
    done
}

# ---------------------------------------------------------------------------------------------
# up
# ---------------------------------------------------------------------------------------------

port_busy() { # PORT
    [[ -n $(ss -Hltn "( sport = :$1 )" 2>/dev/null) ]]
}

# Every port this topology needs: one per service, and the simulated fleet's back door (power,
# faults, audit), which listens on a loopback port of its own beside the agent's.
port_names() {
    printf '%s\n' "${SERVICES[@]}"
    [[ " ${SERVICES[*]} " != *" host-agent "* ]] || printf 'back-door\n'
}

# Whether NAME's port is held by NAME itself (the back door: by the simulated fleet's agent).
port_ours() { # NAME
    if [[ $1 == back-door ]]; then service_pid host-agent >/dev/null; else service_pid "$1" >/dev/null; fi
}

assign_ports() {
    local name var port
    local -a names
    mapfile -t names < <(port_names)
    load_ports
    for name in "${names[@]}"; do
        var=$(port_var "$name")
        port=${!var:-}
        # Keep a recorded port (hosts are registered with the agent's address) unless another
        # program took it (while ./up.sh scale runs, the running instances hold theirs).
        if [[ -z $port ]] || { port_busy "$port" && ! port_ours "$name"; }; then
            [[ -z $port ]] || warn "port $port of $name is taken by another program; picking a new one"
            cloudbus_free_port port || die "no free port for $name"
        fi
        printf -v "$var" '%s' "$port"
    done
    {
        echo "# Written by up.sh: ports of the CloudBus services"
        for name in "${names[@]}"; do
            var=$(port_var "$name")
            printf '%s=%s\n' "$var" "${!var}"
        done
        for name in "${names[@]}"; do
            var=$(port_var "$name")
            printf '%s_URL=%s\n' "${var%_PORT}" "$(url_of "$name")"
        done
    } >"$PORTS_FILE"
}

start_service() { # NAME
    local name=$1 dll pid hosts_csv host=
    local -a envs
    hosts_csv=$(IFS=, && echo "${HOSTS[*]}")
    dll=$(dll_of "$name")
    [[ -f $dll ]] || die "$dll does not exist after the build" "$LOGS/build.log"
    envs=("ASPNETCORE_URLS=$(url_of "$name")")
    if [[ $name == host-agent ]]; then
        envs+=(
            "Simulated__Hosts=$hosts_csv"
            "Simulated__Cluster=$CLUSTER"
            "Simulated__CpuCores=16"
            "Simulated__MemoryMib=32768"
            "Simulated__HeartbeatDirectory=$HEARTBEATS"
            "Simulated__BackDoorPort=$(port_of back-door)"
        )
    elif [[ $name == host-agent-* ]]; then
        # One libvirt host's agent: its libvirtd, its watchdog, the heartbeat folder all hosts share.
        host=${name#host-agent-}
        envs+=(
            "HostAgent__Driver=Libvirt"
            "HostAgent__HostId=$host"
            "HostAgent__LibvirtUri=$(kvm_uri "$host")"
            "HostAgent__HeartbeatDirectory=$HEARTBEATS"
            "HostAgent__WatchdogDevice=unix:$(kvm_dir "$host")/watchdog.sock"
            "HostAgent__Tls__CaFile=$CERTS/ca.crt"
            "HostAgent__Tls__CertificateFile=$CERTS/host-$host.crt"
            "HostAgent__Tls__KeyFile=$CERTS/host-$host.key"
        )
    elif [[ ${name%-[0-9]} == ha-orchestrator ]]; then
        envs+=("Fencing__BmcPasswordFile=$BMC_PASSWORD_FILE")
    elif [[ $name == console ]]; then
        mapfile -t -O "${#envs[@]}" envs < <(console_settings)
    fi
    if [[ $name != host-agent* && $name != node-registry* && $name != console ]]; then # the services that call agents
        mapfile -t -O "${#envs[@]}" envs < <(agent_client_settings "${PROJECT[${name%-[0-9]}]}")
    fi
    if [[ $name != host-agent* && $name != console ]]; then # its own broker user and database role
        mapfile -t -O "${#envs[@]}" envs < <(cloudbus_service_account_settings "$SERVERS" "${name%-[0-9]}")
    fi
    printf '===== %s: starting %s on %s =====\n' "$(date -Is)" "$name" "$(url_of "$name")" >>"$LOGS/$name.log"
    # Run from the output folder so that appsettings.json is found (content root = current folder).
    # Own session: closing the terminal or a Ctrl-C does not stop the services; ./up.sh down does.
    (cd "$(dirname "$dll")" && exec setsid env "${envs[@]}" dotnet "$dll") >>"$LOGS/$name.log" 2>&1 </dev/null &
    pid=$!
    disown "$pid" 2>/dev/null || true # no "Aborted" job notices from this shell; the log says why
    printf '%s\n' "$pid" >"$PIDS/$name.pid"
    # A power cut (its BMC, its watchdog) kills a libvirt host's agent too.
    [[ -z $host ]] || printf '%s\n' "$pid" >"$(kvm_dir "$host")/agent.pid"
    printf '  %-16s pid %-7s %s\n' "$name" "$pid" "$(url_of "$name")"
}

wait_ready() {
    local deadline=$((SECONDS + TIMEOUT)) start=$SECONDS name last=-1
    local -a pending logs
    while true; do
        pending=()
        for name in "${SERVICES[@]}"; do
            if ! service_pid "$name" >/dev/null; then
                die "$name exited while starting" "$LOGS/$name.log"
            fi
            service_ready "$name" || pending+=("$name")
        done
        ((${#pending[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            logs=()
            for name in "${pending[@]}"; do logs+=("$LOGS/$name.log"); done
            die "not ready after $TIMEOUT s: ${pending[*]} (GET /health/ready)" "${logs[@]}"
        fi
        if ((SECONDS - start != last && (SECONDS - start) % 5 == 0)); then
            last=$((SECONDS - start))
            echo "  waiting for ${pending[*]} ($last s)"
        fi
        sleep 0.5
    done
    echo "  all services ready ($((SECONDS - start)) s)"
}

# One BMC per host; a fresh password the first time (16 hex characters, mode 600). A simulated
# host's BMC switches its power through the agent's back door; a libvirt host's cuts it by killing
# the host's processes (deploy/bmc/libvirt-chassis-hook.sh, given the folder of the hosts' folders).
start_bmcs() {
    if [[ ! -s $BMC_PASSWORD_FILE ]]; then
        (umask 077 && head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$BMC_PASSWORD_FILE")
    fi
    cloudbus_bmcs_stop "$BMCS" >/dev/null 2>&1 || true
    if [[ $TOPOLOGY == libvirt ]]; then
        CLOUDBUS_BMC_HOOK=$ROOT/deploy/bmc/libvirt-chassis-hook.sh \
            cloudbus_bmcs_start "$BMCS" "$KVM" "$BMC_PASSWORD_FILE" "${HOSTS[@]}" >>"$LOGS/bmcs.log" 2>&1 ||
            die "the simulated BMCs did not start" "$LOGS/bmcs.log"
    else
        cloudbus_bmcs_start "$BMCS" "$(url_of back-door)" "$BMC_PASSWORD_FILE" "${HOSTS[@]}" >>"$LOGS/bmcs.log" 2>&1 ||
            die "the simulated BMCs did not start" "$LOGS/bmcs.log"
    fi
    echo "  ${#HOSTS[@]} BMCs answering (ipmi_sim; .run/bmcs/bmcs.tsv)"
}

bmc_of() { # HOST -> 127.0.0.1:PORT
    awk -F'\t' -v h="$1" '$1 == h { print $2 ":" $3 }' "$BMCS/bmcs.tsv"
}

seed_hosts() {
    local agent host code cores=16 memory=32768
    local -a tags
    agent=$(url_of host-agent)
    [[ $TOPOLOGY != libvirt ]] || cores=$KVM_HOST_CPU_CORES memory=$KVM_HOST_MEMORY_MIB
    for host in "${HOSTS[@]}"; do
        tags=()
        [[ $host == host-4 ]] && tags=(--tag ha)
        [[ $TOPOLOGY != libvirt ]] || agent=$(url_of "host-agent-$host")
        code=0
        cloudbus host add "$host" --agent "$agent" --cluster "$CLUSTER" --cpu "$cores" --memory-mib "$memory" \
            --bmc "$(bmc_of "$host")" "${tags[@]}" >/dev/null 2>"$RUN/cloudbus.err" || code=$?
        case $code in
            0) echo "  registered $host" ;;
            6) echo "  $host already registered" ;; # refused: it is there from an earlier run
            *) die "cannot register $host: $(cat "$RUN/cloudbus.err")" "$LOGS/vm-lifecycle.log" ;;
        esac
    done
}

# Placement uses VmLifecycle's view of each host, which follows HostMonitor's pings: wait until
# VmLifecycle has heard that every host is Connected before asking it to start VMs.
wait_hosts_placeable() {
    local deadline=$((SECONDS + TIMEOUT)) start=$SECONDS connected
    while :; do
        connected=$(cloudbus hosts --json 2>/dev/null | jq '[.[] | select(.status == "Connected")] | length' || echo 0)
        if ((connected >= ${#HOSTS[@]})); then
            echo "  all ${#HOSTS[@]} hosts Connected ($((SECONDS - start)) s)"
            return 0
        fi
        ((SECONDS < deadline)) || die "after $TIMEOUT s only $connected/${#HOSTS[@]} hosts are Connected" "$LOGS"/host-monitor*.log
        sleep 0.5
    done
}

seed_vms() {
    local vms spec name cpu mem ha prio id state code
    vms=$(cloudbus vms --json) || die "cannot list the VMs" "$LOGS/vm-lifecycle.log"
    for spec in "${VM_SPECS[@]}"; do
        read -r name cpu mem ha prio <<<"$spec"
        id=$(jq -r --arg n "$name" 'first(.[] | select(.name == $n) | .vmId) // empty' <<<"$vms")
        state=$(jq -r --arg n "$name" 'first(.[] | select(.name == $n) | .state) // empty' <<<"$vms")
        if [[ -z $id ]]; then
            id=$(cloudbus vm create "$name" --cpu "$cpu" --memory-mib "$mem" --ha "$ha" --priority "$prio" --json | jq -r '.vmId // empty') ||
                die "cannot create VM $name" "$LOGS/vm-lifecycle.log"
            [[ -n $id ]] || die "cannot create VM $name" "$LOGS/vm-lifecycle.log"
            echo "  created $name ($ha, priority $prio): $id"
            state=
        fi
        if [[ $state != Running ]]; then
            code=0
            cloudbus vm start "$id" --json >"$RUN/cloudbus.out" 2>"$RUN/cloudbus.err" || code=$?
            case $code in
                0) echo "  started $name on $(jq -r '.hostId' "$RUN/cloudbus.out")" ;;
                6)
                    # Refused. Already starting or running is fine; anything else (no capacity, an
                    # illegal transition) is a real refusal and its message says why.
                    state=$(cloudbus vm show "$id" --json | jq -r '.state // empty')
                    [[ $state == Starting || $state == Running ]] || die "cannot start VM $name: $(cat "$RUN/cloudbus.err")" "$LOGS/vm-lifecycle.log"
                    echo "  $name is already $state"
                    ;;
                *) die "cannot start VM $name: $(cat "$RUN/cloudbus.err")" "$LOGS/vm-lifecycle.log" ;;
            esac
        fi
    done
}

wait_running() {
    local deadline=$((SECONDS + TIMEOUT)) start=$SECONDS last=-1 vms hosts names hostnames
    local running connected
    names=$(printf '%s\n' "${VM_SPECS[@]}" | awk '{ print $1 }' | jq -R . | jq -sc .)
    hostnames=$(printf '%s\n' "${HOSTS[@]}" | jq -R . | jq -sc .)
    while true; do
        vms=$(cloudbus vms --json 2>/dev/null) || vms='[]'
        hosts=$(cloudbus hosts --json 2>/dev/null) || hosts='[]'
        running=$(jq --argjson n "$names" '[.[] | select((.name as $x | $n | index($x)) and .state == "Running") | .name] | unique | length' <<<"$vms")
        connected=$(jq --argjson n "$hostnames" '[.[] | select((.hostId as $x | $n | index($x)) and .status == "Connected") | .hostId] | unique | length' <<<"$hosts")
        if ((running == ${#VM_SPECS[@]} && connected == ${#HOSTS[@]})); then
            echo "  all ${#VM_SPECS[@]} VMs Running, all ${#HOSTS[@]} hosts Connected ($((SECONDS - start)) s)"
            return 0
        fi
        if ((SECONDS >= deadline)); then
            warn "after $TIMEOUT s: $running/${#VM_SPECS[@]} VMs Running, $connected/${#HOSTS[@]} hosts Connected"
            cloudbus vms >&2 || true
            cloudbus hosts >&2 || true
            die "the system did not settle" "$LOGS"/vm-lifecycle*.log "$LOGS"/host-monitor*.log "$LOGS/host-agent.log"
        fi
        if ((SECONDS - start != last && (SECONDS - start) % 5 == 0)); then
            last=$((SECONDS - start))
            echo "  $running/${#VM_SPECS[@]} VMs Running, $connected/${#HOSTS[@]} hosts Connected ($last s)"
        fi
        sleep 1
    done
}

cmd_up() { # single|ha|libvirt
    local sln name topology=$1
    load_topology
    if [[ -d $RUN && -f $TOPOLOGY_FILE && $TOPOLOGY != "$topology" ]]; then
        die "CloudBus is already set up with the $TOPOLOGY topology in .run/; stop it with ./up.sh down first"
    fi
    use_topology "$topology"
    if all_up; then
        say "CloudBus is already up ($TOPOLOGY topology)"
        cmd_status
        return
    fi

    say "checking prerequisites"
    cloudbus_install_prerequisites || die "could not install the prerequisites"
    command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed (the .NET 10 SDK is needed; see global.json)"

    mkdir -p "$RUN" "$LOGS" "$PIDS" "$HEARTBEATS"
    chmod 755 "$RUN" # the servers run as postgres and rabbitmq and must reach .run/servers
    printf '%s\n' "$TOPOLOGY" >"$TOPOLOGY_FILE"

    if [[ $TOPOLOGY == ha ]]; then
        say "starting a 3-node RabbitMQ cluster, 3 etcd members and 2 Patroni PostgreSQL nodes (.run/ha-servers)"
    else
        say "starting PostgreSQL and RabbitMQ (.run/servers)"
    fi
    if ! servers_start; then
        die "PostgreSQL/RabbitMQ did not start; if .run/ is stale, reset it with ./up.sh down"
    fi

    # Services left over from an earlier, partial run are restarted with the fresh build (watchdog
    # emulators first, and started again with the hosts).
    stop_watchdogs
    stop_services

    if [[ -f CloudBus.sln ]]; then sln=CloudBus.sln; elif [[ -f CloudBus.slnx ]]; then sln=CloudBus.slnx; else sln=CloudBus.sln; fi
    say "building $sln (log: .run/logs/build.log)"
    if ! dotnet build "$sln" -c Release >"$LOGS/build.log" 2>&1; then
        die "the build failed" "$LOGS/build.log"
    fi
    rm -f "$ADMIN_TOKEN" "$RUN/viewer.token" # minted afresh with the servers' key
    ensure_token || die "could not mint an admin token with tools/Cli (cloudbus token mint)"
    say "giving each service a broker user and a database role of its own"
    if [[ $TOPOLOGY == ha ]]; then
        cloudbus_ha_service_accounts "$SERVERS" "$CLI_DLL" || die "could not make the services' accounts"
    else
        cloudbus_service_accounts "$SERVERS" "$CLI_DLL" || die "could not make the services' accounts"
    fi

    assign_ports
    if [[ $TOPOLOGY == libvirt ]]; then
        say "issuing certificates for mutual TLS between the control plane and the agents"
        issue_certificates
        say "starting ${#HOSTS[@]} libvirt hosts (.run/kvm/HOST): a libvirtd and a watchdog emulator each"
        for name in "${HOSTS[@]}"; do start_kvm_host "$name"; done
    fi
    say "starting services"
    for name in "${SERVICES[@]}"; do
        start_service "$name"
    done

    say "waiting for the services to be ready (up to $TIMEOUT s)"
    wait_ready
    say "starting Prometheus (.run/prometheus), scraping every service instance"
    prometheus_up || warn "Prometheus did not start: each service still serves /metrics (logs: .run/prometheus/prometheus.log)"

    say "starting the simulated BMCs"
    start_bmcs
    say "registering hosts"
    seed_hosts
    wait_hosts_placeable
    say "creating and starting VMs"
    seed_vms
    say "waiting for VMs to run and hosts to connect (up to $TIMEOUT s)"
    wait_running

    say "CloudBus is up"
    cmd_status || true
    cmd_demo
    echo "Console:   $(console_url || echo "(no viewer token could be minted)")"
    echo "Token:     .run/admin.token (admin; curl -H \"Authorization: Bearer \$(cat .run/admin.token)\" ...)"
    echo "           more: dotnet tools/Cli/bin/Release/net10.0/cloudbus.dll token mint --key-file $Auth__SigningKeyFile --role viewer --subject NAME"
    echo "Logs:      .run/logs/<service>.log"
    echo "Status:    ./up.sh status"
    echo "Stop:      ./up.sh down"
}

# ./up.sh [up|ha|libvirt] --scale SERVICE=N,...: on a stack that is up, the same as ./up.sh scale.
up_scaled() { # single|ha|libvirt
    if [[ -z $SCALE_SPEC ]]; then
        cmd_up "$1"
    elif [[ -f $TOPOLOGY_FILE ]] && all_up; then
        cmd_scale "$SCALE_SPEC"
    else
        parse_scale "$SCALE_SPEC"
        mkdir -p "$RUN"
        save_scale
        cmd_up "$1"
    fi
}

trap cloudbus_forget_ports EXIT

COMMAND=
SCALE_SPEC=
while (($# > 0)); do
    case $1 in
        --scale) SCALE_SPEC=${2:-} && shift ;;
        --scale=*) SCALE_SPEC=${1#--scale=} ;;
        *)
            if [[ $COMMAND == scale && -z $SCALE_SPEC ]]; then
                SCALE_SPEC=$1 # ./up.sh scale SERVICE=N
            else
                [[ -z $COMMAND ]] || { warn "one command at a time: $COMMAND or $1"; exit 2; }
                COMMAND=$1
            fi
            ;;
    esac
    shift
done

load_topology
case ${COMMAND:-up} in
    up) up_scaled single ;;
    ha) up_scaled ha ;;
    libvirt) up_scaled libvirt ;;
    scale) cmd_scale "$SCALE_SPEC" ;;
    status) cmd_status ;;
    down) cmd_down ;;
    demo) cmd_demo ;;
    -h | --help | help)
        awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
        ;;
    *)
        warn "unknown command: $COMMAND (use up, ha, libvirt, scale, status, demo or down)"
        exit 2
        ;;
esac
