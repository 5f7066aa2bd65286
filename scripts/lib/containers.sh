# shellcheck shell=bash
# A Docker-compatible container engine for the tests (Testcontainers) and the images they run.
#
#   cloudbus_containers_start DIR   engine ready, images built, DIR/containers.env written (and exported)
#   cloudbus_containers_stop DIR    this run's test containers removed, what start launched stopped
#
# Where a Docker engine answers (a developer's laptop), it is used with the official images. Where
# none does (this kind of machine: no Docker, no registry), podman from Debian serves the Docker API
# on DIR/podman.sock, with images built here from Debian packages (deploy/images/) on a Debian base
# made by debootstrap from the mirror apt already uses. Images are kept between runs and built only
# when missing. Recipe and pitfalls: ../shared/design/LOCAL-SERVERS.md, "Containers without Docker".
#
# Needs scripts/lib/servers.sh (logging, package install, pid helpers); sourced here if it was not.

if ! declare -F cloudbus_install_packages >/dev/null; then
    # shellcheck source=scripts/lib/servers.sh
    source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"
fi

# The base's tag; each image of deploy/images is tagged with a hash of its recipe, so that a
# changed recipe is built again and an unchanged one is reused.
CLOUDBUS_BASE_IMAGE=localhost/cloudbus/debian:bookworm
CLOUDBUS_IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/images"

_cloudbus_ctr_log() { printf '[containers] %s\n' "$*" >&2; }

# Succeeds when a real Docker engine answers (podman's docker shim does not count: it would need
# the same preparation as podman itself).
_cloudbus_docker_answers() {
    command -v docker >/dev/null 2>&1 || return 1
    docker version --format '{{.Server.Os}}' >/dev/null 2>&1 || return 1
    ! docker version 2>/dev/null | grep -qi podman
}

# podman as this machine needs it: runc (crun cannot raise RLIMIT_NOFILE here and refuses the
# hybrid cgroup setup), cgroupfs (no systemd), and file limits the broker can live with.
_cloudbus_podman_configure() {
    local conf=/etc/containers/containers.conf wanted
    wanted=$(
        cat <<'EOF'
# Written by CloudBus scripts/lib/containers.sh: runc and cgroupfs (crun and systemd cannot work here).
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    )
    if [[ -f $conf ]] && [[ $(cat "$conf") == "$wanted" ]]; then
        return 0
    fi
    _cloudbus_root mkdir -p /etc/containers
    printf '%s\n' "$wanted" | _cloudbus_root tee "$conf" >/dev/null
}

# Starts `podman system service` on DIR/podman.sock unless it already answers there.
_cloudbus_podman_service_start() { # DIR
    local dir=$1 sock=$1/podman.sock start deadline
    if curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; then
        return 0
    fi
    rm -f "$sock"
    start=$(_cloudbus_now)
    # The socket path marks the process as ours (cloudbus_containers_stop checks it).
    setsid podman system service --time=0 "unix://$sock" >"$dir/podman.log" 2>&1 </dev/null &
    echo $! >"$dir/podman.pid"
    deadline=$((SECONDS + 30))
    until curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; do
        if ((SECONDS >= deadline)) || ! cloudbus_pid_alive "$(cat "$dir/podman.pid")"; then
            _cloudbus_ctr_log "podman's Docker API did not come up on $sock: $(tail -n 5 "$dir/podman.log" 2>/dev/null)"
            return 1
        fi
        sleep 0.2
    done
    _cloudbus_ctr_log "podman's Docker API on $sock ($(_cloudbus_elapsed "$start") s)"
}

# podman runs health checks from systemd timers, and there is no systemd here: without this loop a
# container's health stays "starting" and compose's `condition: service_healthy` waits for ever.
_cloudbus_health_pump_start() { # DIR
    local dir=$1
    if [[ -s $dir/health-pump.pid ]] && _cloudbus_pid_is_ours "$(cat "$dir/health-pump.pid")" "$dir/health-pump"; then
        return 0
    fi
    # shellcheck disable=SC2016  # expanded by the pump's own shell, not here
    setsid bash -c '
        # marker: '"$dir"'/health-pump
        while :; do
            for id in $(podman ps --format "{{.ID}} {{.Status}}" 2>/dev/null | awk "/\\((healthy|unhealthy|starting)\\)/ {print \$1}"); do
                podman healthcheck run "$id" >/dev/null 2>&1 || true
            done
            sleep 2
        done' >/dev/null 2>&1 </dev/null &
    echo $! >"$dir/health-pump.pid"
}

# The Debian base every local image starts from: debootstrap from the mirror apt already uses (the
# machine has no other way out), the host's apt sources copied in so that builds can install.
_cloudbus_debian_base() {
    local image=$CLOUDBUS_BASE_IMAGE rootfs mirror start
    podman image exists "$image" && return 0
    start=$(_cloudbus_now)
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [[ -n $mirror ]] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [[ -n $mirror ]] || mirror=http://deb.debian.org/debian
    rootfs=$(mktemp -d "${TMPDIR:-/tmp}/cloudbus-rootfs.XXXXXX")
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
        _cloudbus_ctr_log "debootstrap from $mirror failed: $(tail -n 5 "$rootfs.log")"
        rm -rf "$rootfs" "$rootfs.log"
        return 1
    fi
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/"
        rm -f "$rootfs/etc/apt/sources.list"
    fi
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import -q - "$image" >/dev/null
    rm -rf "$rootfs" "$rootfs.log"
    _cloudbus_ctr_log "built $image from $mirror ($(_cloudbus_elapsed "$start") s)"
}

# The image deploy/images/NAME is built as: localhost/cloudbus/NAME tagged with a hash of its recipe.
cloudbus_local_image_name() { # NAME
    local hash
    hash=$(cd "$CLOUDBUS_IMAGES_DIR/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
    printf 'localhost/cloudbus/%s:%s\n' "$1" "$hash"
}

# Builds deploy/images/NAME unless it exists. Docker format keeps the Containerfile's HEALTHCHECK
# (the OCI format drops it).
_cloudbus_local_image() { # NAME
    local name=$1 image start log
    image=$(cloudbus_local_image_name "$name")
    podman image exists "$image" && return 0
    start=$(_cloudbus_now)
    log=${TMPDIR:-/tmp}/cloudbus-build-$name.log
    if ! podman build --format docker -q --build-arg "BASE=$CLOUDBUS_BASE_IMAGE" -t "$image" \
        -f "$CLOUDBUS_IMAGES_DIR/$name/Containerfile" "$CLOUDBUS_IMAGES_DIR/$name" >"$log" 2>&1; then
        _cloudbus_ctr_log "building $image failed: $(tail -n 8 "$log")"
        return 1
    fi
    rm -f "$log"
    _cloudbus_ctr_log "built $image ($(_cloudbus_elapsed "$start") s)"
}

cloudbus_containers_start() { # DIR
    local dir=${1:?usage: cloudbus_containers_start DIR} start engine
    start=$(_cloudbus_now)
    mkdir -p "$dir"
    if _cloudbus_docker_answers; then
        engine=docker
        {
            printf 'export CLOUDBUS_CONTAINER_ENGINE=docker\n'
            [[ -n ${DOCKER_HOST:-} ]] && printf 'export DOCKER_HOST=%q\n' "$DOCKER_HOST"
            printf 'export CLOUDBUS_RABBITMQ_IMAGE=rabbitmq:3.13-management\n'
            printf 'export CLOUDBUS_POSTGRES_IMAGE=postgres:15\n'
        } >"$dir/containers.env"
    else
        engine=podman
        cloudbus_install_packages podman runc debootstrap || return 1
        _cloudbus_podman_configure || return 1
        _cloudbus_podman_service_start "$dir" || return 1
        _cloudbus_health_pump_start "$dir"
        _cloudbus_debian_base || return 1
        _cloudbus_local_image rabbitmq || return 1
        _cloudbus_local_image postgres || return 1
        {
            printf 'export CLOUDBUS_CONTAINER_ENGINE=podman\n'
            printf 'export DOCKER_HOST=unix://%s\n' "$dir/podman.sock"
            # No Ryuk (its image cannot be pulled): cloudbus_containers_stop removes what is left.
            printf 'export TESTCONTAINERS_RYUK_DISABLED=true\n'
            # This machine has a /.dockerenv: Testcontainers would think it runs in a container and
            # dial the bridge gateway instead of the ports published on loopback.
            printf 'export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1\n'
            printf 'export CLOUDBUS_RABBITMQ_IMAGE=%s\n' "$(cloudbus_local_image_name rabbitmq)"
            printf 'export CLOUDBUS_POSTGRES_IMAGE=%s\n' "$(cloudbus_local_image_name postgres)"
        } >"$dir/containers.env"
    fi
    # The label of this run's containers (ContainerServers puts it on them): stop removes those only,
    # not another test run's on the same engine.
    printf 'export CLOUDBUS_CONTAINERS_RUN=%q\n' "$dir" >>"$dir/containers.env"
    # shellcheck source=/dev/null
    source "$dir/containers.env"
    _cloudbus_ctr_log "engine $engine ready with its images in $(_cloudbus_elapsed "$start") s; settings in $dir/containers.env"
}

cloudbus_containers_stop() { # DIR
    local dir=${1:?usage: cloudbus_containers_stop DIR} ids pid
    [[ -d $dir ]] || return 0
    if [[ -S $dir/podman.sock ]]; then
        # Ryuk is off: the containers this run's tests started are removed here, by their label.
        ids=$(podman ps -aq --filter "label=cloudbus.test-run=$dir" 2>/dev/null || true)
        # shellcheck disable=SC2086  # one id per word
        [[ -z $ids ]] || podman rm -f $ids >/dev/null 2>&1 || true
    fi
    if [[ -s $dir/health-pump.pid ]]; then
        pid=$(cat "$dir/health-pump.pid")
        _cloudbus_pid_is_ours "$pid" "$dir/health-pump" && cloudbus_kill_pids 5 "$pid"
        rm -f "$dir/health-pump.pid"
    fi
    if [[ -s $dir/podman.pid ]]; then
        pid=$(cat "$dir/podman.pid")
        _cloudbus_pid_is_ours "$pid" "$dir/podman.sock" && cloudbus_kill_pids 10 "$pid"
        rm -f "$dir/podman.pid" "$dir/podman.sock"
    fi
    return 0
}
