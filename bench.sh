#!/usr/bin/env bash
# Benchmarks (not tests): each prints one `name: value` line per figure, ratios measured side by
# side in one run. A benchmark that needs servers starts them here, as ./test.sh does, and stops
# them afterwards.
#
#   ./bench.sh ring      consistent-hash ring: balance, movement on a join, lookup cost
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

usage() {
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
case $1 in
    ring) ;;
    *) usage ;;
esac

build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
dotnet build tools/Bench/Bench.csproj -c Release --disable-build-servers -nologo >"$build_log" 2>&1 || {
    cat "$build_log" >&2
    exit 1
}
dotnet tools/Bench/bin/Release/net10.0/CloudBus.Bench.dll "$@"
