#!/usr/bin/env bash
# The HA servers (3 RabbitMQ nodes, 3 etcd members, 2 Patroni PostgreSQL nodes) from the command
# line: what tests, the chaos benchmark and ./up.sh ha call. The work is done by
# scripts/lib/haservers.sh; see there for the layout of DIR. Runs as root.
#
#   scripts/ha-servers.sh DIR start           start (or reuse) everything, wait until ready;
#                                             settings in DIR/env.sh
#   scripts/ha-servers.sh DIR stop            stop everything under DIR
#   scripts/ha-servers.sh DIR status          each node and its role; exit 1 unless all run
#   scripts/ha-servers.sh DIR kill-rabbit N   SIGKILL broker node N (1-3)
#   scripts/ha-servers.sh DIR start-rabbit N  start node N again, wait until it is in the cluster
#   scripts/ha-servers.sh DIR pg-primary      print the index of the PostgreSQL primary (1-2)
#   scripts/ha-servers.sh DIR kill-pg N       SIGKILL Patroni and PostgreSQL of node N (1-2)
#   scripts/ha-servers.sh DIR start-pg N      start node N again, wait until it is the primary
#                                             or the synchronous replica
#   scripts/ha-servers.sh DIR wait-primary SECS  wait until a primary takes writes; print its index
#
# Progress and errors go to stderr; stdout carries only what a command prints (status lines, an
# index).
set -euo pipefail

# shellcheck source=scripts/lib/haservers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/haservers.sh"

usage() {
    sed -n '/^#   scripts/s/^#   //p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

(($# >= 2)) || usage
dir=$1 command=$2
shift 2
case $command in
start)
    cloudbus_ha_servers_start "$dir"
    # Handed-out ports are remembered per shell; this shell ends here.
    cloudbus_forget_ports
    ;;
stop) cloudbus_ha_servers_stop "$dir" ;;
status)
    cloudbus_ha_servers_status "$dir"
    cloudbus_ha_servers_running "$dir"
    ;;
kill-rabbit) cloudbus_ha_rabbit_kill "$dir" "${1:-}" ;;
start-rabbit) cloudbus_ha_rabbit_start "$dir" "${1:-}" ;;
pg-primary) cloudbus_ha_pg_primary "$dir" ;;
kill-pg) cloudbus_ha_pg_kill "$dir" "${1:-}" ;;
start-pg) cloudbus_ha_pg_start "$dir" "${1:-}" ;;
wait-primary) cloudbus_ha_pg_wait_primary "$dir" "${1:-}" ;;
*) usage ;;
esac
