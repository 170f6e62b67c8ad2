#!/usr/bin/env bash
# One round of the full benchmark: for each server (ws, socketio, pdprime, in that order) start it
# fresh, then run the workloads against it with the same generator settings, then stop it.
# Fresh means a new process (a new JVM for PD Prime) for every server in every round: start_server
# refuses a port something already listens on, and each result file records how long the server
# process had been up (serverUptimeSAtStart, and serverUptimeS per phase). Every server is warmed
# the same way by the B run's first phase (WARM) before anything is measured; the A run follows on
# the same process.
#   bash scripts/round.sh ROUND_NAME [servers...]        results in bench/results/raw/ROUND_NAME-*.json
# Workload runs per server (each a separate generator invocation with fresh connections):
#   B:    10,000 connections in 1,000 rooms of 10: warm-up, idle memory (c), 1,000..5,000 publishes/s
#         and the p99 < 50 ms search (b), reconnect storm with `since` (d)
#   A:    10,000 connections in one room: 1, 10, 50 broadcasts/s (a); for PD Prime the room is
#         analytics:bench (a dashboard: no presence)
#   A2k:  2,000 connections in one room: the same (a); only with A2K=1
#   E, EA: PD Prime as two instances (workload e): the B traffic without the storm, then the A
#         traffic, connections and publishes alternating over both instances; only with E=1
# Env: N (10000), N_A_SMALL (2000), WARM (warm:300@150, the B run's warm-up phase; JIT warm-up of
#      the JVM server, the same traffic for every server), LOAD_MAX (1.0), LOAD_WAIT_MAX (600 before each server start,
#      SHORT_WAIT (120) before the later runs on the same server), SKIP_BUILD=1, A2K=1,
#      B_ARGS / A_ARGS (extra run.mjs options for every B / A run, e.g. "--duration 10"),
#      B_PHASES (the B run's phases instead of WARM and the rest, e.g. "warm:300@90,final": only the
#      warm-up, for a round of workload a alone).
set -euo pipefail
source "$(dirname "$0")/servers.sh"
round=$1; shift
servers=("${@:-ws socketio pdprime}")
[[ $# -gt 0 ]] && servers=("$@") || servers=(ws socketio pdprime)
N=${N:-10000}
N_A_SMALL=${N_A_SMALL:-2000}
OUTDIR=${OUTDIR:-$BENCH_DIR/results/raw}
mkdir -p "$OUTDIR"
ulimit -n "$(ulimit -Hn)"
export BENCH_MAX_SECONDS=${BENCH_MAX_SECONDS:-1500}

gen() { # gen SERVER PORT PID OUT ARGS...
  local server=$1 port=$2 pid=$3 out=$4; shift 4
  local load; load=$(LOAD_WAIT_MAX=${GATE_WAIT:-600} load_gate)
  log "$server -> $out (load $load)"
  BENCH_LOAD_BEFORE="$load" node "$BENCH_DIR/run.mjs" --server "$server" --port "$port" --server-pid "$pid" \
    --label "$round $server" --out "$out" "$@" 2>&1 | tee "${out%.json}.log" || log "generator failed: $out"
}

[[ " ${servers[*]} " == *" pdprime "* && "${SKIP_BUILD:-0}" != 1 ]] && build_pdprime
for server in "${servers[@]}"; do
  case $server in pdprime) port=18080 ;; ws) port=19101 ;; socketio) port=19102 ;; esac
  GATE_WAIT=${LOAD_WAIT_MAX:-600} load_gate >/dev/null
  pid=$(start_server "$server" "$port")
  sleep 5
  GATE_WAIT=0 gen "$server" "$port" "$pid" "$OUTDIR/$round-$server-B.json" \
    --conns "$N" --layout b --phases "${B_PHASES:-${WARM:-warm:300@150},idle,bsearch,repair,storm,final}" ${B_ARGS:-}
  if [[ $server == pdprime ]]; then # what the heap holds after the B run's connections closed
    jcmd "$pid" GC.class_histogram 2>/dev/null | head -40 > "$OUTDIR/$round-$server-B-heap-histogram.txt" || true
  fi
  GATE_WAIT=${SHORT_WAIT:-120} gen "$server" "$port" "$pid" "$OUTDIR/$round-$server-A.json" \
    --conns "$N" --layout a --phases "a:1,a:10,a:50,final" --settle-max "${SETTLE_MAX_A10K:-300}" ${A_ARGS:-}
  if [[ "${A2K:-0}" == 1 ]]; then
    GATE_WAIT=${SHORT_WAIT:-120} gen "$server" "$port" "$pid" "$OUTDIR/$round-$server-A2k.json" \
      --conns "$N_A_SMALL" --layout a --phases "a:1,a:10,a:50,final" ${A_ARGS:-}
  fi
  stop_server "$pid"
  log "$server done"
done
# Workload e: PD Prime as two instances (shared PostgreSQL, one broker), connections and publishes
# alternating over both; the B traffic without the storm, then the A traffic.
if [[ "${E:-0}" == 1 ]]; then
  GATE_WAIT=${LOAD_WAIT_MAX:-600} load_gate >/dev/null
  pids=$(start_pdprime_pair 18080 18081)
  sleep 5
  GATE_WAIT=0 gen pdprime 18080,18081 "$pids" "$OUTDIR/$round-pdprime-E.json" \
    --conns "$N" --layout b --phases "${WARM:-warm:300@150},idle,bsearch,final" ${B_ARGS:-}
  GATE_WAIT=${SHORT_WAIT:-120} gen pdprime 18080,18081 "$pids" "$OUTDIR/$round-pdprime-EA.json" \
    --conns "$N" --layout a --phases "a:1,a:10,a:50,final" --settle-max "${SETTLE_MAX_A10K:-300}" ${A_ARGS:-}
  for pid in ${pids//,/ }; do stop_server "$pid"; done
  log "pdprime (two instances) done"
fi
