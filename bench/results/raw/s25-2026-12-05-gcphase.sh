#!/bin/bash
# gcphase.sh BENCHLOG GCLOG : pauses during the b@1000 phase (server uptime at its start from the log, +60 s)
up=$(grep 'phase b@1000/s' "$1" | grep -o 'server up [0-9]*' | awk '{print $3}')
grep Pause "$2" | awk -F'[][]' -v s="$up" '{t=$2+0; if (t>=s && t<s+60) { match($0,/ ([0-9.]+)ms$/,m); v=m[1]+0; n++; sum+=v; if(v>mx)mx=v; if(v>=40)big++ } } END {printf "pauses %d, mean %.1f ms, max %.1f ms, >=40 ms: %d, paused %.1f %%\n", n, sum/n, mx, big, sum/600}'
