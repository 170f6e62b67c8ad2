#!/usr/bin/env bash
# The README's front door, as a new user meets it: its run command starts the server, its snippets
# mint a token and publish, a socket subscribed before the publish receives the event, and a SIGTERM
# to the server stops it cleanly: the socket is closed with 1001, the shutdown line is logged, no
# ERROR or SEVERE line and no exception appear, and Maven reports success, not a failed build. A
# second socket (LingeringClient) answers the 1001 a second late and never closes its side of the
# TCP connection: the server must wait for it or end it itself, and still stop cleanly.
# The commands are read from README.md (the blocks after <!-- ci:NAME -->), so they cannot drift.
#
# SERVER=wildfly runs the README's WildFly command (block run-wildfly) the same way. Differences: the
# server process is WildFly's (jboss-modules.jar), and Undertow closes the sockets with 1001 before the
# engine's own shutdown runs, so the shutdown line may count 0 of them; the client still must see 1001.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=${SERVER:-payara}
case "$SERVER" in
  payara) run_block=run; server_pattern='payara-micro.jar'; closed_count=2 ;;
  wildfly) run_block=run-wildfly; server_pattern='jboss-modules.jar'; closed_count='[012]' ;;
  *) echo "SERVER must be payara or wildfly, not $SERVER"; exit 1 ;;
esac

readme_block() {
  awk -v marker="<!-- ci:$1 -->" '
    $0 == marker { found = 1; next }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' README.md
}

run_cmd=$(readme_block "$run_block")
mint=$(readme_block mint)
publish=$(readme_block publish)
for part in run_cmd mint publish; do
  [ -n "${!part}" ] || { echo "README.md has no block for $part"; exit 1; }
done

log=target/readme-smoke-$SERVER.log
mkdir -p target
echo "== README run command: $run_cmd"
setsid bash -c "$run_cmd" > "$log" 2>&1 &
mvn_pid=$!
stop_all() { kill -- -"$mvn_pid" 2>/dev/null || true; }
trap stop_all EXIT

started=$(date +%s)
until curl -sf -o /dev/null http://localhost:8080/; do
  if ! kill -0 "$mvn_pid" 2>/dev/null; then tail -50 "$log"; echo "the run command exited"; exit 1; fi
  if [ $(( $(date +%s) - started )) -gt 240 ]; then tail -50 "$log"; echo "not serving after 240 s"; exit 1; fi
  sleep 1
done
echo "serving http://localhost:8080/ after $(( $(date +%s) - started )) s"
# Read the page first: grep -q stops reading at its match, and pipefail would count curl's SIGPIPE.
start_page=$(curl -sf http://localhost:8080/)
grep -q '<title>' <<<"$start_page" || { echo "the start page has no title"; exit 1; }

echo "== README mint snippet"
eval "$mint"
[ -n "${TOKEN:-}" ] || { echo "the mint snippet did not set TOKEN"; exit 1; }
export TOKEN

client_out=target/readme-smoke-client-$SERVER.out
ROOM=user:alice java .ci/SmokeClient.java > "$client_out" 2>&1 &
client_pid=$!
for _ in $(seq 1 60); do grep -q READY "$client_out" && break; sleep 1; done
grep -q READY "$client_out" || { cat "$client_out"; echo "the socket did not subscribe"; exit 1; }
lingering_out=target/readme-smoke-lingering-$SERVER.out
ROOM=user:alice ANSWER_DELAY_MS=1000 java .ci/LingeringClient.java > "$lingering_out" 2>&1 &
lingering_pid=$!
for _ in $(seq 1 60); do grep -q READY "$lingering_out" && break; sleep 1; done
grep -q READY "$lingering_out" || { cat "$lingering_out"; echo "the lingering socket did not subscribe"; exit 1; }

echo "== README publish snippet"
answer=$(eval "$publish")
echo "$answer"
echo "$answer" | grep -q '"seq":1' || { echo "the publish was not stored as seq 1"; exit 1; }
for _ in $(seq 1 30); do grep -q RECEIVED "$client_out" && break; sleep 1; done
grep -q 'RECEIVED.*"seq":1' "$client_out" || { cat "$client_out"; echo "the socket did not receive the event"; exit 1; }

server_pid=$(pgrep -f "$server_pattern" | head -1)
echo "== SIGTERM to the server (pid $server_pid)"
kill -TERM "$server_pid"
client_status=0
wait "$client_pid" || client_status=$?
lingering_status=0
wait "$lingering_pid" || lingering_status=$?
mvn_status=0
wait "$mvn_pid" || mvn_status=$?
trap - EXIT
cat "$client_out" "$lingering_out"

failed=0
[ "$client_status" -eq 0 ] || { echo "the socket was not closed with 1001 (client exit $client_status)"; failed=1; }
[ "$lingering_status" -eq 0 ] || { echo "the lingering socket was not closed with 1001 and ended (exit $lingering_status)"; failed=1; }
[ "$mvn_status" -eq 0 ] || { echo "the run command exited with $mvn_status"; failed=1; }
grep -q 'BUILD SUCCESS' "$log" || { echo "Maven did not report success"; failed=1; }
grep -q 'BUILD FAILURE' "$log" && { echo "Maven reported a failed build"; failed=1; }
grep -qE "shutdown: closed $closed_count connections with 1001" "$log" || { echo "no shutdown line"; failed=1; }
if grep -nE 'SEVERE|\bERROR\b' "$log" | grep -v 'BUILD' | head -5 | grep .; then
  echo "the server logged ERROR or SEVERE"; failed=1
fi
if sed -n '/shutdown: closed/,$p' "$log" | grep -nE 'Exception|^\s+at ' | head -5 | grep .; then
  echo "the stop logged an exception"; failed=1
fi
if [ "$failed" -ne 0 ]; then tail -60 "$log"; exit 1; fi
echo "README smoke test passed on $SERVER: served, minted, published, received, stopped cleanly"
