# shellcheck shell=bash
# Hypervisor "hosts" on one machine for the libvirt agent: one unprivileged libvirtd per host, run
# as nobody under `tini -s` (a subreaper: a destroyed or killed qemu is reaped at once, so destroys
# and crashes are seen in well under a second instead of 1-2 s). Each daemon serves QEMU domains
# (TCG here, no KVM) at qemu:///session?socket=DIR/run/libvirt/libvirt-sock and libvirt's test
# driver at test+unix:///default?socket=... (the same socket).
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_libvirtd_start DIR     start a daemon whose state lives under DIR; prints its socket
#   cloudbus_libvirtd_restart DIR   restart the daemon only: its domains keep running
#   cloudbus_libvirtd_kill DIR      kill it -9 with every qemu it started
#   cloudbus_host_power_off DIR     the whole host loses power: its agent (pid in DIR/agent.pid, if
#                                   any) and its daemon with every qemu, all killed -9
#   cloudbus_host_powered DIR       succeed while the host has power: its agent or any process of its
#                                   daemon (tini, libvirtd, virtlogd, a qemu) still runs
#   cloudbus_libvirtd_qemu_pid DIR DOMAIN   the pid of a running domain's qemu process
#   cloudbus_libvirtd_stop DIR      stop it and its qemu processes and virtlogd
#
# Layout of DIR (owned by nobody; the daemon refuses a runtime folder others can read):
#   home/ run/          the daemon's HOME and XDG_RUNTIME_DIR
#   libvirtd.pid        tini's pid (the daemon is its only child)
#   libvirtd.log        the daemon's output
#
# Functions return non-zero on failure instead of exiting, so they work with and without `set -e`.

CLOUDBUS_LIBVIRTD_START_TIMEOUT=${CLOUDBUS_LIBVIRTD_START_TIMEOUT:-30}
_CLOUDBUS_NOBODY=65534

_cloudbus_libvirt_log() { printf '[libvirt] %s\n' "$*" >&2; }

cloudbus_libvirtd_socket() { # DIR
    printf '%s/run/libvirt/libvirt-sock\n' "$1"
}

cloudbus_libvirtd_start() { # DIR
    local dir=$1 socket deadline
    if ! command -v libvirtd >/dev/null 2>&1 || ! command -v tini >/dev/null 2>&1; then
        _cloudbus_libvirt_log "libvirtd or tini is missing (run cloudbus_install_prerequisites)"
        return 1
    fi
    mkdir -p "$dir/home" "$dir/run" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    chown -R "$_CLOUDBUS_NOBODY:$_CLOUDBUS_NOBODY" "$dir" && chmod 700 "$dir/run" || return 1
    socket=$(cloudbus_libvirtd_socket "$dir")
    setpriv "--reuid=$_CLOUDBUS_NOBODY" "--regid=$_CLOUDBUS_NOBODY" --clear-groups \
        env -i PATH=/usr/sbin:/usr/bin:/bin HOME="$dir/home" XDG_RUNTIME_DIR="$dir/run" \
        tini -s -- libvirtd >"$dir/libvirtd.log" 2>&1 &
    echo $! >"$dir/libvirtd.pid"
    deadline=$((SECONDS + CLOUDBUS_LIBVIRTD_START_TIMEOUT))
    until [[ -S $socket ]] && virsh -q -c "qemu:///session?socket=$socket" uri >/dev/null 2>&1; do
        if ! kill -0 "$(<"$dir/libvirtd.pid")" 2>/dev/null || ((SECONDS > deadline)); then
            _cloudbus_libvirt_log "libvirtd under $dir did not come up; its log:"
            tail -n 20 "$dir/libvirtd.log" >&2
            return 1
        fi
        sleep 0.2
    done
    printf '%s\n' "$socket"
}

# Every process of the daemon: tini, libvirtd and virtlogd (found by XDG_RUNTIME_DIR=DIR/run in
# their environment) and its qemu domains (libvirt clears their environment, but their command
# lines name files under DIR). One grep each over all of nobody's processes, not a few per
# process: a BMC's chassis hook runs this while ipmitool waits (and resends after a second).
_cloudbus_libvirtd_pids() { # DIR
    local dir=$1 pid
    local -a environs=() cmdlines=()
    for pid in $(pgrep -u "$_CLOUDBUS_NOBODY" 2>/dev/null); do
        environs+=("/proc/$pid/environ")
        cmdlines+=("/proc/$pid/cmdline")
    done
    ((${#environs[@]} > 0)) || return 0
    # Both files hold NUL-terminated entries (-z): a variable that is exactly this, an argument
    # that names a file under DIR. Processes gone meanwhile are skipped.
    {
        grep -lzxF -- "XDG_RUNTIME_DIR=$dir/run" "${environs[@]}" 2>/dev/null || true
        grep -lzF -- "$dir/" "${cmdlines[@]}" 2>/dev/null || true
    } | sed -n 's#^/proc/\([0-9]*\)/.*#\1#p' | sort -un
    return 0
}

cloudbus_libvirtd_qemu_pid() { # DIR DOMAIN
    local file
    file="$(cd "$1" && pwd -P)/run/libvirt/qemu/run/$2.pid" || return 1
    [[ -s $file ]] || return 1
    printf '%s\n' "$(<"$file")"
}

cloudbus_libvirtd_restart() { # DIR
    local dir pid deadline
    dir=$(cd "$1" && pwd -P) || return 1
    pid=$(<"$dir/libvirtd.pid") || return 1
    # tini passes the TERM on to libvirtd, which leaves its domains running.
    kill "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS > deadline)); then
            _cloudbus_libvirt_log "libvirtd under $dir did not stop within 10 s"
            return 1
        fi
        sleep 0.1
    done
    rm -f "$(cloudbus_libvirtd_socket "$dir")"
    cloudbus_libvirtd_start "$dir" >/dev/null
}

cloudbus_libvirtd_kill() { # DIR
    local dir
    dir=$(cd "$1" && pwd -P) || return 1
    # shellcheck disable=SC2046 # one pid per word
    kill -9 $(_cloudbus_libvirtd_pids "$dir") 2>/dev/null || true
}

cloudbus_host_power_off() { # DIR
    local agent
    if [[ -s $1/agent.pid ]]; then
        agent=$(<"$1/agent.pid")
        kill -9 "$agent" 2>/dev/null || true
        # Once dead, its pid may be handed to another process: never kill it twice.
        rm -f "$1/agent.pid"
    fi
    cloudbus_libvirtd_kill "$1"
}

cloudbus_host_powered() { # DIR
    local dir agent
    dir=$(cd "$1" && pwd -P) || return 1
    if [[ -s $dir/agent.pid ]]; then
        agent=$(<"$dir/agent.pid")
        # A HostAgent process, not whatever got the pid of one that died.
        [[ $agent =~ ^[0-9]+$ ]] && grep -qaF CloudBus.HostAgent "/proc/$agent/cmdline" 2>/dev/null && return 0
    fi
    [[ -n $(_cloudbus_libvirtd_pids "$dir") ]]
}

cloudbus_libvirtd_stop() { # DIR
    local dir pids deadline
    dir=$(cd "$1" && pwd -P) || return 1
    pids=$(_cloudbus_libvirtd_pids "$dir")
    [[ -n $pids ]] || return 0
    # shellcheck disable=SC2086 # one pid per word
    kill $pids 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while [[ -n $(_cloudbus_libvirtd_pids "$dir") ]] && ((SECONDS < deadline)); do sleep 0.2; done
    cloudbus_libvirtd_kill "$dir"
}
