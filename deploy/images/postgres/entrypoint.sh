#!/bin/sh
# Entrypoint of localhost/cloudbus/postgres:1 (deploy/images/postgres/Containerfile), the parts of
# the official postgres image's entrypoint that the tests use:
#   - on the first start only (no $PGDATA/PG_VERSION yet), initdb with POSTGRES_USER (postgres) as
#     the superuser and POSTGRES_PASSWORD (or the contents of the file POSTGRES_PASSWORD_FILE
#     names, read as root before the privileges are dropped) as its password (required, unless
#     POSTGRES_HOST_AUTH_METHOD=trust), UTF-8; connections from anywhere with scram-sha-256
#     passwords (`host all all all scram-sha-256`), listen_addresses = '*'; then POSTGRES_DB (the
#     user's name) is created and /docker-entrypoint-initdb.d/*.sql and *.sh are run, on a
#     temporary server that listens on no TCP port (so a wait on pg_isready cannot see it);
#   - a later start (the container stopped and started again) keeps the data as it is;
#   - postgres replaces this script (PID 1, as the postgres user) with the arguments given: the
#     image's CMD is `postgres`, and `-c name=value ...` alone (Testcontainers) is passed on too.
# Any other command (`podman run -it IMAGE bash`) is run as given.
set -eu

case "${1:-postgres}" in
    postgres) [ "$#" -eq 0 ] || shift ;;
    -*) ;;
    *) exec "$@" ;;
esac

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
sockets=/var/run/postgresql

is_root() { [ "$(id -u)" = 0 ]; }

# postgres and initdb refuse to run as root.
as_postgres() {
    if is_root; then
        setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql "$@"
    else
        "$@"
    fi
}

# The scripts a derived image or a mount puts in /docker-entrypoint-initdb.d, in name order.
run_init_scripts() {
    for f in /docker-entrypoint-initdb.d/*; do
        case $f in
            *.sql) as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$sockets" --username="$user" --dbname="$db" -f "$f" ;;
            *.sh) sh "$f" ;;
        esac
    done
}

has_init_scripts() {
    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] && return 0
    done
    return 1
}

init_data() {
    if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
        if [ -n "${POSTGRES_PASSWORD:-}" ]; then
            echo "cloudbus-postgres: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, not both" >&2
            exit 1
        fi
        POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE") || {
            echo "cloudbus-postgres: cannot read POSTGRES_PASSWORD_FILE $POSTGRES_PASSWORD_FILE" >&2
            exit 1
        }
    fi
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
        echo "cloudbus-postgres: POSTGRES_PASSWORD is required (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    # The password goes to initdb in a file, never on a command line.
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
    pwopt=
    if [ -n "${POSTGRES_PASSWORD:-}" ]; then
        pwopt=--pwfile=$pwfile
    fi
    if is_root; then
        chown postgres "$pwfile"
    fi
    as_postgres initdb --username="$user" ${pwopt:+"$pwopt"} --auth-local=trust --auth-host="$auth" \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions
    rm -f "$pwfile"
    echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"

    if [ "$db" != postgres ] || has_init_scripts; then
        as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=$sockets" start >/dev/null
        if [ "$db" != postgres ]; then
            printf 'CREATE DATABASE :"db";\n' |
                as_postgres psql -X -q -v ON_ERROR_STOP=1 -v db="$db" -h "$sockets" --username="$user" --dbname=postgres
        fi
        run_init_scripts
        as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "cloudbus-postgres: database $db of user $user initialised in $PGDATA"
}

if is_root; then
    # PGDATA may be a fresh volume, or elsewhere: owned by postgres and private, as initdb wants.
    mkdir -p "$PGDATA" "$sockets"
    chown postgres:postgres "$PGDATA" "$sockets"
    chmod 700 "$PGDATA"
    chmod 2775 "$sockets"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    init_data
fi

if is_root; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql postgres "$@"
fi
exec postgres "$@"
