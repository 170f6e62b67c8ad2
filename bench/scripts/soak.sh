#!/usr/bin/env bash
# The connection soak (issue 12): one PD Prime instance on PostgreSQL, production-shaped
# (server-config/payara/preboot.asadmin and production.asadmin, its own in-VM broker), and soak/Soak.java driving waves of
# connections against it; the live heap after a full GC is measured after every wave.
#   bash scripts/soak.sh OUT.txt [Soak.java options...]      e.g. --waves 10 --conns 10000
# PostgreSQL, not the embedded H2: H2 keeps every websocket_connections row on the heap, which
# would mix the database's growth into what is measured here (the memory held by closed sockets).
# Env: PORT (default 18080), SKIP_BUILD=1, LOAD_MAX=1.0, LOAD_WAIT_MAX=600.
set -euo pipefail
source "$(dirname "$0")/servers.sh"
out=$1; shift
port=${PORT:-18080}
ulimit -n "$(ulimit -Hn)"
[[ -f "$STAGE/target/server/postgresql.jar" && "${SKIP_BUILD:-0}" == 1 ]] || build_pdprime
export BENCH_DB=realtime_soak
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >&2
grep -v '^realtime.instance.id=' "$STAGE/server-config/payara/embedded.properties" > "$STAGE/cluster.properties"
load=$(load_gate)
log "load before start: $load"
pid=$(BROKER_URL="vm://localhost?broker.persistent=false&broker.useJmx=false&broker.advisorySupport=false" \
  start_server pdprime-cluster "$port" soak-1)
stop() {
  local t0=$SECONDS
  stop_server "$pid"
  log "server stopped $((SECONDS - t0)) s after SIGTERM"
}
trap stop EXIT
{
  echo "# soak $(date -u +%FT%TZ), $(cat "$STAGE/BUILD-INFO")"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1), load before start: $load"
  echo "# command: bash scripts/soak.sh $out $*"
  java -Xmx1g "$BENCH_DIR/soak/Soak.java" --port "$port" --metrics-port $((port + 1000)) --server-pid "$pid" \
    --key "$STAGE/server-config/dev/DEVELOPMENT-ONLY-private-key.pem" "$@"
} 2>&1 | tee "$out"
