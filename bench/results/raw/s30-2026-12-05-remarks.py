#!/usr/bin/env python3
"""The class-unloading A/B of the sixth stop of 2026-12-05: per run, G1's remark pauses and the
part of each that was class unloading, the pauses in each 10 s window of b@1000/s, the phases' p99
and the storms' times. Reads NAME.log (the generator's) and NAME.gc.log or NAME.gc.log.gz (-Xlog:gc,gc+phases=debug);
the gc log's clock is the JVM's uptime, the generator's phase line gives the server's uptime."""
import gzip, os, re, sys

for name in sys.argv[1:]:
    log = open(name + ".log").read()
    gc_log = name + ".gc.log"
    opened = gzip.open(gc_log + ".gz", "rt") if os.path.exists(gc_log + ".gz") else open(gc_log)
    gc = opened.read().splitlines()
    remarks, unloading = [], {}
    pauses = []
    for line in gc:
        t = float(re.match(r"\[([0-9.]+)s\]", line).group(1))
        m = re.search(r"GC\((\d+)\) Class Unloading ([0-9.]+)ms", line)
        if m:
            unloading[m.group(1)] = float(m.group(2))
        m = re.search(r"\[info \]\[gc +\] GC\((\d+)\) Pause (.*) ([0-9.]+)ms$", line)
        if m:
            pauses.append((t, m.group(2), float(m.group(3))))
            if m.group(2).startswith("Remark"):
                remarks.append((m.group(1), float(m.group(3))))
    start = int(re.search(r"phase b@1000/s: .*server up (\d+)s", log).group(1))
    windows = []
    for w in range(6):
        inside = [p for t, _, p in pauses if start + 10 * w <= t < start + 10 * (w + 1)]
        windows.append("%d/%.0f/%.0f" % (len(inside), sum(inside), max(inside, default=0)))
    p99 = dict(re.findall(r"  (b@\d+/s) \[single\].*?p99 ([0-9.]+)", log))
    win = re.search(r"  b@1000/s \[single\].*?windows p99 ([0-9., ]+)\)", log).group(1)
    storms = re.findall(r"storm \d: 10000 dropped; all resubscribed after ([0-9.]+)s", log)
    print(name)
    print("  remarks (ms, class unloading in it):",
          ", ".join("%.0f (%s)" % (ms, "%.0f" % unloading[g] if g in unloading else "-") for g, ms in remarks))
    print("  storms (s):", ", ".join(storms))
    print("  b@500/s p99 %s ms; b@1000/s p99 %s ms, windows %s" % (p99.get("b@500/s"), p99.get("b@1000/s"), win))
    print("  b@1000/s pauses per 10 s window (count/sum ms/max ms):", " ".join(windows))
