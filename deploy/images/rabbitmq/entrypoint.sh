#!/bin/sh
# Entrypoint of localhost/cloudbus/rabbitmq:1 (deploy/images/rabbitmq/Containerfile).
#
# Debian's broker logs to files only, lets guest in from loopback only and knows nothing of the
# official image's RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS. So this writes, on every start:
#   rabbitmq.conf    console log (Testcontainers waits for "Server startup complete"), no log file,
#                    logins from anywhere (published ports arrive through the engine's bridge, not
#                    loopback), and an AMQPS listener on 5671 when /etc/rabbitmq/tls holds ca.crt,
#                    server.crt and server.key
#   advanced.config  the default user and password (and virtual host, RABBITMQ_DEFAULT_VHOST, "/"
#                    when unset), as Erlang binaries so that no character of a
#                    password can end the value early (in rabbitmq.conf a '#' starts a comment);
#                    with a default user configured the broker creates it instead of guest
# then replaces itself with the broker (PID 1, as the rabbitmq user), which stops cleanly on SIGTERM.
# Any other command (`podman run -it IMAGE bash`) is run as given.
set -eu

if [ "$#" -gt 0 ] && [ "$1" != rabbitmq-server ]; then
    exec "$@"
fi

: "${RABBITMQ_DEFAULT_USER:?RABBITMQ_DEFAULT_USER is required (the administrator of the broker)}"
: "${RABBITMQ_DEFAULT_PASS:?RABBITMQ_DEFAULT_PASS is required}"

conf_dir=/etc/rabbitmq
home=/var/lib/rabbitmq
tls_in=/etc/rabbitmq/tls
tls=$home/tls

# An Erlang binary literal holding $1: backslashes and double quotes escaped.
erlang_binary() {
    printf '<<"%s"/utf8>>' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"
}

# The TLS files as the broker can read them whatever their owner and mode where they were mounted
# or copied (a key is often 600 root): copies owned by the broker's user, the key readable by it only.
copy_tls_files() {
    rm -rf "$tls"
    mkdir -p "$tls"
    cp "$tls_in/ca.crt" "$tls_in/server.crt" "$tls_in/server.key" "$tls/"
    chmod 644 "$tls/ca.crt" "$tls/server.crt"
    chmod 600 "$tls/server.key"
    if [ "$(id -u)" = 0 ]; then
        chown -R rabbitmq:rabbitmq "$tls"
    fi
}

{
    echo "# Written by cloudbus-rabbitmq at container start"
    echo "log.console = true"
    echo "log.console.level = info"
    echo "log.file = false"
    echo "loopback_users = none"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    if [ -s "$tls_in/ca.crt" ] && [ -s "$tls_in/server.crt" ] && [ -s "$tls_in/server.key" ]; then
        copy_tls_files
        echo "listeners.ssl.default = 5671"
        echo "ssl_options.cacertfile = $tls/ca.crt"
        echo "ssl_options.certfile = $tls/server.crt"
        echo "ssl_options.keyfile = $tls/server.key"
        echo "ssl_options.verify = verify_none"
        echo "ssl_options.fail_if_no_peer_cert = false"
    fi
} >"$conf_dir/rabbitmq.conf"

{
    echo "%% Written by cloudbus-rabbitmq at container start"
    printf '[{rabbit, [{default_user, %s}, {default_pass, %s}, {default_vhost, %s}]}].\n' \
        "$(erlang_binary "$RABBITMQ_DEFAULT_USER")" "$(erlang_binary "$RABBITMQ_DEFAULT_PASS")" \
        "$(erlang_binary "${RABBITMQ_DEFAULT_VHOST:-/}")"
} >"$conf_dir/advanced.config"
chmod 600 "$conf_dir/advanced.config"

# RUNNING_UNDER_SYSTEMD makes Debian's rabbitmq-server script exec the Erlang VM instead of running
# it as a child of a shell that waits: the broker itself is PID 1 and gets the engine's SIGTERM.
# Its working folder is its home, where it may write (an Erlang crash dump lands there).
cd "$home"
if [ "$(id -u)" = 0 ]; then
    chown rabbitmq:rabbitmq "$conf_dir/rabbitmq.conf" "$conf_dir/advanced.config"
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
        env HOME="$home" RUNNING_UNDER_SYSTEMD=true /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec env HOME="$home" RUNNING_UNDER_SYSTEMD=true /usr/lib/rabbitmq/bin/rabbitmq-server
