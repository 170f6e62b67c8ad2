# python3 s22-2026-12-04-waits-by-phase.py ME.txt PARK.txt FROM TO, where ME.txt and PARK.txt are
# jfr print --events jdk.JavaMonitorEnter --stack-depth 14 REC.jfr and jfr print --events jdk.ThreadPark --stack-depth 8 REC.jfr
# seconds the HTTP workers waited, by what they waited on, between FROM and TO (wall clock)
import re,collections,sys
U={'s':1000,'ms':1,'us':0.001,'ns':1e-6}
me,tp,storm_from,storm_to=sys.argv[1:5]
cats=[('RoomChannels.subscribe','roomlock'),('NativePRNG','prng'),('SecureRandom','prng'),('DRBG','prng'),('ExtensionObserverMethodImpl','weld'),('WeldBootstrap.getManager','weld'),('SynchronizedMap','syncmap'),('DelayedWorkQueue','timers'),('ConsoleHandler','log'),('StreamHandler','log')]
res=collections.defaultdict(float); other=collections.defaultdict(float)
for path,kind in ((me,'jdk.JavaMonitorEnter'),(tp,'jdk.ThreadPark')):
    for e in open(path).read().split(kind+' {')[1:]:
        if 'http-thread-pool' not in e: continue
        t=re.search(r'startTime = (\d\d:\d\d:\d\d)',e).group(1)
        if not (storm_from<=t<storm_to): continue
        d=re.search(r'duration = ([\d.]+) (\w+)',e); ms=float(d.group(1))*U[d.group(2)]
        c=None
        for k,v in cats:
            if k in e: c=v; break
        if c is None:
            if 'stackTrace = [' not in e: e+='stackTrace = []'
            fr=[l.strip().split('(')[0] for l in e.split('stackTrace = [')[1].split(']')[0].split('\n') if 'line:' in l]
            other[' < '.join(fr[:4])]+=ms/1000; c='other'
        res[c]+=ms/1000
print({k:round(v) for k,v in sorted(res.items(),key=lambda x:-x[1])})
for k,v in sorted(other.items(),key=lambda x:-x[1])[:5]: print('  ',round(v),k)
