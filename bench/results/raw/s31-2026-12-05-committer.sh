#!/usr/bin/env bash
# committer.sh LOG METRICS_PORT PHASE -> CPU of the committer thread and the group sizes over [start+5, start+55] of PHASE
log=$1 mport=$2 phase=$3
until grep -q "phase $phase:" "$log" 2>/dev/null; do sleep 1; done
pid=$(grep -o "pid [0-9]*" "$log" | head -1 | cut -d' ' -f2)
sleep 5
tid=$(grep -l "realtime-publis" /proc/$pid/task/*/comm | head -1 | cut -d/ -f5)
cpu() { awk '{print $14+$15}' /proc/$pid/task/$tid/stat; }
pcpu() { awk '{print $14+$15}' /proc/$pid/stat; }
pgcpu() { local t=0; for p in $(pgrep -u postgres postgres); do t=$((t+$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
grp() { curl -s http://127.0.0.1:$mport/metrics | grep -E '^realtime_publish_group_size_(sum|count)' | awk '{printf "%s ", $2}'; }
c0=$(cpu); p0=$(pcpu); g0=$(pgcpu); m0=$(grp); t0=$(date +%s.%N)
sleep 50
c1=$(cpu); p1=$(pcpu); g1=$(pgcpu); m1=$(grp); t1=$(date +%s.%N)
echo "tid $tid; wall $(echo "$t1-$t0"|bc) s; committer cpu $(( c1-c0 )) ticks; server cpu $((p1-p0)) ticks; postgres cpu $((g1-g0)) ticks; group size sum/count before: $m0 after: $m1"
