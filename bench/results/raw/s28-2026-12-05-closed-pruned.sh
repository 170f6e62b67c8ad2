#!/bin/bash
cd /work/main/bench
export STAGE=/tmp/pdbench/stage-exp BUILD_DIR=/tmp/pdbench/build
export PDPRIME_JAVA_OPTS="-Drealtime.connections.retention-hours=0 -Drealtime.connections.prune-interval-ms=5000"
source scripts/servers.sh
ulimit -n "$(ulimit -Hn)"
pid=$(start_server pdprime 18080)
trap 'stop_server "$pid"' EXIT
sleep 5
jcmd $pid GC.class_histogram > /tmp/s28/c3-0.txt
node run.mjs --server pdprime --port 18080 --server-pid $pid --metrics-port 18080 --label pdprime --out /tmp/s28/c3-1.json --conns 10000 --layout b --phases final > /tmp/s28/c3-1.log 2>&1
for t in 30 60; do
  sleep_until=$t
  sleep $(( t - ${prev:-0} )); prev=$t
  jcmd $pid GC.class_histogram > /tmp/s28/c3-t$t.txt
  curl -s localhost:18080/metrics | grep -E '^realtime_connections_(open|active)' > /tmp/s28/c3-t$t.metrics
  ss -tan state established '( sport = :18080 )' | wc -l >> /tmp/s28/c3-t$t.metrics
  ss -tan '( sport = :18080 )' | awk '{print $1}' | sort | uniq -c >> /tmp/s28/c3-t$t.metrics
done
echo finished > /tmp/s28/c3.done
