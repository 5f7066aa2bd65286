# shellcheck shell=bash
# A Docker-compatible container engine for the tests (Testcontainers, docker-compose) and the images
# they run, on machines with Docker and on machines without it.
#
# Source this file (it has no side effects when sourced), then:
#   cloudbus_containers_start DIR   engine ready, images present, DIR/containers.env written and exported
#   cloudbus_containers_stop DIR    this run's leftover containers removed, what start launched stopped
#
# Where a Docker engine answers (`docker info`, or DOCKER_HOST answering /_ping; podman's Docker API
# does not count), it is used with the official images. Where none does (this kind of machine: no
# Docker, no registry), podman from Debian serves the Docker API on DIR/podman.sock and the images
# are built here from Debian packages: a Debian base made by debootstrap from the mirror apt already
# uses, and on it the recipes of deploy/images/ (rabbitmq, postgres, dotnet-sdk, aspnet; the last two
# copy the host's .NET). Images are kept between runs: each carries a hash of its recipe (label
# org.cloudbus.recipe) and is built again only when it is missing or its recipe changed. Recipe and
# pitfalls: /work/shared/design/LOCAL-SERVERS.md, "Containers without Docker".
#
# cloudbus_containers_start exports, and writes to DIR/containers.env:
#   DOCKER_HOST                   where the engine's Docker API is (unix://DIR/podman.sock with podman)
#   CLOUDBUS_CONTAINER_ENGINE     podman or docker
#   CLOUDBUS_CONTAINERS_RUN       DIR: the tests label their containers cloudbus.test-run=DIR with it
#   TESTCONTAINERS_RYUK_DISABLED  true (podman only: the Ryuk image cannot be pulled; stop cleans up)
#   TESTCONTAINERS_HOST_OVERRIDE  127.0.0.1 (podman only: this VM has a /.dockerenv, and
#                                 Testcontainers would dial the bridge gateway instead of loopback)
#   CLOUDBUS_RABBITMQ_IMAGE CLOUDBUS_POSTGRES_IMAGE CLOUDBUS_DOTNET_SDK_IMAGE CLOUDBUS_ASPNET_IMAGE
#
# Layout of DIR (podman only):
#   podman.sock, podman.pid, podman.log            the Docker API service (`podman system service`)
#   containers.conf                                its settings: the machine's, plus an annotation
#                                                  that marks the containers it creates as DIR's
#   health-pump.pid, health-pump.log               the loop that runs the containers' health checks
#   build-NAME.log, debootstrap.log                the last image builds
#   containers.env                                 the exports above
#
# Every function returns non-zero on failure instead of exiting, so it works with and without
# `set -e` in the caller. The podman path needs root (packages, /etc/containers, rootful podman).

if ! declare -F cloudbus_install_packages >/dev/null; then
    # shellcheck source=scripts/lib/servers.sh
    source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"
fi

CLOUDBUS_CONTAINERS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.sh
CLOUDBUS_IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/images
# Local images are localhost/cloudbus/NAME:$CLOUDBUS_IMAGE_TAG.
CLOUDBUS_IMAGE_TAG=1
CLOUDBUS_DEBIAN_SUITE=bookworm
# Image label holding the hash of the recipe an image was built from.
CLOUDBUS_RECIPE_LABEL=org.cloudbus.recipe
# Annotation (set by DIR's podman service) naming the DIR whose service created a container.
CLOUDBUS_DIR_ANNOTATION=org.cloudbus.containers-dir
# Label the tests put on their containers, with the value of CLOUDBUS_CONTAINERS_RUN (ContainerServers).
CLOUDBUS_RUN_LABEL=cloudbus.test-run

_cloudbus_ctr_log() { printf '[containers] %s\n' "$*" >&2; }

# Runs COMMAND... in a session of its own, detached from the caller (not its child: a `wait` in the
# caller never waits for it; no terminal signal reaches it), stdin closed, output to LOG. The
# process writes its own pid to PIDFILE before it becomes COMMAND (same pid), so PIDFILE is right
# even when setsid has to fork.
_cloudbus_spawn() { # PIDFILE LOG COMMAND...
    local pidfile=$1 log=$2 deadline
    shift 2
    rm -f "$pidfile"
    # shellcheck disable=SC2016  # $$, $0 and $@ belong to the new shell
    setsid -f sh -c 'echo "$$" >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" \
        >"$log" 2>&1 </dev/null || return 1
    deadline=$((SECONDS + 10))
    until [[ -s $pidfile ]]; do
        if ((SECONDS >= deadline)); then
            _cloudbus_ctr_log "$* did not start (no $pidfile)"
            cloudbus_tail_log "$log" 10
            return 1
        fi
        sleep 0.05
    done
}

# ---------------------------------------------------------------------------------------------
# Which engine
# ---------------------------------------------------------------------------------------------

# Body of GET PATH from the Docker API at HOST (a DOCKER_HOST value: unix:// or tcp://).
_cloudbus_engine_get() { # HOST PATH
    local host=$1 path=$2
    command -v curl >/dev/null 2>&1 || return 1
    case $host in
        unix://*) curl -fsS --max-time 5 --unix-socket "${host#unix://}" "http://d$path" 2>/dev/null ;;
        tcp://*) curl -fsS --max-time 5 "http://${host#tcp://}$path" 2>/dev/null ;;
        *) return 1 ;;
    esac
}

# Prints DOCKER_HOST for a Docker engine that answers, or fails. Podman's Docker API does not count:
# it needs this script's preparation (local images, the health pump), done on the podman path.
_cloudbus_docker_engine() {
    local host=${DOCKER_HOST:-} components=''
    if command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
        components=$(timeout 20 docker version --format '{{range .Server.Components}}{{.Name}};{{end}}' 2>/dev/null) || components=''
        [[ -n $host ]] || host=$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null) || host=''
        [[ -n $host ]] || host=unix:///var/run/docker.sock
    elif [[ -n $host && $(_cloudbus_engine_get "$host" /_ping) == OK ]]; then
        components=$(_cloudbus_engine_get "$host" /version) || components=''
    fi
    [[ -n $components && $components != *Podman* ]] || return 1
    printf '%s\n' "$host"
}

# ---------------------------------------------------------------------------------------------
# podman: packages, settings, the Docker API service, the health pump
# ---------------------------------------------------------------------------------------------

# The dnsname CNI plugin is only a recommendation of podman, and packages are installed without
# those: without it containers on a compose network cannot find each other by service name.
_cloudbus_podman_packages() {
    local t0
    local -a packages=(podman runc debootstrap docker-compose curl golang-github-containernetworking-plugin-dnsname)
    t0=$(_cloudbus_now)
    if ! cloudbus_install_packages "${packages[@]}"; then
        _cloudbus_ctr_log "cannot install ${packages[*]}"
        return 1
    fi
    _cloudbus_ctr_log "packages ${packages[*]} installed ($(_cloudbus_elapsed "$t0") s)"
}

# The containers.conf this machine needs: runc (crun cannot raise RLIMIT_NOFILE here and refuses the
# hybrid cgroup setup), cgroupfs and file events (there is no systemd or journald), and file limits
# the broker can live with. With DIR: containers created through DIR's service are annotated with
# DIR, which is how cloudbus_containers_stop knows its own among those of other runs.
_cloudbus_podman_conf() { # [DIR]
    printf '%s\n' '# Written by CloudBus scripts/lib/containers.sh: runc and cgroupfs (crun and systemd cannot work here).'
    printf '%s\n' '[containers]'
    if [[ -n ${1:-} ]]; then
        printf 'annotations = ["%s=%s"]\n' "$CLOUDBUS_DIR_ANNOTATION" "$1"
    fi
    printf '%s\n' 'default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]' '' \
        '[engine]' 'runtime = "runc"' 'cgroup_manager = "cgroupfs"' 'events_logger = "file"'
}

# /etc/containers/containers.conf, for every podman command (the CLI, the health checks, the
# cleanup commands conmon runs): written only when it differs, the previous one kept aside once.
_cloudbus_podman_configure() {
    local conf=/etc/containers/containers.conf wanted
    wanted=$(_cloudbus_podman_conf)
    if [[ -f $conf && $(<"$conf") == "$wanted" ]]; then
        return 0
    fi
    mkdir -p /etc/containers || return 1
    if [[ -f $conf && ! -e $conf.before-cloudbus ]]; then
        cp -p "$conf" "$conf.before-cloudbus" || return 1
    fi
    printf '%s\n' "$wanted" >"$conf.tmp" && mv -f "$conf.tmp" "$conf" || return 1
    _cloudbus_ctr_log "wrote $conf (runc, cgroupfs, file limits)"
}

# The dnsname plugin's dnsmasq (compose's service names) listens on each compose network's bridge
# address, port 53: the one listener of a running stack that is not on loopback. This chain lets DNS
# to podman's bridge subnets (10.88.0.0/16, its default network; 10.89.0.0/16, where it puts the
# networks compose makes) in from loopback and from the bridges themselves only, so another machine
# that routes to those addresses gets no answer (no open resolver). Idempotent; left in place.
_cloudbus_podman_guard_bridge_dns() {
    local chain=CLOUDBUS-BRIDGE-DNS proto subnet
    if ! command -v iptables >/dev/null 2>&1; then
        _cloudbus_ctr_log "iptables is missing: DNS on the compose networks' bridges is not limited to them"
        return 0
    fi
    iptables -N "$chain" 2>/dev/null || true
    iptables -F "$chain" &&
        iptables -A "$chain" -i lo -j RETURN &&
        iptables -A "$chain" -i cni-podman+ -j RETURN &&
        iptables -A "$chain" -j DROP || return 1
    for proto in udp tcp; do
        for subnet in 10.88.0.0/16 10.89.0.0/16; do
            iptables -C INPUT -p "$proto" --dport 53 -d "$subnet" -j "$chain" 2>/dev/null ||
                iptables -I INPUT -p "$proto" --dport 53 -d "$subnet" -j "$chain" || return 1
        done
    done
}

_cloudbus_podman_ping() { # SOCKET
    [[ $(curl -fsS --max-time 3 --unix-socket "$1" http://d/_ping 2>/dev/null) == OK ]]
}

# The socket path is on the service's command line: it tells our process from a recycled pid.
_cloudbus_podman_service_is_ours() { # DIR PID
    _cloudbus_pid_is_ours "$2" "unix://$1/podman.sock"
}

# `podman system service` on DIR/podman.sock (no idle timeout), reused when it already runs.
_cloudbus_podman_service_start() { # DIR
    local dir=$1 sock=$1/podman.sock pid t0 deadline
    t0=$(_cloudbus_now)
    pid=$(cat "$dir/podman.pid" 2>/dev/null || true)
    if _cloudbus_podman_service_is_ours "$dir" "$pid" && _cloudbus_podman_ping "$sock"; then
        _cloudbus_ctr_log "podman's Docker API already on unix://$sock (pid $pid)"
        return 0
    fi
    if _cloudbus_podman_service_is_ours "$dir" "$pid"; then
        # Ours but not answering: start afresh.
        cloudbus_kill_pids 10 "$pid"
    fi
    rm -f "$sock"
    _cloudbus_podman_conf "$dir" >"$dir/containers.conf" || return 1
    # CONTAINERS_CONF replaces the machine's file for this process only (it holds the same settings).
    _cloudbus_spawn "$dir/podman.pid" "$dir/podman.log" \
        env CONTAINERS_CONF="$dir/containers.conf" podman system service --time=0 "unix://$sock" || return 1
    pid=$(<"$dir/podman.pid")
    deadline=$((SECONDS + 60))
    until _cloudbus_podman_ping "$sock"; do
        if ((SECONDS >= deadline)) || ! cloudbus_pid_alive "$pid"; then
            _cloudbus_ctr_log "podman's Docker API did not answer on unix://$sock"
            cloudbus_tail_log "$dir/podman.log" 20
            return 1
        fi
        sleep 0.2
    done
    _cloudbus_ctr_log "podman's Docker API on unix://$sock, pid $pid ($(_cloudbus_elapsed "$t0") s)"
}

# podman schedules HEALTHCHECKs with systemd timers and there is no systemd here: without this loop
# a container's health stays "starting" and compose's `condition: service_healthy` waits for ever.
_cloudbus_health_pump_start() { # DIR
    local dir=$1 pid
    pid=$(cat "$dir/health-pump.pid" 2>/dev/null || true)
    if _cloudbus_pid_is_ours "$pid" "$dir/health-pump.pid"; then
        return 0
    fi
    # shellcheck disable=SC2016  # $1 and $2 belong to the new shell
    _cloudbus_spawn "$dir/health-pump.pid" "$dir/health-pump.log" \
        bash -c 'source "$1" && _cloudbus_health_pump "$2"' cloudbus-health-pump \
        "$CLOUDBUS_CONTAINERS_LIB" "$dir/health-pump.pid" || return 1
    _cloudbus_ctr_log "health-check pump running, pid $(<"$dir/health-pump.pid")"
}

# The pump itself, in its own process (_cloudbus_health_pump_start). Every 2 s it runs the health
# checks that are due, on Docker's schedule: a container's first check one interval (its
# HEALTHCHECK's, 30 s by default) after it started, the next one interval after the last. Not
# every check every 2 s: the retries would run out 5 to 15 times sooner than with Docker (compose's
# `condition: service_healthy` gives up on the first "unhealthy"), and a check such as
# rabbitmq-diagnostics costs an Erlang VM each time. The containers are those DIR's service created
# (its annotation) and those made without one (podman's CLI); another run's pump checks its own.
# Ends with DIR; if DIR was removed without cloudbus_containers_stop, it stops DIR's service too.
_cloudbus_health_pump() { # PIDFILE (DIR/health-pump.pid)
    local dir=${1%/*} service='' id status started interval mark
    local -A due=() every=()
    while [[ -d $dir ]]; do
        service=$(cat "$dir/podman.pid" 2>/dev/null || printf '%s' "$service")
        while read -r id status; do
            case $status in
                *'(starting)'* | *'(healthy)'* | *'(unhealthy)'*) ;;
                *) continue ;;
            esac
            if [[ -z ${due[$id]:-} ]]; then
                read -r started interval mark < <(podman container inspect --format \
                    "{{.State.StartedAt.Unix}} {{.Config.Healthcheck.Interval.Seconds}} {{index .Config.Annotations \"$CLOUDBUS_DIR_ANNOTATION\"}}" \
                    "$id" 2>/dev/null </dev/null) || continue
                interval=${interval%.*}
                ((interval > 0)) || interval=30
                every[$id]=$interval
                due[$id]=$((started + interval))
                [[ -z $mark || $mark == "$dir" ]] || due[$id]=never
            fi
            if [[ ${due[$id]} == never ]] || ((EPOCHSECONDS < due[$id])); then
                continue
            fi
            # Never the loop's stdin: podman would swallow the rest of the list, and only the
            # first due container of each pass would ever be checked.
            podman healthcheck run "$id" </dev/null >/dev/null 2>&1 || true
            due[$id]=$((EPOCHSECONDS + every[$id]))
        done < <(podman ps --no-trunc --format '{{.ID}} {{.Status}}' 2>/dev/null)
        sleep 2
    done
    if _cloudbus_podman_service_is_ours "$dir" "$service"; then
        kill -TERM "$service" 2>/dev/null || true
    fi
}

_cloudbus_podman_engine_start() { # DIR
    local dir=$1
    if [[ $EUID -ne 0 ]]; then
        _cloudbus_ctr_log "no Docker engine answers, and podman here needs root (packages, /etc/containers, rootful containers)"
        return 1
    fi
    if [[ $dir == *[\"\\]* ]]; then
        _cloudbus_ctr_log "the folder's path must not hold \" or \\ (it goes into containers.conf): $dir"
        return 1
    fi
    _cloudbus_podman_packages || return 1
    _cloudbus_podman_configure || return 1
    _cloudbus_podman_guard_bridge_dns || return 1
    _cloudbus_podman_service_start "$dir" || return 1
    _cloudbus_health_pump_start "$dir" || return 1
}

# ---------------------------------------------------------------------------------------------
# Local images (podman)
# ---------------------------------------------------------------------------------------------

_cloudbus_image_ref() { # NAME
    printf 'localhost/cloudbus/%s:%s' "$1" "$CLOUDBUS_IMAGE_TAG"
}

_cloudbus_image_id() { # IMAGE
    podman image inspect --format '{{.Id}}' "$1" 2>/dev/null
}

# Succeeds when localhost/cloudbus/NAME exists and was built from recipe RECIPE.
_cloudbus_image_current() { # NAME RECIPE
    local image recipe
    image=$(_cloudbus_image_ref "$1")
    recipe=$(podman image inspect --format "{{index .Labels \"$CLOUDBUS_RECIPE_LABEL\"}}" "$image" 2>/dev/null) || return 1
    [[ $recipe == "$2" ]]
}

# A short hash of the files under FOLDER (none if empty) and of WORDS: what else goes into the
# image (the base image's id, the host's .NET versions, ...).
_cloudbus_recipe_hash() { # FOLDER WORDS...
    local folder=$1
    shift
    {
        printf '%s\n' "$@"
        if [[ -n $folder ]]; then
            (cd "$folder" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
        fi
    } | sha256sum | cut -c1-16
}

# One image build at a time on the machine: two runs starting together build each image once.
_cloudbus_images_lock() {
    local lock=/run/lock/cloudbus-images.lock
    [[ -d /run/lock && -w /run/lock ]] || lock=${TMPDIR:-/tmp}/cloudbus-images.lock
    exec {_CLOUDBUS_IMAGES_LOCK_FD}>>"$lock" || return 1
    flock -n "$_CLOUDBUS_IMAGES_LOCK_FD" && return 0
    _cloudbus_ctr_log "waiting for another run's image builds ($lock)"
    flock -w 3600 "$_CLOUDBUS_IMAGES_LOCK_FD"
}

_cloudbus_images_unlock() {
    if [[ -n ${_CLOUDBUS_IMAGES_LOCK_FD:-} ]]; then
        exec {_CLOUDBUS_IMAGES_LOCK_FD}>&-
        _CLOUDBUS_IMAGES_LOCK_FD=
    fi
}

# The mirror apt already uses (the only way out of this kind of machine): the first deb entry for
# the suite in debian.sources (deb822) or sources.list, else deb.debian.org.
_cloudbus_apt_mirror() {
    local mirror=''
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        mirror=$(awk -v suite="$CLOUDBUS_DEBIAN_SUITE" 'BEGIN { RS = ""; FS = "\n" } {
            types = ""; suites = ""; uris = ""
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^Types:/) types = " " substr($i, 7) " "
                if ($i ~ /^Suites:/) suites = " " substr($i, 8) " "
                if ($i ~ /^URIs:/) { uris = substr($i, 6); sub(/^[ \t]+/, "", uris); sub(/[ \t].*/, "", uris) }
            }
            if (types ~ /[ \t]deb[ \t]/ && suites ~ ("[ \t]" suite "[ \t]") && uris != "") { print uris; exit }
        }' /etc/apt/sources.list.d/debian.sources)
    fi
    if [[ -z $mirror && -f /etc/apt/sources.list ]]; then
        mirror=$(awk -v suite="$CLOUDBUS_DEBIAN_SUITE" '$1 == "deb" {
            i = 2
            if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
            if ($(i + 1) == suite) { print $i; exit }
        }' /etc/apt/sources.list)
    fi
    printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

# The host's apt settings the images need to reach the mirror as the host does (Acquire::...:
# proxies, Check-Valid-Until for snapshot mirrors): its one-line Acquire statements (not blocks,
# such as appstream's Acquire::IndexTargets { ... }, which name tools an image does not have).
_cloudbus_apt_acquire_settings() {
    cat /etc/apt/apt.conf /etc/apt/apt.conf.d/* 2>/dev/null |
        grep -E '^[[:space:]]*Acquire::[^{}]*;[[:space:]]*$' || true
}

# What makes a debootstrapped tree a base image: the host's apt sources and Acquire settings (so
# that builds install from the same mirror), no documentation installed by later packages (smaller
# images), no package lists or archives left behind.
_cloudbus_debian_rootfs_setup() { # ROOTFS
    local r=$1
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        cp /etc/apt/sources.list.d/debian.sources "$r/etc/apt/sources.list.d/" || return 1
        rm -f "$r/etc/apt/sources.list"
    elif [[ -f /etc/apt/sources.list ]]; then
        cp /etc/apt/sources.list "$r/etc/apt/sources.list" || return 1
    fi
    _cloudbus_apt_acquire_settings >"$r/etc/apt/apt.conf.d/90cloudbus-host" || return 1
    printf '%s\n' '# No documentation in images (as debian:slim)' \
        'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
        'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
        >"$r/etc/dpkg/dpkg.cfg.d/90cloudbus-nodoc" || return 1
    rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/var/log/bootstrap.log
}

# The base of every local image: debootstrap (minbase) from the host's mirror, imported as
# localhost/cloudbus/debian. podman build has network to that mirror, so images install Debian
# packages in their build. Its recipe: the mirror, the host's apt settings, the setup above.
_cloudbus_debian_image() { # DIR
    local dir=$1 image mirror recipe t0 rootfs
    local -a piped
    image=$(_cloudbus_image_ref debian)
    t0=$(_cloudbus_now)
    mirror=$(_cloudbus_apt_mirror)
    recipe=$(_cloudbus_recipe_hash '' "$CLOUDBUS_DEBIAN_SUITE minbase $mirror" \
        "$(cat /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null)" \
        "$(_cloudbus_apt_acquire_settings)" "$(declare -f _cloudbus_debian_rootfs_setup)")
    if _cloudbus_image_current debian "$recipe"; then
        _cloudbus_ctr_log "image $image up to date ($(_cloudbus_elapsed "$t0") s)"
        return 0
    fi
    _cloudbus_ctr_log "building $image: debootstrap $CLOUDBUS_DEBIAN_SUITE from $mirror (0.5-1.5 min)"
    rootfs=$(mktemp -d "$dir/rootfs.XXXXXX") || return 1
    if ! debootstrap --variant=minbase "$CLOUDBUS_DEBIAN_SUITE" "$rootfs" "$mirror" >"$dir/debootstrap.log" 2>&1; then
        _cloudbus_ctr_log "debootstrap from $mirror failed"
        cloudbus_tail_log "$dir/debootstrap.log" 20
        rm -rf "$rootfs"
        return 1
    fi
    _cloudbus_debian_rootfs_setup "$rootfs" || { rm -rf "$rootfs"; return 1; }
    tar --numeric-owner -C "$rootfs" -c . |
        podman import --change "LABEL $CLOUDBUS_RECIPE_LABEL=$recipe" \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' - "$image" >>"$dir/debootstrap.log" 2>&1
    piped=("${PIPESTATUS[@]}")
    rm -rf "$rootfs"
    if ((piped[0] != 0 || piped[1] != 0)); then
        _cloudbus_ctr_log "importing the Debian tree as $image failed"
        cloudbus_tail_log "$dir/debootstrap.log" 10
        return 1
    fi
    _cloudbus_ctr_log "built $image ($(_cloudbus_elapsed "$t0") s)"
}

# A copy of deploy/images/NAME in a new folder under DIR (printed): the image is built from, and
# its recipe hashed on, this copy, so an edit made during a build cannot leave an image whose
# content differs from its recipe label.
_cloudbus_stage_recipe() { # DIR NAME
    local stage
    stage=$(mktemp -d "$1/build-$2.XXXXXX") || return 1
    if ! cp -a "$CLOUDBUS_IMAGES_DIR/$2/." "$stage/"; then
        rm -rf "$stage"
        return 1
    fi
    printf '%s\n' "$stage"
}

# Builds localhost/cloudbus/NAME from the staged folder STAGE (its Containerfile inside) on the
# local base, labelled with RECIPE, then removes STAGE. Docker format: the OCI format drops a
# Containerfile's HEALTHCHECK. The image it replaces is removed unless something still uses it or
# another tag names it (podman refuses then).
_cloudbus_build_image() { # DIR NAME STAGE RECIPE [BUILD_ARG=VALUE...]
    local dir=$1 name=$2 stage=$3 recipe=$4 image old log arg rc=0
    shift 4
    image=$(_cloudbus_image_ref "$name")
    log=$dir/build-$name.log
    old=$(_cloudbus_image_id "$image" || true)
    local -a args=(--format docker --layers -f "$stage/Containerfile" -t "$image"
        --label "$CLOUDBUS_RECIPE_LABEL=$recipe" --build-arg "BASE=$(_cloudbus_image_ref debian)")
    for arg in "$@"; do
        args+=(--build-arg "$arg")
    done
    timeout 3600 podman build "${args[@]}" "$stage" >"$log" 2>&1 || rc=1
    rm -rf "$stage"
    if ((rc != 0)); then
        _cloudbus_ctr_log "building $image failed (whole log: $log)"
        cloudbus_tail_log "$log" 20
        return 1
    fi
    if [[ -n $old && $old != "$(_cloudbus_image_id "$image")" ]]; then
        podman rmi "$old" >/dev/null 2>&1 || true
    fi
}

# rabbitmq or postgres: built from deploy/images/NAME alone.
_cloudbus_recipe_image() { # DIR NAME
    local dir=$1 name=$2 image recipe stage t0
    image=$(_cloudbus_image_ref "$name")
    t0=$(_cloudbus_now)
    stage=$(_cloudbus_stage_recipe "$dir" "$name") || return 1
    recipe=$(_cloudbus_recipe_hash "$stage" "base $(_cloudbus_image_id "$(_cloudbus_image_ref debian)")")
    if _cloudbus_image_current "$name" "$recipe"; then
        rm -rf "$stage"
        _cloudbus_ctr_log "image $image up to date ($(_cloudbus_elapsed "$t0") s)"
        return 0
    fi
    _cloudbus_ctr_log "building $image from deploy/images/$name"
    _cloudbus_build_image "$dir" "$name" "$stage" "$recipe" || return 1
    _cloudbus_ctr_log "built $image ($(_cloudbus_elapsed "$t0") s)"
}

# The folder of the host's .NET (where `dotnet` really is).
_cloudbus_dotnet_root() {
    local dotnet
    dotnet=$(command -v dotnet) || return 1
    dotnet=$(readlink -f "$dotnet") || return 1
    dirname "$dotnet"
}

# The host's own CAs (update-ca-certificates adds them to the system's), one file name per line.
_cloudbus_host_cas() {
    find /usr/local/share/ca-certificates -type f -name '*.crt' 2>/dev/null | LC_ALL=C sort
}

# Copies each PATH of SRC into DEST (`.` for all of SRC): hard links when both are on one file
# system (instant, no space; nothing writes to them), else a copy.
_cloudbus_stage() { # SRC DEST PATH...
    local src=$1 dest=$2 path
    local -a paths=()
    shift 2
    for path in "$@"; do
        [[ -e $src/$path ]] && paths+=("$src/$path")
    done
    mkdir -p "$dest" || return 1
    if cp -al "${paths[@]}" "$dest/" 2>/dev/null; then
        return 0
    fi
    # Another file system. Removing what was linked so far only removes links.
    rm -rf "$dest" && mkdir -p "$dest" && cp -a "${paths[@]}" "$dest/"
}

# dotnet-sdk (the host's whole .NET folder) or aspnet (its runtime part only). The build context is
# the recipe folder plus dotnet/ and ca-certificates/ staged beside it, never the repository. The
# recipe covers the host's .NET versions and CAs, so an upgraded SDK or a new CA rebuilds the image.
_cloudbus_dotnet_image() { # DIR NAME
    local dir=$1 name=$2 image root recipe stage t0 sdks runtimes cas
    local -a parts build_args=()
    image=$(_cloudbus_image_ref "$name")
    t0=$(_cloudbus_now)
    if ! root=$(_cloudbus_dotnet_root) || ! runtimes=$(dotnet --list-runtimes 2>/dev/null) || [[ -z $runtimes ]]; then
        _cloudbus_ctr_log "the .NET images copy the host's .NET, and dotnet is not installed here"
        return 1
    fi
    sdks=$(dotnet --list-sdks 2>/dev/null || true)
    cas=$(_cloudbus_host_cas)
    if [[ $name == dotnet-sdk ]]; then
        if [[ -z $sdks ]]; then
            _cloudbus_ctr_log "the dotnet-sdk image copies the host's .NET SDK, and none is installed here"
            return 1
        fi
        parts=(.)
        build_args=("NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}")
    else
        parts=(dotnet host shared LICENSE.txt ThirdPartyNotices.txt)
        build_args=("DOTNET_VERSION=$(awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }' <<<"$runtimes")"
            "ASPNET_VERSION=$(awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }' <<<"$runtimes")")
    fi
    stage=$(_cloudbus_stage_recipe "$dir" "$name") || return 1
    recipe=$(_cloudbus_recipe_hash "$stage" "base $(_cloudbus_image_id "$(_cloudbus_image_ref debian)")" \
        "dotnet $root" "$sdks" "$runtimes" "${build_args[@]}" \
        "$(if [[ -n $cas ]]; then xargs -d '\n' sha256sum <<<"$cas"; fi)")
    if _cloudbus_image_current "$name" "$recipe"; then
        rm -rf "$stage"
        _cloudbus_ctr_log "image $image up to date ($(_cloudbus_elapsed "$t0") s)"
        return 0
    fi
    _cloudbus_ctr_log "building $image from deploy/images/$name and the host's .NET in $root"
    if ! _cloudbus_stage "$root" "$stage/dotnet" "${parts[@]}" || ! mkdir -p "$stage/ca-certificates" ||
        { [[ -n $cas ]] && ! xargs -d '\n' cp -t "$stage/ca-certificates/" <<<"$cas"; }; then
        _cloudbus_ctr_log "cannot stage the build context of $image in $stage"
        rm -rf "$stage"
        return 1
    fi
    _cloudbus_build_image "$dir" "$name" "$stage" "$recipe" "${build_args[@]}" || return 1
    _cloudbus_ctr_log "built $image ($(_cloudbus_elapsed "$t0") s)"
}

# Every local image, in order (each on the base), under the machine-wide build lock.
_cloudbus_local_images() { # DIR
    local dir=$1 t0 rc=0
    t0=$(_cloudbus_now)
    _cloudbus_images_lock || { _cloudbus_ctr_log "cannot take the image build lock"; return 1; }
    _cloudbus_debian_image "$dir" &&
        _cloudbus_recipe_image "$dir" rabbitmq &&
        _cloudbus_recipe_image "$dir" postgres &&
        _cloudbus_dotnet_image "$dir" dotnet-sdk &&
        _cloudbus_dotnet_image "$dir" aspnet || rc=1
    _cloudbus_images_unlock
    ((rc == 0)) || return 1
    _cloudbus_ctr_log "local images ready ($(_cloudbus_elapsed "$t0") s)"
}

# ---------------------------------------------------------------------------------------------
# Start and stop
# ---------------------------------------------------------------------------------------------

_cloudbus_write_containers_env() { # DIR ENGINE DOCKER_HOST
    local dir=$1 engine=$2 host=$3 f=$1/containers.env
    {
        printf '# Written by scripts/lib/containers.sh: the container engine of %s (source it)\n' "$dir"
        printf 'export CLOUDBUS_CONTAINER_ENGINE=%q\n' "$engine"
        printf 'export DOCKER_HOST=%q\n' "$host"
        # The tests label their containers with it; cloudbus_containers_stop removes those only.
        printf 'export CLOUDBUS_CONTAINERS_RUN=%q\n' "$dir"
        if [[ $engine == podman ]]; then
            # No Ryuk (its image cannot be pulled): cloudbus_containers_stop removes the leftovers.
            printf 'export TESTCONTAINERS_RYUK_DISABLED=true\n'
            # This machine has a /.dockerenv: Testcontainers would think it runs in a container and
            # dial the bridge gateway instead of the ports published on loopback.
            printf 'export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1\n'
            printf 'export CLOUDBUS_RABBITMQ_IMAGE=%q\n' "$(_cloudbus_image_ref rabbitmq)"
            printf 'export CLOUDBUS_POSTGRES_IMAGE=%q\n' "$(_cloudbus_image_ref postgres)"
            printf 'export CLOUDBUS_DOTNET_SDK_IMAGE=%q\n' "$(_cloudbus_image_ref dotnet-sdk)"
            printf 'export CLOUDBUS_ASPNET_IMAGE=%q\n' "$(_cloudbus_image_ref aspnet)"
        else
            printf 'export CLOUDBUS_RABBITMQ_IMAGE=%q\n' rabbitmq:3.13-management
            printf 'export CLOUDBUS_POSTGRES_IMAGE=%q\n' postgres:15
            printf 'export CLOUDBUS_DOTNET_SDK_IMAGE=%q\n' mcr.microsoft.com/dotnet/sdk:10.0
            printf 'export CLOUDBUS_ASPNET_IMAGE=%q\n' mcr.microsoft.com/dotnet/aspnet:10.0
        fi
    } >"$f.tmp" && mv -f "$f.tmp" "$f"
}

cloudbus_containers_start() { # DIR
    local dir=${1:?usage: cloudbus_containers_start DIR} t0 host engine
    t0=$(_cloudbus_now)
    if ! mkdir -p "$dir" || ! dir=$(cd "$dir" && pwd -P); then
        _cloudbus_ctr_log "cannot create $1"
        return 1
    fi
    if host=$(_cloudbus_docker_engine); then
        engine=docker
        _cloudbus_ctr_log "a Docker engine answers at $host: using it with the official images ($(_cloudbus_elapsed "$t0") s)"
    else
        engine=podman
        host=unix://$dir/podman.sock
        _cloudbus_ctr_log "no Docker engine answers: podman with local images ($(_cloudbus_elapsed "$t0") s)"
        _cloudbus_podman_engine_start "$dir" || return 1
        _cloudbus_local_images "$dir" || return 1
    fi
    _cloudbus_write_containers_env "$dir" "$engine" "$host" || return 1
    # shellcheck disable=SC1091  # just written
    source "$dir/containers.env" || return 1
    _cloudbus_ctr_log "$engine ready in $(_cloudbus_elapsed "$t0") s; settings in $dir/containers.env"
}

# Ids of the podman containers DIR's run left: those labelled cloudbus.test-run=DIR, and the
# Testcontainers ones (label org.testcontainers=true) that DIR's service created (its annotation);
# never another run's on the same machine.
_cloudbus_podman_run_containers() { # DIR
    local dir=$1 id mark
    local -a testcontainers=()
    podman ps -aq --no-trunc --filter "label=$CLOUDBUS_RUN_LABEL=$dir" 2>/dev/null
    mapfile -t testcontainers < <(podman ps -aq --no-trunc --filter label=org.testcontainers=true 2>/dev/null)
    ((${#testcontainers[@]} > 0)) || return 0
    while read -r id mark; do
        if [[ $mark == "$dir" ]]; then
            printf '%s\n' "$id"
        fi
    done < <(podman container inspect --format "{{.Id}} {{index .Config.Annotations \"$CLOUDBUS_DIR_ANNOTATION\"}}" \
        "${testcontainers[@]}" 2>/dev/null)
}

# Removes the containers DIR's run left (Ryuk is off with podman; with Docker it is on, and only
# the containers labelled with the run are removed here).
_cloudbus_remove_run_containers() { # DIR
    local dir=$1 engine
    local -a ids=()
    engine=$(sed -n 's/^export CLOUDBUS_CONTAINER_ENGINE=//p' "$dir/containers.env" 2>/dev/null || true)
    if [[ $engine == docker ]]; then
        # shellcheck disable=SC1091  # written by cloudbus_containers_start
        (source "$dir/containers.env" &&
            docker ps -aq --filter "label=$CLOUDBUS_RUN_LABEL=$dir" | xargs -r docker rm -f -v >/dev/null 2>&1) || true
        return 0
    fi
    command -v podman >/dev/null 2>&1 || return 0
    mapfile -t ids < <(_cloudbus_podman_run_containers "$dir" | sort -u)
    ((${#ids[@]} > 0)) || return 0
    podman rm -f -v -t 0 "${ids[@]}" >/dev/null 2>&1 || true
    _cloudbus_ctr_log "removed ${#ids[@]} container(s) this run's tests left"
}

cloudbus_containers_stop() { # DIR
    local dir=${1:?usage: cloudbus_containers_stop DIR} pid
    [[ -d $dir ]] || return 0
    dir=$(cd "$dir" && pwd -P) || return 0
    _cloudbus_remove_run_containers "$dir"
    pid=$(cat "$dir/health-pump.pid" 2>/dev/null || true)
    if _cloudbus_pid_is_ours "$pid" "$dir/health-pump.pid"; then
        cloudbus_kill_pids 5 "$pid"
    fi
    rm -f "$dir/health-pump.pid"
    pid=$(cat "$dir/podman.pid" 2>/dev/null || true)
    if _cloudbus_podman_service_is_ours "$dir" "$pid"; then
        cloudbus_kill_pids 10 "$pid"
        _cloudbus_ctr_log "podman's Docker API on unix://$dir/podman.sock stopped"
    fi
    rm -f "$dir/podman.pid" "$dir/podman.sock"
    return 0
}
