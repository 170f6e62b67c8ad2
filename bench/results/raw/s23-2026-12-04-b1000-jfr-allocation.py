# Shares of a JFR recording's sampled allocation by class, by class and allocating frame, and by the
# first PD Prime frame on the stack: python3 THIS.py RECORDING.jfr [ROWS]. Scratch analysis of the fifth
# stop of 2026-12-04 (bench/RESULTS.md), kept beside its output.
import re, subprocess, sys, collections
out = subprocess.run(["jfr","print","--events","jdk.ObjectAllocationSample","--stack-depth","30",sys.argv[1]],capture_output=True,text=True).stdout
evs = out.split("jdk.ObjectAllocationSample {")[1:]
UNIT={'bytes':1,'kB':1024,'MB':1024**2,'GB':1024**3}
by_cls=collections.Counter(); by_site=collections.Counter(); by_app=collections.Counter(); total=0
for e in evs:
    m=re.search(r"weight = ([\d.,]+) (bytes|kB|MB|GB)",e)
    if not m: continue
    w=float(m.group(1).replace(',',''))*UNIT[m.group(2)]
    cls=re.search(r"objectClass = (\S+)",e).group(1)
    fr=[re.sub(r"\s+line:.*","",l.strip()) for l in e.split("stackTrace = [")[1].split("\n")[1:] if l.strip() and l.strip()!="]" and not l.strip().startswith("}")] if "stackTrace = [" in e else []
    total+=w; by_cls[cls]+=w
    by_site[(cls, fr[0] if fr else '?')]+=w
    app=[f for f in fr if 'pdprime' in f]
    by_app[app[0] if app else ('(no app frame) '+ (fr[-1] if fr else '?'))]+=w
print("total sampled weight MB", round(total/2**20))
for title,c in (("by class",by_cls),("by class+site",by_site),("by first app frame",by_app)):
    print("==",title)
    for k,v in c.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 25): print(f"{100*v/total:5.1f}%  {k}")
# The share in building the container's request and response objects (first matching frame).
REQUEST_FRAMES = ["Request.create()", "ServerHttpRequestImpl.create()", "HttpResponsePacketImpl.create()", "connector.Request.<init>", "CoyoteAdapter.service"]
per = collections.Counter()
for e in evs:
    m = re.search(r"weight = ([\d.,]+) (bytes|kB|MB|GB)", e)
    if not m or "stackTrace = [" not in e:
        continue
    stack = e.split("stackTrace = [")[1][:3000]
    if "<init>" not in stack:
        continue
    for k in REQUEST_FRAMES:
        if k in stack:
            per[k] += float(m.group(1).replace(",", "")) * UNIT[m.group(2)]
            break
print("== building request/response objects: %.1f%%" % (100 * sum(per.values()) / total))
for k, v in per.most_common():
    print(f"{100*v/total:5.1f}%  {k}")
