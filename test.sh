#!/usr/bin/env bash
# Checks the shell scripts (scripts/lint-shell.sh), builds the solution and runs every test
# against private, throwaway PostgreSQL and RabbitMQ servers, stopped on exit (even when tests
# fail or on Ctrl-C): the integration tests' broker and database are containers the tests start
# through Testcontainers, on the engine prepared here (scripts/lib/containers.sh: Docker where it
# answers, else podman with images built locally); the native servers of scripts/lib/servers.sh
# (what ./up.sh runs on) are started too, for the tests of those scripts.
#
#   ./test.sh                                              all tests
#   ./test.sh --filter FullyQualifiedName~UnitTests        the unit tests only
#   ./test.sh --filter FullyQualifiedName~RingHolderTests  one test class
#
# Extra arguments go to `dotnet test`. The last line of output is always
# `N passed, N failed, N skipped`; the exit code is `dotnet test`'s (non-zero also when no test
# ran, or when shellcheck or the build fails before).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/containers.sh
source scripts/lib/containers.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }

# Prints `passed failed skipped executed` summed over every .trx file under DIR.
trx_counts() { # DIR
    local passed=0 failed=0 skipped=0 executed=0 f counters total ex notexec p fl
    while IFS= read -r -d '' f; do
        counters=$(grep -o '<Counters [^>]*>' "$f" | head -n1 || true)
        [[ -n $counters ]] || continue
        total=$(attr total "$counters")
        ex=$(attr executed "$counters")
        notexec=$(attr notExecuted "$counters")
        p=$(attr passed "$counters")
        fl=$(attr failed "$counters")
        passed=$((passed + p))
        failed=$((failed + fl))
        executed=$((executed + ex))
        if ((total - ex > 0)); then
            skipped=$((skipped + total - ex))
        else
            skipped=$((skipped + notexec))
        fi
    done < <(find "$1" -type f -name '*.trx' -print0 2>/dev/null)
    printf '%s %s %s %s\n' "$passed" "$failed" "$skipped" "$executed"
}

# Prints each failed test of the .trx files under DIR with the first lines of its error message,
# so that a failure is readable at the end of a long log (CI keeps only its tail).
trx_failures() { # DIR
    local f
    while IFS= read -r -d '' f; do
        awk '
            /<UnitTestResult / && /outcome="Failed"/ {
                failed = 1; lines = 0
                name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
                print "FAILED " name
            }
            failed && /<Message>/ { inmessage = 1; sub(/.*<Message>/, "") }
            failed && inmessage {
                done = sub(/<\/Message>.*/, "")
                if (lines++ < 6) print "    " $0
                if (done) { inmessage = 0; failed = 0 }
            }
        ' "$f" | sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'
    done < <(find "$1" -type f -name '*.trx' -print0 2>/dev/null)
}

# Value of attribute NAME in an XML start tag, 0 when absent.
attr() { # NAME TAG
    local v
    v=$(printf '%s\n' "$2" | sed -n "s/.*[[:space:]]$1=\"\\([0-9]*\\)\".*/\\1/p")
    printf '%s\n' "${v:-0}"
}

cloudbus_install_prerequisites
# The web console's tests drive Debian's Chromium headless (ConsoleTests); ./up.sh needs no browser.
cloudbus_install_packages chromium

say "checking the shell scripts with shellcheck"
if ! scripts/lint-shell.sh; then
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet is not installed (the .NET 10 SDK is needed; see global.json)" >&2
    exit 1
fi

if [[ -f CloudBus.sln ]]; then
    sln=CloudBus.sln
elif [[ -f CloudBus.slnx ]]; then
    sln=CloudBus.slnx
else
    sln=CloudBus.sln # let dotnet report it
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cloudbus-test.XXXXXX")
chmod 711 "$tmp" # the servers run as postgres and rabbitmq and must reach $tmp/servers
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    cloudbus_servers_stop "$tmp/servers" >&2
    cloudbus_containers_stop "$tmp/containers" >&2
    rm -rf "$tmp"
    cloudbus_forget_ports
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting PostgreSQL and RabbitMQ under $tmp"
cloudbus_servers_start "$tmp/servers"

say "preparing the container engine and images for the tests' RabbitMQ and PostgreSQL (Testcontainers)"
cloudbus_containers_start "$tmp/containers"
# The integration tests start their broker and database as containers (ContainerServers).
export CLOUDBUS_TEST_SERVERS=containers

if [[ -f docker-compose.yml ]]; then
    # The file requires its secrets (${VAR:?...}); validate it with the documented example values.
    compose_env=()
    if [[ -f deploy/.env.example ]]; then
        compose_env=(--env-file deploy/.env.example)
    fi
    say "validating docker-compose.yml ${compose_env[*]}"
    docker-compose "${compose_env[@]}" -f docker-compose.yml config -q
else
    say "docker-compose.yml does not exist yet: skipping its validation"
fi

say "building $sln"
build_rc=0
# No build servers: nothing of ours keeps running after the script (or holds CI's output open).
dotnet build "$sln" -c Release -warnaserror --disable-build-servers || build_rc=$?
if ((build_rc != 0)); then
    echo "build failed (exit code $build_rc)" >&2
    cloudbus_servers_stop "$tmp/servers" >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit "$build_rc"
fi

# MassTransit 9 is commercially licensed: no package of it may enter the restore graph, even
# transitively (Directory.Packages.props pins 8.5.12).
say "checking the restore graph for MassTransit 9"
if dotnet list "$sln" package --include-transitive | grep -E '^\s*>\s*MassTransit[^ ]*\s+(\S+\s+)?9\.'; then
    echo "a MassTransit 9 package is in the restore graph (commercial licence): use 8.5.12" >&2
    cloudbus_servers_stop "$tmp/servers" >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

say "testing"
test_rc=0
dotnet test "$sln" -c Release --no-build \
    --logger "trx;LogFilePrefix=r" \
    --logger "console;verbosity=normal" \
    --results-directory "$tmp/results" \
    "$@" || test_rc=$?

read -r passed failed skipped executed < <(trx_counts "$tmp/results")

# Stop the servers now so that the summary stays the last line of output.
cloudbus_servers_stop "$tmp/servers" >&2
cloudbus_containers_stop "$tmp/containers" >&2

if ((failed > 0)); then
    say "failed tests"
    trx_failures "$tmp/results"
fi
if ((test_rc == 0 && executed == 0)); then
    echo "no test was executed" >&2
    test_rc=1
fi
if ((test_rc == 0 && failed > 0)); then
    test_rc=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$test_rc"
