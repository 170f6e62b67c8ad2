#!/usr/bin/env bash
# The dispatch Payara holds and never runs, made to happen at will: the jaxrs/ WAR on Payara Micro
# under the JDK's debugger, with a breakpoint that stops only the thread that calls dispatch(), inside
# dispatch(), after Payara has decided to hold it for the worker and before it has stored it
# (AsyncContextImpl$Handler's constructor). The worker stays a random 0–EXIT_DELAY_US µs in the
# request after it left the filter chain, as on a cold JVM. The debugger lets the stopped thread go
# every second; the worker has left by then, found nothing held, and the dispatch stored afterwards is
# never run. Each hand-off path gets COUNT publishes, one at a time, each given 8 s for its answer.
# bench/RESULTS.md, "Ninth stop of 2026-12-05".
#
#   [COUNT=N] [EXIT_DELAY_US=N] bash repro/async-complete/held-dispatch.sh   # from bench/, after the project's build
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-10}
root=$(cd .. && pwd)
api=$HOME/.m2/repository/jakarta/platform/jakarta.jakartaee-api/10.0.0/jakarta.jakartaee-api-10.0.0.jar
work=$(mktemp -d)
mkdir -p "$work/war/WEB-INF/classes"
javac -cp "$api" -d "$work/war/WEB-INF/classes" repro/async-complete/jaxrs/*.java
(cd "$work/war" && jar cf "$work/answers.war" .)
java -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:18094 \
  -Drepro.maxDelayMs=2 -Drepro.exitDelayMicros="${EXIT_DELAY_US:-20000}" \
  -jar "$root/target/server/payara-micro.jar" --nohazelcast --port 18093 \
  --addLibs "$root/target/server/pdprime-realtime-container.jar" \
  --prebootcommandfile "$root/server-config/payara/preboot.asadmin" \
  --deploy "$work/answers.war" --contextroot / >"$work/payara.log" 2>&1 &
server=$!
debugger=
trap 'kill $debugger $server 2>/dev/null || true; rm -rf "$work"' EXIT
post() { curl -s -o /dev/null -w '%{http_code}' --max-time 8 -X POST "http://127.0.0.1:18093$1" || true; }
until [ "$(post /api/handoff-returned)" = 201 ]; do sleep 1; done
# Once deployed; the breakpoint stops "thread" only, so the worker runs on.
(echo 'stop thread in org.apache.catalina.connector.AsyncContextImpl$Handler.<init>'
  while sleep 1; do echo resume; done) | jdb -attach 127.0.0.1:18094 >"$work/jdb.log" 2>&1 &
debugger=$!
sleep 3
for path in /api/handoff /api/handoff-returned; do
  answered=0
  for _ in $(seq "$count"); do
    [ "$(post "$path")" = 201 ] && answered=$((answered + 1))
  done
  echo "$path: $answered of $count answered; breakpoint hits so far: $(grep -c 'Breakpoint hit' "$work/jdb.log" || true)"
done
