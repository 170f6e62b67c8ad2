#!/usr/bin/env bash
# A database that stops answering for a while, here a lock on room_sequences and quotes held for HOLD
# seconds (as a long migration or a stuck transaction holds them): what the server's users see. The
# server on PostgreSQL (database database_lock, made afresh), a bystander subscribed and READERS
# agents subscribed to one quote before the lock, then SUBSCRIBERS new subscribes, the READERS'
# snapshots of the quote, a publish, /health and a token mint while it is held. Prints how long each
# waited. docs/operations.md, Not yet ("A database that does not answer").
#
#   [SUBSCRIBERS=N] [READERS=N] [HOLD=S] [HEALTH_AT_MS=MS] [LATE_AT_MS=MS] bash repro/database-lock/run.sh   # from bench/, after the project's build
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(cd .. && pwd)
subscribers=${SUBSCRIBERS:-100}
readers=${READERS:-0}
hold=${HOLD:-30}
work=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS database_lock" \
  -c "CREATE DATABASE database_lock"
sed -e 's/databaseName=realtime_it/databaseName=database_lock/' \
  "$root/server-config/payara/postgres.asadmin" >"$work/postgres.asadmin"
(cd "$root" && exec java -jar target/server/payara-micro.jar --nohazelcast --port 18097 \
  --prebootcommandfile server-config/payara/preboot.asadmin --postbootcommandfile "$work/postgres.asadmin" \
  --systemProperties server-config/payara/embedded.properties \
  --addLibs target/server/postgresql.jar --addLibs target/server/pdprime-realtime-container.jar \
  --deploy target/pdprime-realtime.war --contextroot /) >"$work/payara.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:18097
until curl -sf -o /dev/null -X POST "$base/api/v1/dev/tokens" -H 'Content-Type: application/json' \
  -d '{"subject":"probe","name":"Probe","permissions":[],"ttlSeconds":60}'; do sleep 1; done
websocket=$(node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' && echo '' || echo --experimental-websocket)
node $websocket repro/database-lock/client.mjs "$base" "$subscribers" "$hold" database_lock "$readers"
