# Shares of sampled allocation: by class+site, by first PD Prime frame, and for a given class the
# PD Prime frames that lead to it. python3 alloc.py REC.jfr [CLASS_SUBSTRING]
import re, subprocess, sys, collections
out = subprocess.run(["jfr","print","--events","jdk.ObjectAllocationSample","--stack-depth","160",sys.argv[1]],capture_output=True,text=True).stdout
evs = out.split("jdk.ObjectAllocationSample {")[1:]
UNIT={'bytes':1,'kB':1024,'MB':1024**2,'GB':1024**3}
by_site=collections.Counter(); by_app=collections.Counter(); by_thread=collections.Counter(); focus=collections.Counter(); total=0
want = sys.argv[2] if len(sys.argv) > 2 else None
for e in evs:
    m=re.search(r"weight = ([\d.,]+) (bytes|kB|MB|GB)",e)
    if not m: continue
    w=float(m.group(1).replace(',',''))*UNIT[m.group(2)]
    cls=re.search(r"objectClass = (\S+)",e).group(1)
    th=re.search(r'eventThread = "([^"]*)"',e); th=re.sub(r'\d+','N',th.group(1)) if th else '?'
    fr=[re.sub(r"\s+line:.*","",l.strip()) for l in e.split("stackTrace = [")[1].split("\n")[1:] if l.strip() and l.strip()!="]" and not l.strip().startswith("}")] if "stackTrace = [" in e else []
    total+=w; by_site[(cls, fr[0] if fr else '?')]+=w; by_thread[th]+=w
    app=[f for f in fr if 'pdprime' in f]
    by_app[app[0] if app else '(no app frame) '+th]+=w
    if want and want in cls:
        focus[(app[0] if app else '(none) '+th, (fr[1] if len(fr)>1 else '?'))]+=w
print("total sampled MB", round(total/2**20))
for title,c in (("by class+site",by_site),("by first app frame",by_app),("by thread",by_thread),("focus "+str(want),focus)):
    print("==",title)
    for k,v in c.most_common(30): print(f"{100*v/total:5.1f}%  {k}")
