#!/usr/bin/env bash
# The class-unloading A/B of the sixth stop of 2026-12-05: the same aged run, fresh JVM each.
cd /work/main/bench
S=$(printf 'storm,%.0s' {1..9})
for arm in with-1 without-2 with-2; do
  N=s30-2026-12-05-remark-h2-$arm
  flag=""
  [[ $arm == with-* ]] && flag="-XX:-ClassUnloadingWithConcurrentMark"
  ( while sleep 30; do
      pid=$(pgrep -f "payara-micro.jar --nohazelcast --port 18080" | head -1)
      [[ -n $pid ]] && echo "$(date -u +%T) $(jstat -class $pid | tail -1) | $(jstat -gc $pid | tail -1 | awk '{print "MU", $10, "MC", $9}')"
    done ) > /tmp/s30/$N.classes &
  sampler=$!
  SKIP_BUILD=1 STAGE=/tmp/pdbench/stage-s30b BUILD_DIR=/tmp/pdbench/build-s30b LOAD_WAIT_MAX=300 \
    PDPRIME_JAVA_OPTS="$flag -Xlog:gc,gc+phases=debug,gc+ref=debug,gc+marking=debug:file=/tmp/s30/$N.gc.log" \
    bash scripts/bench.sh pdprime /tmp/s30/$N.json --conns 10000 --layout b \
    --phases "warm:300@90,${S}b:500@60,b:1000@60,final" > /tmp/s30/$N.log 2>&1
  echo rc=$? >> /tmp/s30/$N.log
  kill $sampler
done
