#!/usr/bin/env bash
# Commit answers lost on the way back from PostgreSQL, for real: the server's pool goes through
# proxy.py, which swallows the answer to a COMMIT it names and resets that connection, after the
# database committed. The server on PostgreSQL through the proxy (database lost_commit_answer, made
# afresh), one publish to mark the room, then LOST commit answers armed and PUBLISHES single publishes
# sent at once (they meet in group commits), then one more armed and a batch of 5 events
# (POST /api/v1/events), then one more armed and a keyed publish (Idempotency-Key) with its retry,
# then one more armed and a keyed batch of 3 sent twice, then one more armed and a publish-queue
# message of 2 events without an IdempotencyKey (QueueRequest.java, through a TCP connector the repro
# adds to the in-VM broker). The pool validates its connections here, so that a connection the
# proxy reset fails no later transaction. Prints the answers, the room's rows, what the proxy
# swallowed and what the server logged; fails unless every event is stored once, every event
# answered stored names its own seq, and no seq repeats. docs/operations.md, Not yet ("A commit
# whose answer is lost").
#
#   [LOST=N] [PUBLISHES=N] [QUEUE_WAIT=S] bash repro/lost-commit-answer/run.sh   # from bench/, after the project's build
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(cd .. && pwd)
lost=${LOST:-3}
publishes=${PUBLISHES:-30}
room=user:lost-commit-answer
work=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS lost_commit_answer" \
  -c "CREATE DATABASE lost_commit_answer"
broker=tcp://127.0.0.1:61627
sed -e 's/portNumber=5432:databaseName=realtime_it/portNumber=15433:databaseName=lost_commit_answer/' \
  -e 's/^create-jdbc-connection-pool /create-jdbc-connection-pool --isconnectvalidatereq=true --validationmethod=custom-validation --validationclassname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation /' \
  -e "s|vm://localhost?broker.persistent=false&broker.useJmx=false&broker.advisorySupport=false&broker.useShutdownHook=false|vm:(broker:($broker)?persistent=false\&useJmx=false\&advisorySupport=false\&useShutdownHook=false)|" \
  "$root/server-config/payara/postgres.asadmin" >"$work/postgres.asadmin"
grep -q "broker:($broker)" "$work/postgres.asadmin" && grep -q "PostgresConnectionValidation" "$work/postgres.asadmin"
(cd "$root" && mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath")
echo 0 >"$work/arm"
python3 repro/lost-commit-answer/proxy.py 15433 "$work/arm" "${room#user:}" >"$work/proxy.log" 2>&1 &
proxy=$!
(cd "$root" && exec java -jar target/server/payara-micro.jar --nohazelcast --port 18095 \
  --prebootcommandfile server-config/payara/preboot.asadmin --postbootcommandfile "$work/postgres.asadmin" \
  --systemProperties server-config/payara/embedded.properties \
  --addLibs target/server/postgresql.jar --addLibs target/server/pdprime-realtime-container.jar \
  --deploy target/pdprime-realtime.war --contextroot /) >"$work/payara.log" 2>&1 &
server=$!
trap 'kill $server $proxy 2>/dev/null || true; wait 2>/dev/null; [ -n "${KEEP:-}" ] && cp -r "$work" "$KEEP"; rm -rf "$work"' EXIT
base=http://127.0.0.1:18095
until curl -sf -o /dev/null -X POST "$base/api/v1/dev/tokens" -H 'Content-Type: application/json' \
  -d '{"subject":"svc","name":"Svc","permissions":["realtime:publish"],"ttlSeconds":3600}'; do sleep 1; done
token=$(curl -s -X POST "$base/api/v1/dev/tokens" -H 'Content-Type: application/json' \
  -d '{"subject":"svc","name":"Svc","permissions":["realtime:publish"],"ttlSeconds":3600}' |
  sed 's/.*"token":"\([^"]*\)".*/\1/')
# One write per answer: the parallel publishers append to one file.
publish() {
  local answer
  answer=$(curl -s -w ' %{http_code}' -X POST "$base/api/v1/rooms/$room/events" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"name\":\"note.created\",\"data\":{\"n\":$1}}")
  echo "$answer"
}
export -f publish
export base room token
publish 0 >"$work/answers"
echo "$lost" >"$work/arm"
seq 1 "$publishes" | xargs -P "$publishes" -I{} bash -c 'publish {}' >>"$work/answers"
sleep 1
echo 1 >"$work/arm"
events=$(for n in 1 2 3 4 5; do printf '{"room":"%s","name":"note.batched","data":{"b":%d}},' "$room" "$n"; done)
curl -s -X POST "$base/api/v1/events" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"events\":[${events%,}]}" >"$work/batch"
echo "batch: $(grep -o '"stored":[0-9]*,"refused":[0-9]*' "$work/batch")"
grep -o '"seq":[0-9]*' "$work/batch" | sed 's/"seq":\([0-9]*\)/{"seq":\1} 201/' >>"$work/answers"
# A keyed publish whose commit answer is lost, then its retry with the same key: one place, once.
echo 1 >"$work/arm"
key=lost-commit-answer-$$
keyed() {
  curl -s -D "$work/keyed-$1.headers" -w ' %{http_code}' -X POST "$base/api/v1/rooms/$room/events" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
    -d '{"name":"note.keyed","data":{}}'
}
first=$(keyed first)
retry=$(keyed retry)
replayed() { grep -i '^idempotent-replayed:' "$work/$1.headers" | tr -d '\r' | cut -d' ' -f2; }
echo "keyed: first $first (replayed $(replayed keyed-first)), retry $retry (replayed $(replayed keyed-retry))"
echo "$first" >>"$work/answers"
if [ "${first% *}" != "${retry% *}" ] || [ "$(replayed keyed-first)" != false ] || [ "$(replayed keyed-retry)" != true ]; then
  echo "FAILED: the keyed publish and its retry were not answered with one place, first then replayed"
  exit 1
fi
# A keyed batch whose commit answer is lost, then the same batch with its key: its places, once.
echo 1 >"$work/arm"
batch_key=lost-commit-answer-batch-$$
events=$(for n in 1 2 3; do printf '{"room":"%s","name":"note.keyed_batch","data":{"k":%d}},' "$room" "$n"; done)
keyed_batch() {
  curl -s -D "$work/batch-$1.headers" -X POST "$base/api/v1/events" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $batch_key" -d "{\"events\":[${events%,}]}"
}
first=$(keyed_batch first)
again=$(keyed_batch again)
echo "keyed batch: first $first (replayed $(replayed batch-first)), again (replayed $(replayed batch-again))"
if [ "$first" != "$again" ] || [ "$(replayed batch-first)" != false ] || [ "$(replayed batch-again)" != true ]; then
  echo "FAILED: the keyed batch sent again was not answered with its first places, first then replayed"
  exit 1
fi
grep -o '"seq":[0-9]*' <<<"$first" | sed 's/"seq":\([0-9]*\)/{"seq":\1} 201/' >>"$work/answers"
# A queue message without a key whose commit answer is lost. Its events are stored under the key
# made from its message id. A delivery of it again would find that key and answer with the first
# delivery's places; Payara's transaction manager instead leaves the broker's part in doubt (logged
# "completed: Maybe"): the message is neither answered nor delivered again while this runs.
echo 1 >"$work/arm"
events=$(for n in 1 2; do printf '{"room":"%s","name":"note.queued","data":{"q":%d}},' "$room" "$n"; done)
queued=$(java -cp "$(cat "$work/classpath")" repro/lost-commit-answer/QueueRequest.java \
  "$broker?jms.watchTopicAdvisories=false" "$token" "{\"events\":[${events%,}]}" "${QUEUE_WAIT:-30}")
echo "queue message: $queued"
queued_rows=$(psql -h 127.0.0.1 -U postgres -d lost_commit_answer -Atc \
  "SELECT count(*) FROM room_events WHERE room = '$room' AND name = 'note.queued'")
unanswered=0
if [[ "$queued" == *" no answer "* ]]; then
  unanswered=$queued_rows
  echo "queue message: $queued_rows events stored, $(grep -c 'completed: Maybe' "$work/payara.log" || true) commits" \
    "left in doubt; its key: $(psql -h 127.0.0.1 -U postgres -d lost_commit_answer -Atc \
    "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'JMSMessageID ${queued%% *}'") row"
else
  grep -o '"seq":[0-9]*' <<<"$queued" | sed 's/"seq":\([0-9]*\)/{"seq":\1} 201/' >>"$work/answers"
fi
if [ "$queued_rows" != 2 ]; then
  echo "FAILED: the queue message's 2 events are stored $queued_rows times"
  exit 1
fi
echo "answers by status: $(awk '{print $NF}' "$work/answers" | sort | uniq -c | tr '\n' ' ')"
echo "proxy: $(grep -c swallowed "$work/proxy.log" || true) commit answers swallowed, $(cat "$work/arm") armed left"
echo "server: $(grep -c 'and the database had carried it out' "$work/payara.log" || true) commits found carried out;" \
  "$(grep -c 'PUBLISH_OUTCOME_UNKNOWN' "$work/payara.log" || true) outcome unknown"
grep -o 'a commit of [0-9]* events threw ([^)]*)' "$work/payara.log" | sort | uniq -c || true
rows=$(psql -h 127.0.0.1 -U postgres -d lost_commit_answer -Atc \
  "SELECT count(*), count(DISTINCT data), count(DISTINCT seq), max(seq) FROM room_events WHERE room = '$room'")
echo "rows: count, distinct events, distinct seqs, last seq = $rows"
stored=$(grep -c ' 201$' "$work/answers" || true)
answered_seqs=$(grep ' 201$' "$work/answers" | sed 's/.*"seq":\([0-9]*\).*/\1/' | sort -u | wc -l)
IFS='|' read -r count distinct seqs last <<<"$rows"
if [ "$count" = "$((stored + unanswered))" ] && [ "$distinct" = "$count" ] && [ "$seqs" = "$count" ] &&
  [ "$answered_seqs" = "$stored" ] && [ "$last" = "$count" ]; then
  echo "OK: $stored publishes answered 201 and $unanswered not answered, each stored once under its own seq"
else
  echo "FAILED: $stored answered 201, $answered_seqs distinct seqs answered; rows $rows"
  exit 1
fi
