#!/bin/sh
# Run once by Patroni on the first primary (bootstrap.post_bootstrap), with a superuser connection
# string as $1: creates the user and database the CloudBus services connect with.
set -eu
psql -v ON_ERROR_STOP=1 -v user="$CLOUDBUS_POSTGRES_USER" -v password="$CLOUDBUS_POSTGRES_PASSWORD" \
    -v db="$CLOUDBUS_POSTGRES_DB" "$1" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
