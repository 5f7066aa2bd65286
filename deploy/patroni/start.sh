#!/bin/sh
# The container's command: Patroni takes its superuser and replication passwords from its
# environment, so they are put there from the compose secret file here, at the last moment,
# instead of travelling in compose's environment (docker inspect shows that to anyone).
set -eu
password=$(cat /run/secrets/postgres_password)
PATRONI_SUPERUSER_PASSWORD=$password
PATRONI_REPLICATION_PASSWORD=$password
export PATRONI_SUPERUSER_PASSWORD PATRONI_REPLICATION_PASSWORD
exec patroni /etc/patroni/patroni.yml
