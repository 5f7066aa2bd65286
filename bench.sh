#!/usr/bin/env bash
# Benchmarks (not tests): each prints one `name: value` line per figure, ratios measured side by
# side in one run. A benchmark that needs servers starts them here, as ./test.sh does, and stops
# them afterwards (also on Ctrl-C).
#
#   ./bench.sh ring      consistent-hash ring: balance, movement on a join, lookup cost
#   ./bench.sh monitor   one HostMonitor, 2,000 hosts, 20,000 VMs: detection, ping and sync rounds, CPU
#   ./bench.sh ha        a host with 200 HA VMs in a fleet of 50 loses power: detect, fence, all running, double runs
#   ./bench.sh ha-libvirt  three libvirt hosts (QEMU domains), the one with 8 HA VMs loses power: all running, double runs
#   ./bench.sh chaos [--minutes M] [--seed S]
#                        on the HA servers, hosts fail while broker nodes, the Postgres primary and
#                        service instances are killed (default 8 min, seed 42): lost VMs, double runs
#   ./bench.sh badinput  bad input over every route of the four services: requests, server errors
#                        (must be 0), state changed (must be 0)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
case $1 in
    ring) servers=none ;;
    monitor | ha | ha-libvirt | badinput) servers=single ;; # one RabbitMQ node, one PostgreSQL (scripts/lib/servers.sh)
    chaos) servers=ha ;;            # 3 RabbitMQ nodes, etcd and Patroni (scripts/lib/haservers.sh)
    *) usage ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cloudbus-bench.XXXXXX")
chmod 711 "$tmp" # the servers run as postgres and rabbitmq and must reach $tmp/servers
build_pid=
cleanup() {
    local rc=$?
    trap - EXIT
    if [[ -n $build_pid ]]; then kill "$build_pid" 2>/dev/null || true; fi
    case $servers in
        single) cloudbus_servers_stop "$tmp/servers" >&2 || true ;;
        ha) cloudbus_ha_servers_stop "$tmp/servers" >&2 || true ;;
    esac
    rm -rf "$tmp"
    printf '[bench] done after %s s\n' "$SECONDS" >&2
    exit "$rc"
}
trap cleanup EXIT
# Ctrl-C reaches the benchmark too, which stops what it started; then the servers stop here.
trap 'exit 130' INT TERM

# The benchmark runs the services' Release builds as their own processes: building the benchmark
# builds them too (not the tests). The build runs while the servers start (most of a server's
# start is waiting).
dotnet build tools/Bench/Bench.csproj -c Release --disable-build-servers -nologo >"$tmp/build.log" 2>&1 &
build_pid=$!

# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/haservers.sh
source scripts/lib/haservers.sh
if [[ $servers != none ]]; then cloudbus_install_prerequisites >&2; fi
case $servers in
    single) cloudbus_servers_start "$tmp/servers" >&2 ;;
    ha) cloudbus_ha_servers_start "$tmp/servers" >&2 ;; # exports CLOUDBUS_HA_SERVERS_DIR, which the chaos kills nodes through
esac

if ! wait "$build_pid"; then
    build_pid=
    cat "$tmp/build.log" >&2
    exit 1
fi
build_pid=
printf '[bench] servers ready and benchmark built after %s s\n' "$SECONDS" >&2
dotnet tools/Bench/bin/Release/net10.0/CloudBus.Bench.dll "$@"
