#!/usr/bin/env bash
# One measured run against one server: load gate, start a fresh server process (a new JVM for PD
# Prime; a port already in use is refused), run the generator, stop the server. Warm-up is a phase of
# the generator (e.g. --phases "warm:300@90,..."): give every server the same one.
#   bash scripts/bench.sh SERVER OUT.json [run.mjs options...]
#   SERVER = pdprime | pdprime-postgres | pdprime-wildfly | ws | socketio
# Env: PORT (default 18080 / 19101 / 19102), SKIP_BUILD=1, LOAD_MAX=1.0, LOAD_WAIT_MAX=600.
set -euo pipefail
source "$(dirname "$0")/servers.sh"
server=$1 out=$2; shift 2
case $server in pdprime|pdprime-postgres|pdprime-wildfly) port=${PORT:-18080} ;; ws) port=${PORT:-19101} ;; socketio) port=${PORT:-19102} ;; esac
# The generator speaks PD Prime's protocol to the WAR on either server; the label keeps them apart.
protocol=${server%-wildfly}
protocol=${protocol%-postgres}
metrics_port=$port
[[ $server == pdprime-wildfly ]] && metrics_port=9990
# production.asadmin serves /metrics on the operator listener only (port + 1000).
[[ $server == pdprime-postgres ]] && metrics_port=$((port + 1000))
ulimit -n "$(ulimit -Hn)"
# PD Prime runs the work tree's code unless SKIP_BUILD=1 reuses what is staged (start_server alone
# builds only into an empty STAGE, so a second bench.sh ran the first one's WAR).
if [[ $server == pdprime* && "${SKIP_BUILD:-0}" != 1 ]]; then
  build_pdprime
  rm -rf "$STAGE/wildfly"
fi
load=$(load_gate)
log "load before start: $load"
if [[ $server == pdprime-postgres ]]; then
  pid=$(start_pdprime_postgres "$port")
else
  pid=$(start_server "$server" "$port")
fi
trap 'stop_server "$pid"' EXIT
sleep "${SETTLE_SECONDS:-5}"
# What the PostgreSQL server runs with goes into the result: this machine's CI configuration turns
# autovacuum off (conf.d), so the tables a storm churns (room_presence, websocket_connections) bloat
# over an aged run, where production's autovacuum would clean them.
db_settings=
if [[ $server == pdprime-postgres ]]; then
  db_settings=$(psql -Atq -h 127.0.0.1 -U postgres -d postgres -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('server_version', 'autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size')")
fi
BENCH_DB_SETTINGS="$db_settings" BENCH_LOAD_BEFORE="$load" node "$BENCH_DIR/run.mjs" --server "$protocol" --port "$port" --server-pid "$pid" --metrics-port "$metrics_port" --label "$server" --out "$out" "$@"
