#!/usr/bin/env bash
# The wrong status of an async servlet answer on Payara Micro, without PD Prime: Answers.java answers
# 201 from another thread then calls complete() (/complete), or hands the answer back through
# dispatch() (/dispatch). Builds a two-class WAR with the JDK's javac against the Jakarta EE 10 API
# jar the project's build put in ~/.m2, starts it on the project's Payara Micro (target/server, so
# build the project once first) with the project's pre-boot commands, floods each path for SECONDS
# with scripts/publish-answers.mjs and stops the server. bench/RESULTS.md, "First stop of 2026-12-04".
#
#   bash repro/async-complete/run.sh [SECONDS]     # from bench/, default 240
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-240}
root=$(cd .. && pwd)
api=$HOME/.m2/repository/jakarta/platform/jakarta.jakartaee-api/10.0.0/jakarta.jakartaee-api-10.0.0.jar
work=$(mktemp -d)
mkdir -p "$work/war/WEB-INF/classes"
javac -cp "$api" -d "$work/war/WEB-INF/classes" repro/async-complete/Answers.java
(cd "$work/war" && jar cf "$work/answers.war" .)
java -jar "$root/target/server/payara-micro.jar" --nohazelcast --port 18093 \
  --addLibs "$root/target/server/pdprime-realtime-container.jar" \
  --prebootcommandfile "$root/server-config/payara/preboot.asadmin" \
  --deploy "$work/answers.war" --contextroot / >"$work/payara.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for path in /complete /dispatch; do
  echo "== $path"
  node scripts/publish-answers.mjs 18093 "$seconds" 128 "$path" | grep -v '^20'
done
