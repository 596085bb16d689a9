#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for the service tests and print its URL on stdout (logs go to stderr).
# Installs Debian's postgresql when missing (needs root), runs the cluster as the postgres user in a temp dir on
# a free loopback port, creates database gridnest_test. Usage: export GRIDNEST_TEST_PG_URL=$(scripts/start-test-postgres.sh)
# Stop it with: pg_ctl -D "$(dirname of the printed data dir)" stop  (the data dir is printed on stderr).
set -euo pipefail

log() { echo "start-test-postgres: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  log "postgresql not found; installing with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BIN=$(find_bin)
fi

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE=$(mktemp -d /tmp/gridnest-pg.XXXXXX)
chmod 755 "$BASE"
DATA="$BASE/data"
mkdir -p "$DATA"
if [ "$(id -u)" = "0" ]; then chown -R postgres: "$BASE"; fi

as_postgres "$BIN/initdb" -D "$DATA" -A trust -U postgres --no-sync >"$BASE/initdb.log" 2>&1 || {
  cat "$BASE/initdb.log" >&2
  exit 1
}
as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 \
  -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2
as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres gridnest_test >&2
log "cluster data dir $DATA (stop: runuser -u postgres -- $BIN/pg_ctl -D $DATA stop)"
echo "postgres://postgres@127.0.0.1:$PORT/gridnest_test"
