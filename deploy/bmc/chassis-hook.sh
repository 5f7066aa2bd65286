#!/usr/bin/env bash
# The chassis_control hook of one simulated BMC (OpenIPMI's ipmi_sim): it turns IPMI chassis
# commands into calls to the HostAgent's power back door for one simulated host. AGENT_URL is the
# back door's own loopback address (Simulated__BackDoorPort), not the control plane's.
#
#   chassis-hook.sh AGENT_URL HOST_ID get PARAM...          prints PARAM:VALUE per line
#   chassis-hook.sh AGENT_URL HOST_ID set PARAM VALUE...    prints nothing on success
#
# ipmi_sim appends `get power` (answer `power:0|1`), `set power 0|1`, `set reset 1` (power cycle)
# and `get boot` / `set boot X`. A non-zero exit makes ipmi_sim answer the IPMI request with an
# error, so the caller learns the power state is unknown instead of reading a made-up value.
# Errors go to stderr, which is ipmi_sim's log: ipmi_sim reads stdout only.
set -uo pipefail

# ipmi_sim is single-threaded and waits for this hook: a hung agent must not hang the BMC.
readonly CURL_OPTS=(--silent --show-error --fail --connect-timeout 1 --max-time 2)

fail() {
    printf 'chassis-hook[%s]: %s\n' "${host_id:-?}" "$*" >&2
    exit 1
}

(($# >= 3)) || fail "usage: chassis-hook.sh AGENT_URL HOST_ID get|set PARAM [VALUE]..."
agent_url=${1%/}
host_id=$2
op=$3
shift 3
power_url="$agent_url/hosts/$host_id/power"

# Prints 1 or 0. The reply is {"on":true} or {"on":false}; no jq needed for one boolean.
get_power() {
    local reply
    reply=$(curl "${CURL_OPTS[@]}" "$power_url" 2>&1) || fail "GET $power_url failed: $reply"
    case $(tr -d ' \t\r\n' <<<"$reply") in
    *'"on":true'*) printf '1\n' ;;
    *'"on":false'*) printf '0\n' ;;
    *) fail "unexpected reply from GET $power_url: $reply" ;;
    esac
}

set_power() { # true|false
    local reply
    reply=$(curl "${CURL_OPTS[@]}" -X POST -H 'Content-Type: application/json' \
        --data "{\"on\":$1}" "$power_url" 2>&1) || fail "POST $power_url {\"on\":$1} failed: $reply"
}

case $op in
get)
    for param in "$@"; do
        case $param in
        power)
            state=$(get_power) || exit 1
            printf 'power:%s\n' "$state"
            ;;
        # Simulated hosts have no boot devices: always the default.
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
        power:0) set_power false ;;
        power:1) set_power true ;;
        # A reset is a hard reboot: VMs die and the host comes back with a new boot id. A host
        # that is off stays off, as on a real chassis.
        reset:1)
            state=$(get_power) || exit 1
            if [[ $state == 1 ]]; then
                set_power false
                set_power true
            fi
            ;;
        reset:0) ;;
        boot:*) ;; # accepted and ignored: nothing to boot from
        *) fail "cannot set $param to $value" ;;
        esac
    done
    (($# == 0)) || fail "set: parameter $1 has no value"
    ;;
*) fail "unknown operation $op (expected get or set)" ;;
esac
