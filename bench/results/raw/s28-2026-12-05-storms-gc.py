"""The collector's pauses from a run's first storm to its final line, and each storm's time.

    python3 s28-2026-12-05-storms-gc.py s28-2026-12-05-storm-new-1 ...   (reads NAME.log, NAME.gc.log[.gz])
"""
import gzip, os
import re, sys
def secs(t):
    h,m,s=t.split(':'); return int(h)*3600+int(m)*60+float(s)
for name in sys.argv[1:]:
    log=open(f'{name}.log').read().splitlines()
    warm=[l for l in log if 'phase warm-up' in l][0]
    up=int(re.search(r'server up (\d+)s',warm).group(1)); t0=secs(warm.split()[0])
    st=secs([l for l in log if 'storm: dropping' in l][0].split()[0]); fin=secs([l for l in log if ' final: ' in l][0].split()[0])
    a=up+(st-t0); b=up+(fin-t0)
    pauses=[]; peak=0; pk=re.compile(r'^\[([\d.]+)s\].*GC\(\d+\) Pause (\S+ \S+).* (\d+)M->(\d+)M\((\d+)M\) ([\d.]+)ms$')
    gc = f'{name}.gc.log'
    for l in (open(gc) if os.path.exists(gc) else gzip.open(gc + '.gz', 'rt')):
        m=pk.match(l)
        if m and a<=float(m.group(1))<=b:
            pauses.append((m.group(2),float(m.group(6)))); peak=max(peak,int(m.group(3)))
    kinds={}
    for k,ms in pauses: kinds.setdefault(k,[]).append(ms)
    storms=[re.search(r'recovered after ([\d.]+)s',l).group(1) for l in log if re.search(r'storm \d: ',l)]
    print(f"{name}: storms {', '.join(storms)}; window {b-a:.0f}s; pauses {len(pauses)} total {sum(p for _,p in pauses)/1000:.1f}s ({100*sum(p for _,p in pauses)/1000/(b-a):.1f}%); heap before GC max {peak}M; "+'; '.join(f"{k}: {len(v)} mean {sum(v)/len(v):.0f} max {max(v):.0f}ms" for k,v in kinds.items()))
