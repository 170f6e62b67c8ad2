# One storm run against a freshly started PD Prime from STAGE (built in BUILD_DIR); scrapes the
# history/resume metrics after the storm before stopping the server.
#   bash storm.sh STAGE BUILD_DIR LABEL OUT.json
set -euo pipefail
export STAGE=$1 BUILD_DIR=$2 LOGDIR=/tmp/pdbench-hist/logs SKIP_BUILD=1
label=$3 out=$4
cd /work/wt-hist/bench
source scripts/servers.sh
ulimit -n "$(ulimit -Hn)"
port=18383
load=$(LOAD_WAIT_MAX=${LOAD_WAIT_MAX:-180} load_gate)
log "load before start: $load"
pid=$(start_server pdprime $port)
trap 'stop_server "$pid"' EXIT
sleep 5
BENCH_LOAD_BEFORE="$load" node run.mjs --server pdprime --port $port --server-pid $pid --label "$label" --out "$out" \
  --conns 10000 --layout b --phases "warm:300@90,storm,final"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^realtime_(history|resumes|relay_gap)' > "${out%.json}-metrics.txt" || true
cat /proc/loadavg > "${out%.json}-load-after.txt"
