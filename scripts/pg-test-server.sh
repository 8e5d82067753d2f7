#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's postgresql package, version 15 preferred).
#
#   pg-test-server.sh start  STATE_DIR   initdb into a new temporary data directory, start on a free
#                                        port of 127.0.0.1 (trust auth, fsync on), print the URL
#   pg-test-server.sh stop   STATE_DIR   stop the server and remove its data directory (idempotent)
#   pg-test-server.sh pause  STATE_DIR   stop the server (pg_ctl stop -m fast), keep its data
#   pg-test-server.sh resume STATE_DIR   start it again on the same port
#   pg-test-server.sh replica STATE_DIR  start a streaming replica of that server (pg_basebackup
#                                        -R: a hot standby on a free port), kept in
#                                        STATE_DIR/replica; `stop` stops it first
#   pg-test-server.sh env    STATE_DIR -- COMMAND [ARGS...]
#                                        run COMMAND with LEADPROC_TEST_PG_URL and
#                                        LEADPROC_TEST_DATABASE_URL set to the server's URL (and
#                                        LEADPROC_TEST_PG_REPLICA_URL to the replica's, if any)
#
# STATE_DIR (created if missing) holds `url`, `port` and `datadir`; the data directory itself is
# a mktemp directory under ${PG_TEST_TMPDIR:-/tmp}. initdb refuses to run as root, so when run as
# root the server runs as the `postgres` user (created by the postgresql package) via runuser.
# `start` first stops a server a previous run may have left in STATE_DIR. PG_SERVER_OPTS adds
# server settings to `start` and `resume` (the benchmarks: "-c shared_buffers=1GB").
set -euo pipefail

usage() {
  sed -n '2,20p' "$0" >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
state=$2
shift 2

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
  elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    echo /usr/lib/postgresql/15/bin
  else
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    [ -n "$d" ] || {
      echo "pg-test-server: no PostgreSQL server binaries (apt-get install postgresql)" >&2
      exit 1
    }
    echo "$d"
  fi
}

# Runs a command as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the server of `datadir` on `port`; fails if it cannot (e.g. the port was taken).
start_server() {
  local datadir=$1 port=$2
  as_owner "$(pg_bin)/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$datadir \
-c fsync=on -c max_connections=300 -c shared_buffers=32MB ${PG_SERVER_OPTS:-}" start >/dev/null
}

stop_server() {
  local datadir=$1 mode=$2
  if [ -f "$datadir/postmaster.pid" ]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$datadir" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
  fi
}

case "$cmd" in
  start)
    mkdir -p "$state"
    "$0" stop "$state"
    # Under /tmp (not $TMPDIR, which may sit in a home directory the postgres user cannot enter).
    datadir=$(mktemp -d "${PG_TEST_TMPDIR:-/tmp}/leadproc-pg-XXXXXX")
    echo "$datadir" >"$state/datadir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$datadir"; fi
    chmod 700 "$datadir"
    as_owner "$(pg_bin)/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$state/initdb.log" 2>&1 || {
      cat "$state/initdb.log" >&2
      exit 1
    }
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      port_in_use "$port" && continue
      if start_server "$datadir" "$port"; then
        echo "$port" >"$state/port"
        url="postgresql://postgres@127.0.0.1:$port/postgres"
        echo "$url" >"$state/url"
        echo "$url"
        exit 0
      fi
    done
    echo "pg-test-server: could not start PostgreSQL; its log:" >&2
    cat "$datadir/server.log" >&2 || true
    exit 1
    ;;
  replica)
    [ -f "$state/port" ] || {
      echo "pg-test-server: no server in $state (run: $0 start $state)" >&2
      exit 1
    }
    "$0" stop "$state/replica"
    mkdir -p "$state/replica"
    datadir=$(mktemp -d "${PG_TEST_TMPDIR:-/tmp}/leadproc-pg-replica-XXXXXX")
    echo "$datadir" >"$state/replica/datadir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$datadir"; fi
    chmod 700 "$datadir"
    # A copy of the primary that streams its WAL (initdb -A trust allows replication from
    # 127.0.0.1); -R writes standby.signal and primary_conninfo.
    as_owner "$(pg_bin)/pg_basebackup" -h 127.0.0.1 -p "$(cat "$state/port")" -U postgres \
      -D "$datadir" -R -X stream --no-sync >"$state/replica/basebackup.log" 2>&1 || {
      cat "$state/replica/basebackup.log" >&2
      exit 1
    }
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      port_in_use "$port" && continue
      if start_server "$datadir" "$port"; then
        echo "$port" >"$state/replica/port"
        url="postgresql://postgres@127.0.0.1:$port/postgres"
        echo "$url" >"$state/replica/url"
        echo "$url"
        exit 0
      fi
    done
    echo "pg-test-server: could not start the replica; its log:" >&2
    cat "$datadir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    [ -d "$state/replica" ] && "$0" stop "$state/replica"
    [ -f "$state/datadir" ] || exit 0
    datadir=$(cat "$state/datadir")
    stop_server "$datadir" immediate
    rm -rf "$datadir"
    rm -f "$state/datadir" "$state/url" "$state/port" "$state/initdb.log"
    ;;
  pause)
    stop_server "$(cat "$state/datadir")" fast
    ;;
  resume)
    start_server "$(cat "$state/datadir")" "$(cat "$state/port")"
    ;;
  env)
    [ "${1:-}" = "--" ] && shift
    [ $# -ge 1 ] || usage
    [ -f "$state/url" ] || {
      echo "pg-test-server: no server in $state (run: $0 start $state)" >&2
      exit 1
    }
    url=$(cat "$state/url")
    export LEADPROC_TEST_PG_URL="$url" LEADPROC_TEST_DATABASE_URL="$url"
    if [ -f "$state/replica/url" ]; then
      LEADPROC_TEST_PG_REPLICA_URL=$(cat "$state/replica/url")
      export LEADPROC_TEST_PG_REPLICA_URL
    fi
    exec "$@"
    ;;
  *)
    usage
    ;;
esac
