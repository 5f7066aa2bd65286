#!/bin/sh
# Writes rabbitmq.conf from the environment, then runs the broker as PID 1 as the rabbitmq user.
# Debian's broker logs to files and lets guest in from loopback only; the tests need the console
# log and their own administrator (no guest is created when a default user is configured). More
# settings (a TLS listener, for example) go in /etc/rabbitmq/conf.d/*.conf, as with the official image.
set -eu
: "${RABBITMQ_DEFAULT_USER:?RABBITMQ_DEFAULT_USER is required}"
: "${RABBITMQ_DEFAULT_PASS:?RABBITMQ_DEFAULT_PASS is required}"
conf=/etc/rabbitmq/rabbitmq.conf
{
    echo "log.console = true"
    echo "log.console.level = info"
    echo "log.file = false"
    echo "loopback_users = none"
    echo "default_user = $RABBITMQ_DEFAULT_USER"
    echo "default_pass = $RABBITMQ_DEFAULT_PASS"
    echo "default_user_tags.administrator = true"
} >"$conf"
chown rabbitmq:rabbitmq "$conf"
chmod 600 "$conf"
export HOME=/var/lib/rabbitmq
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
