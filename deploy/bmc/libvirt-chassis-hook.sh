#!/usr/bin/env bash
# The chassis_control hook of the simulated BMC (OpenIPMI's ipmi_sim) of one libvirt "host" on
# this machine (scripts/lib/libvirt.sh: an unprivileged libvirtd with its QEMU domains, and the
# host's agent). Powering it off cuts the host's power as cloudbus_host_power_off does: its agent,
# libvirtd and every qemu killed -9 at once. `./up.sh libvirt` gives its BMCs this hook
# (CLOUDBUS_BMC_HOOK); the simulated fleet's BMCs use chassis-hook.sh.
#
#   libvirt-chassis-hook.sh HOSTS_DIR HOST_ID get PARAM...          prints PARAM:VALUE per line
#   libvirt-chassis-hook.sh HOSTS_DIR HOST_ID set PARAM VALUE...    prints nothing on success
#
# HOSTS_DIR/HOST_ID is the host's folder (cloudbus_libvirtd_start's DIR, with agent.pid). The power
# is on while any of the host's processes runs (cloudbus_host_powered). Powering a host on is not
# supported: nothing here can start its daemon and agent again, so `set power 1` (and the power-on
# half of a reset) fails and the host stays off; `./up.sh libvirt` starts it again. A non-zero exit
# makes ipmi_sim answer the IPMI request with an error. Errors go to stderr, ipmi_sim's log.
set -uo pipefail

fail() {
    printf 'libvirt-chassis-hook[%s]: %s\n' "${host_id:-?}" "$*" >&2
    exit 1
}

(($# >= 3)) || fail "usage: libvirt-chassis-hook.sh HOSTS_DIR HOST_ID get|set PARAM [VALUE]..."
host_id=$2
host_dir=${1%/}/$host_id
op=$3
shift 3
[[ -d $host_dir ]] || fail "no host folder $host_dir"

# shellcheck source=scripts/lib/libvirt.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib" && pwd -P)/libvirt.sh" || fail "cannot load scripts/lib/libvirt.sh"

get_power() { # prints 1 or 0
    if cloudbus_host_powered "$host_dir"; then printf '1\n'; else printf '0\n'; fi
}

power_off() {
    cloudbus_host_power_off "$host_dir" || fail "cannot power off $host_dir"
    printf 'libvirt-chassis-hook[%s]: powered off (agent, libvirtd and qemu processes killed)\n' "$host_id" >&2
}

power_on() {
    fail "cannot power $host_id on: a libvirt host on this machine is started again by ./up.sh libvirt"
}

case $op in
get)
    for param in "$@"; do
        case $param in
        power) printf 'power:%s\n' "$(get_power)" ;;
        boot) printf 'boot:default\n' ;;
        *) fail "cannot get $param" ;;
        esac
    done
    ;;
set)
    while (($# >= 2)); do
        param=$1 value=$2
        shift 2
        case $param:$value in
        power:0) power_off ;;
        power:1) if [[ $(get_power) == 0 ]]; then power_on; fi ;;
        # A reset of a host that is on: off, then on (which fails). A host that is off stays off.
        reset:1)
            if [[ $(get_power) == 1 ]]; then
                power_off
                power_on
            fi
            ;;
        reset:0) ;;
        boot:*) ;; # accepted and ignored: the domains have no boot devices
        *) fail "cannot set $param to $value" ;;
        esac
    done
    (($# == 0)) || fail "set: parameter $1 has no value"
    ;;
*) fail "unknown operation $op (expected get or set)" ;;
esac
