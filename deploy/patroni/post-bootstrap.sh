#!/bin/sh
# Run once by Patroni on the first primary (bootstrap.post_bootstrap), with a superuser connection
# string as $1: creates the user and database the CloudBus services connect with. psql reads the
# password from the compose secret file itself (\set with a backquoted command), so it is never on
# a command line.
set -eu
psql -v ON_ERROR_STOP=1 -v user="$CLOUDBUS_POSTGRES_USER" -v db="$CLOUDBUS_POSTGRES_DB" "$1" <<'SQL'
\set password `cat /run/secrets/postgres_password`
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
