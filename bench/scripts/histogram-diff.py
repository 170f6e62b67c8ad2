#!/usr/bin/env python3
"""What N connections added to the live heap: the difference of two class histograms (`jcmd PID
GC.class_histogram`, which collects first, so both count live objects only), divided by N, grouped
by where each class comes from, largest first.

    python3 scripts/histogram-diff.py BEFORE.txt[.gz] AFTER.txt[.gz] N [CLASSES]

BEFORE is taken before the connections open, AFTER once they are open and idle. CLASSES (default
25) is how many single classes to list after the groups. Arrays (`[B`, `[C`, `[Ljava.lang.Object;`)
have no owner in a histogram: they are a group of their own. Bench/RESULTS.md quotes it.
"""
import collections
import gzip
import re
import sys

GROUPS = [
    ("PD Prime", ("com.pdprime.",)),
    # Before JBoss's group, which would take org.jboss.weld too: the first group that matches wins.
    ("Weld", ("org.jboss.weld.",)),
    ("Undertow / XNIO / JBoss", ("io.undertow.", "org.xnio.", "org.jboss.", "org.wildfly.")),
    ("Grizzly / Catalina (Payara's HTTP)", ("org.glassfish.grizzly.", "org.apache.catalina.",
                                            "com.sun.enterprise.web.", "org.apache.coyote.")),
    ("Tyrus", ("org.glassfish.tyrus.",)),
    ("H2", ("org.h2.",)),
    ("byte[]", ("[B",)),
    ("char[] and String", ("[C", "java.lang.String")),
    ("other arrays", ("[",)),
    ("java.util.concurrent", ("java.util.concurrent.",)),
    ("java.util", ("java.util.",)),
]
ROW = re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)")


def read(path):
    counts = {}
    opener = gzip.open if path.endswith(".gz") else open
    for line in opener(path, "rt", encoding="utf-8"):
        row = ROW.match(line)
        if row:
            counts[row.group(3)] = (int(row.group(1)), int(row.group(2)))
    return counts


def group_of(name):
    for label, prefixes in GROUPS:
        if name.startswith(prefixes):
            return label
    return "other"


def main():
    before, after, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
    shown = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    delta = {}
    for name in set(before) | set(after):
        b, a = before.get(name, (0, 0)), after.get(name, (0, 0))
        delta[name] = (a[0] - b[0], a[1] - b[1])
    groups = collections.Counter()
    for name, (_, size) in delta.items():
        groups[group_of(name)] += size
    total = sum(groups.values())
    print(f"live heap added per connection ({n} connections): {total / n:,.0f} bytes")
    for label, size in groups.most_common():
        print(f"  {size / n:10,.0f}  {label}")
    print(f"largest classes (instances and bytes per connection):")
    for name, (count, size) in sorted(delta.items(), key=lambda item: -item[1][1])[:shown]:
        print(f"  {count / n:8.2f} {size / n:10,.0f}  {name}")


main()
