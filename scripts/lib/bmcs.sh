# shellcheck shell=bash
# Simulated BMCs for the simulated fleet: one OpenIPMI `ipmi_sim` per simulated host, answering
# IPMI over LAN (lanplus) on a UDP port of its own (on loopback unless told otherwise, below). Its chassis hook (deploy/bmc/chassis-hook.sh)
# switches the host's power through the HostAgent's back door (AGENT_URL: the back door's own
# loopback address, Simulated__BackDoorPort), so `ipmitool chassis power off` really cuts a
# simulated host's power. With CLOUDBUS_BMC_HOOK=deploy/bmc/libvirt-chassis-hook.sh
# the BMCs switch libvirt "hosts" on this machine instead (scripts/lib/libvirt.sh): AGENT_URL is then
# the folder holding one such host folder per host id (the hook gets it where it would get the URL).
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_bmcs_start DIR AGENT_URL PASSWORD_FILE HOST...   start one BMC per host, wait until each answers
#   cloudbus_bmc_stop_one DIR HOST                            stop one BMC (its host's BMC becomes unreachable)
#   cloudbus_bmcs_stop DIR                                    stop every BMC under DIR (and nothing else)
#
# Every BMC has one user, `admin` (CLOUDBUS_BMC_USERNAME), whose password is read from PASSWORD_FILE
# (1-16 printable characters, no quotes, backslashes or spaces; the file must not be readable by
# group or others). The password never appears on a command line: ipmi_sim reads it from its
# lan.conf (mode 600) and the readiness probe hands it to ipmitool in IPMI_PASSWORD.
#
# Where they listen (both optional; the defaults are what ./up.sh and the tests use):
#   CLOUDBUS_BMC_LISTEN_ADDRESS  the address every BMC binds (default 127.0.0.1); docker-compose.yml's
#                                host-agent uses 0.0.0.0, its container's network, so that
#                                HaOrchestrator's container reaches them
#   CLOUDBUS_BMC_FIRST_PORT      the n-th host given (from 0) gets this port + n, so that the BMCs'
#                                addresses are known before they start; a taken port is an error.
#                                Unset: each BMC takes a free port, retrying when another process
#                                took it first
#
# Layout of DIR:
#   bmcs.tsv            one line per BMC: hostId<TAB>listen address<TAB>port
#   <host>/lan.conf     ipmi_sim's LAN settings, user and password (mode 600)
#   <host>/bmc.emu      the emulated management controller
#   <host>/chassis      the chassis hook with this host's agent URL and id filled in
#   <host>/state/       ipmi_sim's persistent state (fresh on every start)
#   <host>/ipmi_sim.log ipmi_sim's and the hook's output
#   <host>/ipmi_sim.pid <host>/port
#
# Functions return non-zero on failure instead of exiting, so they work with and without `set -e`.

_CLOUDBUS_BMCS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib/servers.sh
source "$_CLOUDBUS_BMCS_LIB_DIR/servers.sh"

CLOUDBUS_BMC_USERNAME="admin"
CLOUDBUS_BMC_HOOK=${CLOUDBUS_BMC_HOOK:-$(cd "$_CLOUDBUS_BMCS_LIB_DIR/../../deploy/bmc" && pwd -P)/chassis-hook.sh}
# How long one BMC may take to answer `chassis power status` after it was started (a few seconds
# when idle; well over 15 s was seen on a 2-core machine under heavy load).
CLOUDBUS_BMC_START_TIMEOUT=${CLOUDBUS_BMC_START_TIMEOUT:-45}
CLOUDBUS_BMC_LISTEN_ADDRESS=${CLOUDBUS_BMC_LISTEN_ADDRESS:-127.0.0.1}
CLOUDBUS_BMC_FIRST_PORT=${CLOUDBUS_BMC_FIRST_PORT:-}

_cloudbus_bmc_log() { printf '[bmcs] %s\n' "$*" >&2; }

# Reads and checks the password into the caller's variable _CLOUDBUS_BMC_PASSWORD.
_cloudbus_bmc_read_password() { # FILE
    local file=$1 mode
    if [[ ! -f $file || ! -r $file ]]; then
        _cloudbus_bmc_log "cannot read the BMC password file $file"
        return 1
    fi
    mode=$(stat -c %a "$file") || return 1
    if (((8#$mode & 8#077) != 0)); then
        _cloudbus_bmc_log "the BMC password file $file is readable by others (mode $mode): chmod 600 it"
        return 1
    fi
    _CLOUDBUS_BMC_PASSWORD=$(<"$file")
    _CLOUDBUS_BMC_PASSWORD=${_CLOUDBUS_BMC_PASSWORD%$'\r'}
    # At most 16 characters, the IPMI 1.5 limit every BMC accepts (ipmi_sim here refuses 20);
    # lan.conf quotes the password, so no quotes in it.
    if [[ ! $_CLOUDBUS_BMC_PASSWORD =~ ^[[:graph:]]{1,16}$ || $_CLOUDBUS_BMC_PASSWORD == *[\"\\]* ]]; then
        _cloudbus_bmc_log "the BMC password in $file must be 1-16 printable characters without spaces, quotes or backslashes"
        return 1
    fi
}

# A free UDP port on 127.0.0.1 into the variable named VAR (also not handed out before by
# cloudbus_free_port, and free for TCP, which that function checks).
_cloudbus_bmc_free_udp_port() { # VAR
    local _cb_var=$1 _cb_port _cb_try
    for ((_cb_try = 0; _cb_try < 100; _cb_try++)); do
        cloudbus_free_port _cb_port || return 1
        [[ -z $(ss -Huan "( sport = :$_cb_port )" 2>/dev/null) ]] || continue
        printf -v "$_cb_var" '%s' "$_cb_port"
        return 0
    done
    _cloudbus_bmc_log "no free UDP port found"
    return 1
}

# Succeeds once PID alone is bound to UDP PORT. ipmi_sim binds with address reuse, so a second
# BMC on a taken port would start without complaint and share the port: that is a failure here.
_cloudbus_bmc_owns_port() { # PID PORT
    local rows
    rows=$(ss -Huanp "( sport = :$2 )" 2>/dev/null)
    [[ -n $rows && $(wc -l <<<"$rows") -eq 1 && $rows == *"pid=$1,"* ]]
}

_cloudbus_bmc_port_shared() { # PORT
    (($(ss -Huan "( sport = :$1 )" 2>/dev/null | wc -l) > 1))
}

_cloudbus_bmc_write_files() { # HOSTDIR AGENT_URL HOST PORT  (uses _CLOUDBUS_BMC_PASSWORD)
    local hdir=$1 url=$2 host=$3 port=$4 guid
    guid=$(printf '%s' "$host" | sha256sum | cut -c1-32)
    rm -rf "$hdir/state" && mkdir -p "$hdir/state" || return 1
    # umask first: the password must never sit in a file others can read, not even for a moment.
    (
        umask 077
        cat >"$hdir/lan.conf" <<EOF
# Written by scripts/lib/bmcs.sh: the simulated BMC of $host.
name "bmc-$host"
set_working_mc 0x20
  startlan 1
    addr $CLOUDBUS_BMC_LISTEN_ADDRESS $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $guid
  endlan
  chassis_control "$hdir/chassis"
  user 2 true "$CLOUDBUS_BMC_USERNAME" "$_CLOUDBUS_BMC_PASSWORD" admin 10 none md2 md5 straight
EOF
    ) || return 1
    chmod 600 "$hdir/lan.conf" || return 1
    cat >"$hdir/bmc.emu" <<'EOF'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
EOF
    # ipmi_sim runs chassis_control through `sh -c` with its arguments appended: this wrapper
    # keeps the hook's path, the URL and the host id out of that shell's word splitting.
    {
        printf '#!/usr/bin/env bash\n# Written by scripts/lib/bmcs.sh: the chassis hook of %s.\n' "$host"
        printf 'exec %q %q %q "$@"\n' "$CLOUDBUS_BMC_HOOK" "$url" "$host"
    } >"$hdir/chassis" && chmod 755 "$hdir/chassis"
}

# Starts ipmi_sim for one host on FIXED_PORT, or else on a fresh port, retrying on a port another
# process took meanwhile. Sets _CLOUDBUS_BMC_PID and _CLOUDBUS_BMC_PORT.
_cloudbus_bmc_launch() { # DIR AGENT_URL HOST [FIXED_PORT]
    local dir=$1 url=$2 host=$3 hdir=$1/$3 fixed_port=${4:-} port pid attempt attempts=5 deadline log_size
    [[ -n $fixed_port ]] && attempts=1
    for ((attempt = 1; attempt <= attempts; attempt++)); do
        if [[ -n $fixed_port ]]; then
            port=$fixed_port
        else
            _cloudbus_bmc_free_udp_port port || return 1
        fi
        _cloudbus_bmc_write_files "$hdir" "$url" "$host" "$port" || {
            _cloudbus_bmc_log "cannot write the files of the BMC of $host under $hdir"
            return 1
        }
        printf '===== %s: ipmi_sim on %s:%s =====\n' "$(date -Is)" "$CLOUDBUS_BMC_LISTEN_ADDRESS" "$port" >>"$hdir/ipmi_sim.log"
        log_size=$(stat -c %s "$hdir/ipmi_sim.log") || return 1
        # No console (-n), no terminal, output to the log: the BMC outlives the shell that started it.
        (cd "$hdir" && exec ipmi_sim -c "$hdir/lan.conf" -f "$hdir/bmc.emu" -s "$hdir/state" -n \
            </dev/null >>"$hdir/ipmi_sim.log" 2>&1) &
        pid=$!
        printf '%s\n' "$pid" >"$hdir/ipmi_sim.pid"
        printf '%s\n' "$port" >"$hdir/port"
        deadline=$((SECONDS + 5))
        until _cloudbus_bmc_owns_port "$pid" "$port"; do
            if ! cloudbus_pid_alive "$pid"; then
                # Taken between the check and the bind: try another port.
                if tail -c "+$((log_size + 1))" "$hdir/ipmi_sim.log" | grep -q 'Address already in use'; then break; fi
                _cloudbus_bmc_log "ipmi_sim for $host exited at start; see $hdir/ipmi_sim.log"
                cloudbus_tail_log "$hdir/ipmi_sim.log" 10
                return 1
            fi
            if _cloudbus_bmc_port_shared "$port" || ((SECONDS >= deadline)); then break; fi
            sleep 0.05
        done
        if _cloudbus_bmc_owns_port "$pid" "$port"; then
            _CLOUDBUS_BMC_PID=$pid _CLOUDBUS_BMC_PORT=$port
            return 0
        fi
        _cloudbus_bmc_log "UDP port $port of the BMC of $host is taken (attempt $attempt); trying another port"
        cloudbus_kill_pids 5 "$pid"
        rm -f "$hdir/ipmi_sim.pid"
    done
    [[ -n $fixed_port ]] && _cloudbus_bmc_log "UDP port $fixed_port of the BMC of $host is taken (CLOUDBUS_BMC_FIRST_PORT gives each host a fixed port)"
    _cloudbus_bmc_log "the BMC of $host found no port of its own; see $hdir/ipmi_sim.log"
    return 1
}

# Waits until the BMC answers `chassis power status` (which runs the hook, so the agent must answer too).
_cloudbus_bmc_wait_ready() { # DIR HOST PID PORT  (uses _CLOUDBUS_BMC_PASSWORD)
    local hdir=$1/$2 host=$2 pid=$3 port=$4 out deadline
    deadline=$((SECONDS + CLOUDBUS_BMC_START_TIMEOUT))
    # A BMC listening on every address (0.0.0.0) answers on loopback too.
    local address=$CLOUDBUS_BMC_LISTEN_ADDRESS
    [[ $address == 0.0.0.0 ]] && address=127.0.0.1
    while true; do
        if ! cloudbus_pid_alive "$pid"; then
            _cloudbus_bmc_log "ipmi_sim for $host (pid $pid) died before it answered; see $hdir/ipmi_sim.log"
            cloudbus_tail_log "$hdir/ipmi_sim.log" 10
            return 1
        fi
        out=$(IPMI_PASSWORD=$_CLOUDBUS_BMC_PASSWORD timeout 5 ipmitool -I lanplus -H "$address" -p "$port" \
            -U "$CLOUDBUS_BMC_USERNAME" -E -C 3 -N 1 -R 1 chassis power status 2>&1)
        [[ $out == *"Chassis Power is "* ]] && return 0
        if ((SECONDS >= deadline)); then
            _cloudbus_bmc_log "the BMC of $host on $address:$port did not answer 'chassis power status' within" \
                "${CLOUDBUS_BMC_START_TIMEOUT} s; last answer: ${out:-none}; see $hdir/ipmi_sim.log"
            cloudbus_tail_log "$hdir/ipmi_sim.log" 10
            return 1
        fi
        sleep 0.1
    done
}

cloudbus_bmcs_start() { # DIR AGENT_URL PASSWORD_FILE HOST...
    local dir=${1:?usage: cloudbus_bmcs_start DIR AGENT_URL PASSWORD_FILE HOST...}
    local url=${2:?usage: cloudbus_bmcs_start DIR AGENT_URL PASSWORD_FILE HOST...}
    local password_file=${3:?usage: cloudbus_bmcs_start DIR AGENT_URL PASSWORD_FILE HOST...}
    shift 3
    local _CLOUDBUS_BMC_PASSWORD='' _CLOUDBUS_BMC_PID='' _CLOUDBUS_BMC_PORT='' host tool t0 running
    local -a hosts=("$@") pids=() ports=()
    t0=$(_cloudbus_now)

    if ((${#hosts[@]} == 0)); then
        _cloudbus_bmc_log "cloudbus_bmcs_start: no hosts given"
        return 1
    fi
    for tool in ipmi_sim ipmitool curl ss; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            _cloudbus_bmc_log "$tool is missing (run cloudbus_install_prerequisites)"
            return 1
        fi
    done
    if [[ ! -x $CLOUDBUS_BMC_HOOK ]]; then
        _cloudbus_bmc_log "the chassis hook $CLOUDBUS_BMC_HOOK is missing or not executable"
        return 1
    fi
    # An absolute folder only for a hook that works on folders (libvirt-chassis-hook.sh).
    if [[ ! $url =~ ^https?://[^[:space:]]+$ && ! ($url =~ ^/[A-Za-z0-9_./+-]*$ && -d $url) ]]; then
        _cloudbus_bmc_log "the agent URL '$url' is neither an http(s) URL nor an existing folder"
        return 1
    fi
    for host in "${hosts[@]}"; do
        if [[ ! $host =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,62}$ ]]; then
            _cloudbus_bmc_log "host id '$host' is not valid: use ASCII letters, digits, '-', '_' or '.', not starting with '.'"
            return 1
        fi
    done
    if ! mkdir -p "$dir" || ! dir=$(cd "$dir" && pwd -P); then
        _cloudbus_bmc_log "cannot create $dir"
        return 1
    fi
    # lan.conf quotes paths under DIR and ipmi_sim hands the hook's path to `sh -c`.
    if [[ ! $dir =~ ^[A-Za-z0-9_./+-]+$ ]]; then
        _cloudbus_bmc_log "the BMC folder $dir may only contain letters, digits and _ . / + - (it ends up in a shell command)"
        return 1
    fi
    running=$(_cloudbus_bmc_running_hosts "$dir")
    if [[ -n $running ]]; then
        _cloudbus_bmc_log "BMCs already run under $dir ($running): stop them first with cloudbus_bmcs_stop $dir"
        return 1
    fi
    if [[ -n $CLOUDBUS_BMC_FIRST_PORT ]] && ! [[ $CLOUDBUS_BMC_FIRST_PORT =~ ^[0-9]+$ && $CLOUDBUS_BMC_FIRST_PORT -ge 1 && $((CLOUDBUS_BMC_FIRST_PORT + ${#hosts[@]} - 1)) -le 65535 ]]; then
        _cloudbus_bmc_log "CLOUDBUS_BMC_FIRST_PORT='$CLOUDBUS_BMC_FIRST_PORT' must be a port number that leaves room for ${#hosts[@]} BMCs"
        return 1
    fi
    _cloudbus_bmc_read_password "$password_file" || return 1

    rm -f "$dir/bmcs.tsv"
    local i fixed_port=''
    for i in "${!hosts[@]}"; do
        host=${hosts[$i]}
        [[ -n $CLOUDBUS_BMC_FIRST_PORT ]] && fixed_port=$((CLOUDBUS_BMC_FIRST_PORT + i))
        mkdir -p "$dir/$host" || return 1
        if ! _cloudbus_bmc_launch "$dir" "$url" "$host" "$fixed_port"; then
            cloudbus_bmcs_stop "$dir"
            return 1
        fi
        pids+=("$_CLOUDBUS_BMC_PID")
        ports+=("$_CLOUDBUS_BMC_PORT")
    done
    for i in "${!hosts[@]}"; do
        if ! _cloudbus_bmc_wait_ready "$dir" "${hosts[$i]}" "${pids[$i]}" "${ports[$i]}"; then
            cloudbus_bmcs_stop "$dir"
            return 1
        fi
    done
    # Written last and renamed into place: a reader never sees BMCs that do not answer yet.
    for i in "${!hosts[@]}"; do
        printf '%s\t%s\t%s\n' "${hosts[$i]}" "$CLOUDBUS_BMC_LISTEN_ADDRESS" "${ports[$i]}"
    done >"$dir/bmcs.tsv.tmp" && mv "$dir/bmcs.tsv.tmp" "$dir/bmcs.tsv" || return 1
    _cloudbus_bmc_log "${#hosts[@]} BMCs ready in $(_cloudbus_elapsed "$t0") s; endpoints in $dir/bmcs.tsv"
}

# Hosts under DIR whose ipmi_sim still runs, space-separated.
_cloudbus_bmc_running_hosts() { # DIR
    local dir=$1 pidfile pid hdir
    local -a running=()
    for pidfile in "$dir"/*/ipmi_sim.pid; do
        [[ -f $pidfile ]] || continue
        hdir=${pidfile%/ipmi_sim.pid}
        pid=$(<"$pidfile")
        _cloudbus_pid_is_ours "$pid" "$hdir/lan.conf" && running+=("${hdir##*/}")
    done
    printf '%s' "${running[*]}"
}

# Stops the BMC of one host: its endpoint stays in bmcs.tsv but nothing answers there any more.
cloudbus_bmc_stop_one() { # DIR HOST
    local dir=${1:?usage: cloudbus_bmc_stop_one DIR HOST} host=${2:?usage: cloudbus_bmc_stop_one DIR HOST}
    local hdir pid
    [[ -d $dir ]] || return 0
    dir=$(cd "$dir" && pwd -P) || return 1
    hdir=$dir/$host
    pid=$(cat "$hdir/ipmi_sim.pid" 2>/dev/null || true)
    # Only a process started with this folder's lan.conf: never a recycled pid.
    if _cloudbus_pid_is_ours "$pid" "$hdir/lan.conf"; then
        cloudbus_kill_pids 5 "$pid"
        if cloudbus_pid_alive "$pid"; then
            _cloudbus_bmc_log "ipmi_sim for $host (pid $pid) did not die"
            return 1
        fi
    fi
    rm -f "$hdir/ipmi_sim.pid"
}

cloudbus_bmcs_stop() { # DIR
    local dir=${1:?usage: cloudbus_bmcs_stop DIR} pidfile pid hdir alive
    local -a pids=()
    [[ -d $dir ]] || return 0
    dir=$(cd "$dir" && pwd -P) || return 0
    for pidfile in "$dir"/*/ipmi_sim.pid; do
        [[ -f $pidfile ]] || continue
        hdir=${pidfile%/ipmi_sim.pid}
        pid=$(<"$pidfile")
        _cloudbus_pid_is_ours "$pid" "$hdir/lan.conf" && pids+=("$pid")
    done
    # All at once: stopping a fleet's BMCs should take seconds, not seconds per host.
    cloudbus_kill_pids 5 "${pids[@]}"
    alive=0
    for pidfile in "$dir"/*/ipmi_sim.pid; do
        [[ -f $pidfile ]] || continue
        pid=$(<"$pidfile")
        # A pid file is kept only while its process lives, so a later stop can try again.
        if cloudbus_pid_alive "$pid" && _cloudbus_pid_is_ours "$pid" "${pidfile%/ipmi_sim.pid}/lan.conf"; then
            alive=1
        else
            rm -f "$pidfile"
        fi
    done
    if ((alive)); then
        _cloudbus_bmc_log "some BMCs under $dir did not die"
        return 1
    fi
    ((${#pids[@]} == 0)) || _cloudbus_bmc_log "${#pids[@]} BMCs under $dir stopped"
}
