# Sourced by the bench scripts: start and stop each server under test. Loopback only.
# PD Prime Realtime runs from a staged copy (STAGE) of the built WAR, the Payara Micro jar and
# server-config/, so a concurrent `mvn` in the work tree cannot swap the WAR under a running bench.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
STAGE=${STAGE:-/tmp/pdbench/stage}
LOGDIR=${LOGDIR:-/tmp/pdbench/logs}
mkdir -p "$LOGDIR"

log() { echo "$(date -u +%H:%M:%S) $*" >&2; }

# Waits (polling every 30 s, at most LOAD_WAIT_MAX s) until the 1-minute load average is at most
# LOAD_MAX; prints the load average it ends with, whether or not it got there.
load_gate() {
  local max=${LOAD_MAX:-1.0} waited=0 limit=${LOAD_WAIT_MAX:-600}
  while :; do
    local l1; l1=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$l1" -v m="$max" 'BEGIN{exit !(l<=m)}'; then break; fi
    if (( waited >= limit )); then log "load $l1 still above $max after ${waited}s; running anyway"; break; fi
    log "load $l1 above $max; waiting 30 s"
    sleep 30; waited=$((waited+30))
  done
  cat /proc/loadavg
}

# Builds the WAR with `mvn -q package -DskipTests` from a copy of the work tree (BUILD_DIR), so the
# build neither races nor replaces target/ of anyone testing in the work tree at the same time, then
# stages what the server needs. BUILD_IN_PLACE=1 builds in the work tree itself.
build_pdprime() {
  local src=$ROOT
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    if [[ "${BUILD_IN_PLACE:-0}" != 1 ]]; then
      src=${BUILD_DIR:-/tmp/pdbench/build}
      rm -rf "$src" && mkdir -p "$src"
      (cd "$ROOT" && tar --exclude=./target --exclude=./bench --exclude=./.git -cf - .) | (cd "$src" && tar -xf -)
    fi
    log "building the WAR in $src (mvn -q package -DskipTests)"
    (cd "$src" && mvn -q package -DskipTests) >&2
  elif [[ -f "${BUILD_DIR:-/tmp/pdbench/build}/target/pdprime-realtime.war" && "${BUILD_IN_PLACE:-0}" != 1 ]]; then
    src=${BUILD_DIR:-/tmp/pdbench/build}
  fi
  rm -rf "$STAGE" && mkdir -p "$STAGE/target/server"
  cp "$src/target/pdprime-realtime.war" "$STAGE/target/"
  cp "$src/target/server/payara-micro.jar" "$src/target/server/activemq-rar.rar" "$src/target/server/postgresql.jar" \
    "$src/target/server/pdprime-realtime-container.jar" \
    "$STAGE/target/server/"
  cp -r "$src/server-config" "$STAGE/"
  log "staged the WAR in $STAGE ($(sha1sum "$STAGE/target/pdprime-realtime.war" | cut -c1-12), work tree at git $(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- src pom.xml server-config || echo ' with uncommitted changes'))" 
  echo "git $(cd "$ROOT" && git rev-parse HEAD); war sha1 $(sha1sum "$STAGE/target/pdprime-realtime.war" | cut -d' ' -f1); built $(date -u +%FT%TZ)" > "$STAGE/BUILD-INFO"
}

# start_server NAME PORT -> prints the server's pid once it answers
# The generator opens every connection from 127.0.0.1, and may open many per user: the per-address
# and per-user socket caps (2,000 and 10 by default) would refuse the workloads, so the bench lifts them.
# WildFly beside Payara (issue 17): the same staged WAR, in a WildFly 39 that the build unpacked and
# configured with server-config/wildfly/embedded.cli (mvn package -Dwildfly.skip=false), copied to
# $STAGE/wildfly with the WAR in its deployments directory.
stage_wildfly() {
  local src=${BUILD_DIR:-/tmp/pdbench/build}
  [[ "${BUILD_IN_PLACE:-0}" == 1 ]] && src=$ROOT
  [[ -f "$STAGE/target/pdprime-realtime.war" ]] || build_pdprime
  log "unpacking and configuring WildFly in $src (mvn -q package -DskipTests -Dwildfly.skip=false)"
  (cd "$src" && mvn -q package -DskipTests -Dwildfly.skip=false) >&2
  rm -rf "$STAGE/wildfly" && cp -r "$src"/target/wildfly-* "$STAGE/wildfly"
  cp "$STAGE/target/pdprime-realtime.war" "$STAGE/wildfly/standalone/deployments/"
}

BENCH_CAPS="-Drealtime.connections.max-per-address=1000000 -Drealtime.connections.max-per-subject=1000000"
# The collector's settings docs/operations.md's production launch gives (§4): G1's default pause
# target of 200 ms let young pauses of 35-65 ms take b@1000/s over 50 ms, and its class unloading in
# every marking cycle made remark pauses of up to 103 ms that unloaded nothing (bench/RESULTS.md,
# first and sixth stops of 2026-12-05).
SERVER_GC="-XX:MaxGCPauseMillis=25 -XX:-ClassUnloadingWithConcurrentMark"

start_server() {
  local name=$1 port=$2 pid
  # A server left over from an earlier run would answer in place of the new one (seen once).
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is already in use; stop whatever listens there first"; return 1
  fi
  case $name in
    ws)
      node --expose-gc "$BENCH_DIR/peers/ws-server.mjs" --port "$port" >"$LOGDIR/ws-$port.log" 2>&1 &
      pid=$! ;;
    socketio)
      node --expose-gc "$BENCH_DIR/peers/socketio-server.mjs" --port "$port" >"$LOGDIR/socketio-$port.log" 2>&1 &
      pid=$! ;;
    pdprime)
      [[ -f "$STAGE/target/pdprime-realtime.war" ]] || build_pdprime
      (cd "$STAGE" && exec java -Xmx2g $SERVER_GC $BENCH_CAPS ${PDPRIME_JAVA_OPTS:-} -jar target/server/payara-micro.jar --nohazelcast --port "$port" \
        --addLibs target/server/pdprime-realtime-container.jar \
        --prebootcommandfile server-config/payara/preboot.asadmin \
        --postbootcommandfile server-config/payara/embedded.asadmin \
        --systemProperties server-config/payara/embedded.properties \
        --deploy target/pdprime-realtime.war --contextroot / >"$LOGDIR/pdprime-$port-$(date +%H%M%S).log" 2>&1) &
      pid=$! ;;
    pdprime-wildfly) # the same WAR on WildFly; its management port (9990 + offset) serves /metrics
      [[ -d "$STAGE/wildfly" ]] || stage_wildfly
      (cd "$STAGE" && JAVA_OPTS="-Xmx2g $SERVER_GC -Djava.net.preferIPv4Stack=true $BENCH_CAPS ${PDPRIME_JAVA_OPTS:-}" \
        exec wildfly/bin/standalone.sh -c standalone-full.xml -P server-config/payara/embedded.properties \
        -Djboss.http.port="$port" >"$LOGDIR/wildfly-$port-$(date +%H%M%S).log" 2>&1) &
      pid=$! ;;
    pdprime-cluster) # start_server pdprime-cluster PORT INSTANCE_ID, with BROKER_URL set (BENCH_DB: the database)
      (cd "$STAGE" && REALTIME_BROKER_URL=$BROKER_URL REALTIME_DB_HOST=127.0.0.1 REALTIME_DB_PORT=5432 \
        REALTIME_DB_NAME=${BENCH_DB:-realtime_bench} REALTIME_DB_USER=postgres REALTIME_DB_PASSWORD=trust-auth-ignores-it \
        REALTIME_OPERATOR_ADDRESS=127.0.0.1 REALTIME_OPERATOR_PORT=$((port + 1000)) \
        exec java -Xmx2g $SERVER_GC -Drealtime.instance.id="$3" $BENCH_CAPS ${PDPRIME_JAVA_OPTS:-} -jar target/server/payara-micro.jar \
        --nohazelcast --port "$port" --addLibs target/server/postgresql.jar \
        --addLibs target/server/pdprime-realtime-container.jar --prebootcommandfile server-config/payara/preboot.asadmin \
        --postbootcommandfile server-config/payara/production.asadmin --systemProperties cluster.properties \
        --deploy target/pdprime-realtime.war --contextroot / >"$LOGDIR/pdprime-$port-$(date +%H%M%S).log" 2>&1) &
      pid=$! ;;
    *) log "unknown server $name"; return 1 ;;
  esac
  local deadline=$((SECONDS + 240))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then log "$name exited; see $LOGDIR"; return 1; fi
    case $name in
      pdprime*) curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/dev/tokens" -H 'Content-Type: application/json' \
                 -d '{"subject":"probe","name":"Probe","permissions":[],"ttlSeconds":60}' && break ;;
      *) curl -sf -o /dev/null "http://127.0.0.1:$port/stats" && break ;;
    esac
    sleep 1
  done
  (( SECONDS < deadline )) || { log "$name did not answer within 240 s"; kill "$pid"; return 1; }
  # standalone.sh waits for its java process: that one holds the memory and the CPU the run measures.
  [[ $name == pdprime-wildfly ]] && pid=$(pgrep -f "jboss-modules.jar.*-Djboss.http.port=$port")
  log "$name up on 127.0.0.1:$port pid $pid"
  echo "$pid"
}

# start_pdprime_pair PORT1 PORT2 -> prints "PID1,PID2" once both answer (workload e).
# Two instances as docs/operations.md §4 runs a cluster (server-config/payara/production.asadmin), with
# a fresh PostgreSQL database realtime_bench on 127.0.0.1:5432. The broker is the first instance's
# in-VM ActiveMQ broker with an OpenWire listener on BROKER_PORT (61626), which the second instance
# connects to: nothing to install, but that broker lives and dies with instance 1.
start_pdprime_pair() {
  local port1=$1 port2=$2 broker_port=${BROKER_PORT:-61626} pid1 pid2
  [[ -f "$STAGE/target/server/postgresql.jar" ]] || build_pdprime
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS realtime_bench" \
    -c "CREATE DATABASE realtime_bench" >&2 || return 1
  grep -v '^realtime.instance.id=' "$STAGE/server-config/payara/embedded.properties" > "$STAGE/cluster.properties"
  pid1=$(BROKER_URL="vm:(broker:(tcp://127.0.0.1:$broker_port)?persistent=false&useJmx=false)" \
    start_server pdprime-cluster "$port1" bench-1) || return 1
  pid2=$(BROKER_URL="tcp://127.0.0.1:$broker_port" start_server pdprime-cluster "$port2" bench-2) \
    || { stop_server "$pid1"; return 1; }
  echo "$pid1,$pid2"
}

# start_pdprime_postgres PORT -> prints the pid once it answers. One instance as production runs it
# (server-config/payara/production.asadmin) on a fresh PostgreSQL database realtime_bench on
# 127.0.0.1:5432, with its own in-VM broker: the embedded default's traffic on the production database.
# With BENCH_BROKER_PORT the broker also listens for OpenWire on 127.0.0.1:BENCH_BROKER_PORT, where
# the generator's --publish-via jms publishes (jms/QueuePublisher.java).
start_pdprime_postgres() {
  local port=$1 broker="vm://localhost?broker.persistent=false&broker.useJmx=false&broker.advisorySupport=false&broker.useShutdownHook=false"
  [[ -n "${BENCH_BROKER_PORT:-}" ]] \
    && broker="vm:(broker:(tcp://127.0.0.1:$BENCH_BROKER_PORT)?persistent=false&useJmx=false&advisorySupport=false&useShutdownHook=false)"
  [[ -f "$STAGE/target/server/postgresql.jar" ]] || build_pdprime
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS realtime_bench" \
    -c "CREATE DATABASE realtime_bench" >&2 || return 1
  grep -v '^realtime.instance.id=' "$STAGE/server-config/payara/embedded.properties" > "$STAGE/cluster.properties"
  BROKER_URL="$broker" start_server pdprime-cluster "$port" bench-pg
}

# jms_classpath -> prints the classpath of jms/QueuePublisher.java: the ActiveMQ client and what it
# needs, taken from the staged resource adapter (the broker's own version), and the JMS API, which the
# adapter leaves to the server (Maven copies it from the local repository or Maven Central).
jms_classpath() {
  local dir=$STAGE/jms-client
  if [[ ! -f "$dir/jakarta.jms-api.jar" ]]; then
    mkdir -p "$dir"
    unzip -q -o -j "$STAGE/target/server/activemq-rar.rar" 'activemq-client-*.jar' 'hawtbuf-*.jar' 'slf4j-api-*.jar' -d "$dir" >&2
    (cd "$ROOT" && mvn -q dependency:copy -Dartifact=jakarta.jms:jakarta.jms-api:3.1.0 -DoutputDirectory="$dir" \
      -Dmdep.stripVersion=true) >&2
  fi
  ls "$dir"/*.jar | paste -sd:
}

stop_server() {
  local pid=$1
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}
