#!/usr/bin/env bash
# Starts (once) a private PostgreSQL cluster from the distribution's packages for the job-store
# tests, no Docker: trust authentication on 127.0.0.1 only, fsync off (test data), under the
# postgres user when run as root (PostgreSQL refuses root). Prints its URL. Installs Debian's
# postgresql when no server is found.
set -euo pipefail
port="${PYLON_PG_PORT:-55432}"
dir="${PYLON_PG_DIR:-/tmp/pylon-pg-$port}"
# Test processes start at once and each may call this: one at a time, so a second caller
# neither starts the cluster again nor hands out its URL while it is still starting up.
exec 9>"/tmp/pylon-pg-$port.lock"
flock 9
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "== apt-get install postgresql" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin="$(find_bin)"
fi
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
fi
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  "${as_owner[@]}" "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null
fi
if ! "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o \
    "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null 9>&-
fi
for _ in $(seq 100); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.1
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || {
  echo "PostgreSQL on port $port does not accept connections (see $dir/server.log)" >&2
  exit 1
}
echo "postgres://postgres@127.0.0.1:$port/postgres"
