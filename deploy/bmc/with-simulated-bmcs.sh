#!/usr/bin/env bash
# The entrypoint of docker-compose.yml's simulated fleet (the HostAgent image): runs the agent and,
# once its back door answers, one simulated BMC per simulated host (OpenIPMI's ipmi_sim, started by
# scripts/lib/bmcs.sh exactly as ./up.sh starts them, with the same chassis hook). So HaOrchestrator
# fences a compose host through IPMI over LAN, as it does natively.
#
# Why in the agent's container: a BMC switches its host's power, and the simulated hosts' power is
# the agent's back door, which listens on the container's loopback only (nothing on the network
# may power hosts off). The BMCs listen on the container's network instead:
#   host n of Simulated__Hosts (from 0) answers IPMI on UDP CLOUDBUS_BMC_FIRST_PORT + n (default
#   6230 + n) of this container, e.g. host-agent:6230 for host-1; user `admin`, the password in
#   CLOUDBUS_BMC_PASSWORD_FILE (mode 600, readable by the container's user).
# The BMCs' logs are under CLOUDBUS_BMC_DIR (default /tmp/cloudbus-bmcs/<host>/ipmi_sim.log);
# DIR/bmcs.tsv exists once every BMC answers (the compose health check waits for it).
#
# Arguments are the agent's. SIGTERM stops the BMCs, then the agent (its graceful stop); the
# container exits with the agent's status, also when the agent exits by itself.
set -uo pipefail

# Before bmcs.sh is sourced: it reads them then.
export CLOUDBUS_BMC_LISTEN_ADDRESS=${CLOUDBUS_BMC_LISTEN_ADDRESS:-0.0.0.0}
export CLOUDBUS_BMC_FIRST_PORT=${CLOUDBUS_BMC_FIRST_PORT:-6230}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib/bmcs.sh
source "$here/../../scripts/lib/bmcs.sh"

fail() {
    printf 'with-simulated-bmcs: %s\n' "$*" >&2
    exit 1
}

[[ -n ${Simulated__Hosts:-} ]] || fail "set Simulated__Hosts (the simulated hosts, comma-separated)"
[[ ${Simulated__BackDoorPort:-} =~ ^[0-9]+$ ]] ||
    fail "set Simulated__BackDoorPort: the BMCs switch the hosts' power through the agent's back door"
[[ -n ${CLOUDBUS_BMC_PASSWORD_FILE:-} ]] || fail "set CLOUDBUS_BMC_PASSWORD_FILE (the BMCs' password file)"
bmc_dir=${CLOUDBUS_BMC_DIR:-/tmp/cloudbus-bmcs}
back_door=http://127.0.0.1:$Simulated__BackDoorPort
IFS=, read -ra hosts <<<"$Simulated__Hosts"

dotnet "/app/${CLOUDBUS_SERVICE_DLL:?the image sets CLOUDBUS_SERVICE_DLL}" "$@" &
agent=$!

# shellcheck disable=SC2317  # run by the trap below
stop() {
    cloudbus_bmcs_stop "$bmc_dir"
    kill -TERM "$agent" 2>/dev/null
    wait "$agent"
    exit $?
}
trap stop TERM INT

# The BMCs' readiness probe asks each host's power through the back door: wait for the agent.
until curl -fsS -o /dev/null --max-time 2 "$back_door/hosts/${hosts[0]}/power" 2>/dev/null; do
    if ! cloudbus_pid_alive "$agent"; then
        wait "$agent"
        exit $?
    fi
    sleep 0.5
done
if ! cloudbus_bmcs_start "$bmc_dir" "$back_door" "$CLOUDBUS_BMC_PASSWORD_FILE" "${hosts[@]}"; then
    kill -TERM "$agent" 2>/dev/null
    wait "$agent"
    fail "the simulated BMCs did not start (see above); the agent was stopped"
fi

wait "$agent"
status=$?
cloudbus_bmcs_stop "$bmc_dir"
exit "$status"
