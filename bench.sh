#!/usr/bin/env bash
# Benchmarks (not tests): each prints one `name: value` line per figure, ratios measured side by
# side in one run. A benchmark that needs servers starts them here, as ./test.sh does, and stops
# them afterwards.
#
#   ./bench.sh ring      consistent-hash ring: balance, movement on a join, lookup cost
#   ./bench.sh monitor   one HostMonitor, 2,000 hosts, 20,000 VMs: detection, ping and sync rounds, CPU
#   ./bench.sh ha        a host with 200 HA VMs in a fleet of 50 loses power: detect, fence, all running, double runs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
case $1 in
    ring) needs_servers=false ;;
    monitor | ha) needs_servers=true ;;
    *) usage ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cloudbus-bench.XXXXXX")
chmod 711 "$tmp" # the servers run as postgres and rabbitmq and must reach $tmp/servers
cleanup() {
    local rc=$?
    trap - EXIT
    if [[ $needs_servers == true ]]; then cloudbus_servers_stop "$tmp/servers" >&2 || true; fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT

# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
if [[ $needs_servers == true ]]; then
    cloudbus_install_prerequisites >&2
    cloudbus_servers_start "$tmp/servers" >&2
fi

# The benchmark runs the services' Release builds as their own processes.
dotnet build CloudBus.sln -c Release --disable-build-servers -nologo >"$tmp/build.log" 2>&1 || {
    cat "$tmp/build.log" >&2
    exit 1
}
dotnet tools/Bench/bin/Release/net10.0/CloudBus.Bench.dll "$@"
