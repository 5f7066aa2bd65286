# shellcheck shell=bash
# A private Prometheus server (Debian package `prometheus`, 2.42) that scrapes the CloudBus
# services' /metrics: its config, data and log under one folder, listening on a free loopback
# port. Debian's package would start a systemd service; there is no systemd here, and a shared
# server is not wanted anyway: the binary runs on its own, as the caller, and stops with
# cloudbus_prometheus_stop.
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_prometheus_install                  install the Debian package if prometheus is missing
#   cloudbus_prometheus_configure DIR TOKEN_FILE [INTERVAL]
#                                                write DIR/prometheus.yml: one job, `cloudbus`, that
#                                                scrapes the targets in DIR/targets.json every INTERVAL
#                                                (15s; tests use 1s) with the bearer token in TOKEN_FILE
#                                                (a viewer's: /metrics needs one)
#   cloudbus_prometheus_targets DIR NAME=URL...  (re)write DIR/targets.json with these instances;
#                                                Prometheus reads the file again by itself within seconds,
#                                                so instances added or removed are scraped without a restart
#   cloudbus_prometheus_targets_from_ports DIR PORTS_FILE
#                                                the same for every control-plane instance in up.sh's
#                                                .run/ports.env (its NAME_URL lines; agents excluded)
#   cloudbus_prometheus_start DIR                start on a free loopback port (or keep the one running)
#                                                and wait until it is ready
#   cloudbus_prometheus_running DIR              succeed if the server under DIR answers
#   cloudbus_prometheus_url DIR                  print its URL (http://127.0.0.1:PORT)
#   cloudbus_prometheus_stop DIR                 stop the server under DIR (and nothing else)
#
# Layout of DIR: prometheus.yml, targets.json, data/ (the time series), prometheus.log,
# prometheus.pid, prometheus.port.
#
# The host agents are not scraped: their API is not behind operator tokens (mutual TLS on real
# hosts), so they have no /metrics; they export their metrics over OTLP only.
#
# Functions return non-zero on failure instead of exiting, so they work with and without `set -e`.

_CLOUDBUS_PROMETHEUS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib/servers.sh
source "$_CLOUDBUS_PROMETHEUS_LIB_DIR/servers.sh"

_cloudbus_prometheus_log() { printf '[prometheus] %s\n' "$*" >&2; }

cloudbus_prometheus_install() {
    command -v prometheus >/dev/null 2>&1 || cloudbus_install_packages prometheus
}

cloudbus_prometheus_configure() { # DIR TOKEN_FILE [INTERVAL]
    local dir=${1:?usage: cloudbus_prometheus_configure DIR TOKEN_FILE [INTERVAL]}
    local token_file=${2:?usage: cloudbus_prometheus_configure DIR TOKEN_FILE [INTERVAL]}
    local interval=${3:-15s}
    if [[ ! $interval =~ ^[0-9]+(ms|s|m)$ ]]; then
        _cloudbus_prometheus_log "the scrape interval '$interval' is not a duration such as 15s"
        return 1
    fi
    if [[ ! -s $token_file ]]; then
        _cloudbus_prometheus_log "the token file $token_file is missing or empty"
        return 1
    fi
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    token_file=$(cd "$(dirname "$token_file")" && printf '%s/%s' "$(pwd -P)" "$(basename "$token_file")") || return 1
    # The token is read from its file at every scrape, so renewing the file needs no restart.
    cat >"$dir/prometheus.yml" <<EOF
# Written by scripts/lib/prometheus.sh: scrapes the CloudBus services listed in targets.json.
global:
  scrape_interval: $interval
  evaluation_interval: $interval
scrape_configs:
  - job_name: cloudbus
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $token_file
    file_sd_configs:
      - files: ['$dir/targets.json']
        refresh_interval: 5s
EOF
    [[ -f $dir/targets.json ]] || printf '[]\n' >"$dir/targets.json"
}

cloudbus_prometheus_targets() { # DIR NAME=URL...
    local dir=${1:?usage: cloudbus_prometheus_targets DIR NAME=URL...}
    shift
    local pair name url address sep='' json='['
    for pair in "$@"; do
        name=${pair%%=*} url=${pair#*=}
        if [[ ! $name =~ ^[a-z0-9-]+$ || ! $url =~ ^http://([^/]+)/?$ ]]; then
            _cloudbus_prometheus_log "target '$pair' is not NAME=http://HOST:PORT (name in lower case letters, digits and -)"
            return 1
        fi
        address=${BASH_REMATCH[1]}
        # `service` groups the instances of one service (vm-lifecycle-2 -> vm-lifecycle).
        json+=$(printf '%s{"targets":["%s"],"labels":{"instance_name":"%s","service":"%s"}}' "$sep" "$address" "$name" "${name%-[0-9]*}")
        sep=','
    done
    json+=']'
    mkdir -p "$dir" || return 1
    # Replaced in one rename: Prometheus never reads a half-written file.
    printf '%s\n' "$json" >"$dir/targets.json.tmp" && mv -f "$dir/targets.json.tmp" "$dir/targets.json"
}

cloudbus_prometheus_targets_from_ports() { # DIR PORTS_FILE
    local dir=${1:?usage: cloudbus_prometheus_targets_from_ports DIR PORTS_FILE}
    local ports=${2:?usage: cloudbus_prometheus_targets_from_ports DIR PORTS_FILE}
    local line var url name
    local -a targets=()
    [[ -f $ports ]] || {
        _cloudbus_prometheus_log "$ports does not exist"
        return 1
    }
    while IFS= read -r line; do
        [[ $line =~ ^([A-Z0-9_]+)_URL=(http://.+)$ ]] || continue
        var=${BASH_REMATCH[1]} url=${BASH_REMATCH[2]}
        # The agents and the simulation's back door have no operator routes; the web console reads
        # the others and serves no metrics of its own.
        [[ $var != HOST_AGENT* && $var != BACK_DOOR && $var != CONSOLE ]] || continue
        name=${var,,}
        targets+=("${name//_/-}=$url")
    done <"$ports"
    cloudbus_prometheus_targets "$dir" "${targets[@]}"
}

cloudbus_prometheus_url() { # DIR
    local port
    port=$(cat "${1:?usage: cloudbus_prometheus_url DIR}/prometheus.port" 2>/dev/null) || return 1
    printf 'http://127.0.0.1:%s\n' "$port"
}

cloudbus_prometheus_running() { # DIR
    local dir=${1:?usage: cloudbus_prometheus_running DIR} pid url
    pid=$(cat "$dir/prometheus.pid" 2>/dev/null) || return 1
    cloudbus_pid_alive "$pid" || return 1
    url=$(cloudbus_prometheus_url "$dir") || return 1
    curl -fs --max-time 2 -o /dev/null "$url/-/ready"
}

cloudbus_prometheus_start() { # DIR
    local dir=${1:?usage: cloudbus_prometheus_start DIR} port pid deadline t0
    t0=$(_cloudbus_now)
    if [[ ! -f $dir/prometheus.yml ]]; then
        _cloudbus_prometheus_log "no $dir/prometheus.yml: run cloudbus_prometheus_configure first"
        return 1
    fi
    if cloudbus_prometheus_running "$dir"; then
        return 0
    fi
    cloudbus_prometheus_install || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    mkdir -p "$dir/data" || return 1
    cloudbus_free_port port || return 1
    printf '%s\n' "$port" >"$dir/prometheus.port"
    # Its own session, so that a Ctrl-C in the caller's terminal does not stop it.
    setsid prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=2d \
        >>"$dir/prometheus.log" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$dir/prometheus.pid"
    deadline=$((SECONDS + 30))
    until curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$port/-/ready"; do
        if ! cloudbus_pid_alive "$pid" || ((SECONDS >= deadline)); then
            _cloudbus_prometheus_log "Prometheus did not become ready on 127.0.0.1:$port"
            cloudbus_tail_log "$dir/prometheus.log"
            cloudbus_kill_pids 5 "$pid"
            return 1
        fi
        sleep 0.2
    done
    _cloudbus_prometheus_log "Prometheus ready on http://127.0.0.1:$port ($(_cloudbus_elapsed "$t0") s)"
}

cloudbus_prometheus_stop() { # DIR
    local dir=${1:?usage: cloudbus_prometheus_stop DIR} pid
    pid=$(cat "$dir/prometheus.pid" 2>/dev/null) || return 0
    if cloudbus_pid_alive "$pid"; then cloudbus_kill_pids 10 "$pid"; fi
    rm -f "$dir/prometheus.pid"
}
