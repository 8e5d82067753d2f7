# Sourced by the benchmark scripts: one `leadproc serve` at a time, on a free loopback port.
#   serve BINARY DATABASE_URL [VAR=value...]   starts it (VARs go to its environment) and
#                                              waits until it is ready: sets SERVER_PID, PORT, URL
#   stop_server                                stops it (safe when none runs)
# The caller sets WORK (a scratch folder: the port file and server.log go there). A server that
# does not start ends the script with the tail of its log.
SERVER_PID=
serve() {
  local binary=$1 database=$2
  shift 2
  rm -f "$WORK/port"
  env "$@" "$binary" serve --database-url "$database" --listen 127.0.0.1:0 \
    --port-file "$WORK/port" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 3000); do
    [[ -s $WORK/port ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ ! -s $WORK/port ]]; then
    tail -20 "$WORK/server.log" >&2
    echo "$(basename "$0"): the server did not start" >&2
    exit 1
  fi
  PORT=$(cat "$WORK/port")
  URL=http://127.0.0.1:$PORT
  for _ in $(seq 100); do curl -fs "$URL/readyz" >/dev/null && break; sleep 0.1; done
}
stop_server() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
