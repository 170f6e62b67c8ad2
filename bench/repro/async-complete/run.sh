#!/usr/bin/env bash
# The wrong status of an async servlet answer on Payara Micro, without PD Prime: Answers.java answers
# 201 from another thread then calls complete() (/complete), or hands the answer back through
# dispatch() (/dispatch). Builds a two-class WAR with the JDK's javac against the Jakarta EE 10 API
# jar the project's build put in ~/.m2, starts it on the project's Payara Micro (target/server, so
# build the project once first) with the project's pre-boot commands, floods each path for SECONDS
# with scripts/publish-answers.mjs and stops the server. bench/RESULTS.md, "First stop of 2026-12-04".
# With "jaxrs", the same for jaxrs/: a suspended JAX-RS resource answered through dispatch() into
# another JAX-RS resource (/api/publish), or resumed on the dispatch's container thread by a filter
# (/api/resume, what PD Prime did until the sixth stop of 2026-12-04); the server log's WARNINGs are counted ("Second stop of 2026-12-04").
# /api/handoff dispatches only once the worker has left the filter chain, else the worker writes the
# answer as it leaves (PD Prime since "Sixth stop of 2026-12-04"). publish-answers.mjs counts the
# publishes never answered. MAX_DELAY_MS=N makes the /api/resume and hand-off answers ready after
# a random 0–N ms instead of at once, as a slow group commit's are. /api/handoff-returned dispatches
# only 1 ms after the container said the request had returned to it (PD Prime since the ninth stop of
# 2026-12-05). EXIT_DELAY_US=N keeps each worker a random 0–N µs longer in the request after it left
# the filter chain, as on a cold JVM ("Ninth stop of 2026-12-05"). PATHS="…" runs only those paths.
#
#   [MAX_DELAY_MS=N] [EXIT_DELAY_US=N] [PATHS=…] bash repro/async-complete/run.sh [SECONDS] [servlet|jaxrs]   # from bench/, default 240 servlet
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-240}
variant=${2:-servlet}
root=$(cd .. && pwd)
api=$HOME/.m2/repository/jakarta/platform/jakarta.jakartaee-api/10.0.0/jakarta.jakartaee-api-10.0.0.jar
work=$(mktemp -d)
mkdir -p "$work/war/WEB-INF/classes"
if [ "$variant" = jaxrs ]; then
  javac -cp "$api" -d "$work/war/WEB-INF/classes" repro/async-complete/jaxrs/*.java
  paths=${PATHS:-"/api/publish /api/resume /api/handoff /api/handoff-returned"}
else
  javac -cp "$api" -d "$work/war/WEB-INF/classes" repro/async-complete/Answers.java
  paths="/complete /dispatch"
fi
(cd "$work/war" && jar cf "$work/answers.war" .)
java -Drepro.maxDelayMs="${MAX_DELAY_MS:-0}" -Drepro.exitDelayMicros="${EXIT_DELAY_US:-0}" -jar "$root/target/server/payara-micro.jar" --nohazelcast --port 18093 \
  --addLibs "$root/target/server/pdprime-realtime-container.jar" \
  --prebootcommandfile "$root/server-config/payara/preboot.asadmin" \
  --deploy "$work/answers.war" --contextroot / >"$work/payara.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for path in $paths; do
  echo "== $path"
  node scripts/publish-answers.mjs 18093 "$seconds" 128 "$path" | grep -v '^20'
  echo "server log WARNINGs so far: $(grep -c AS-WEB-CORE-00024 "$work/payara.log" || true)"
done
