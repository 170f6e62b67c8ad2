#!/usr/bin/env python3
"""What the collector did during one phase of a run, from the server's G1 log.

    python3 scripts/gc-phase.py GC_LOG START_S [SECONDS]

GC_LOG is the file of -Xlog:gc*:file=... (may be gzipped); START_S is the server's uptime when
the phase began (the generator's phase line says "server up N s") and SECONDS the phase's length
(default 60). Prints the allocation rate (eden collected in the phase over its length, as the
RESULTS tables since the fourth stop of 2026-12-02 count it) and the young pauses: count, mean,
max, and their share of the phase. With gc+phases=debug in the log (-Xlog:gc*,gc+phases=debug:...)
also what a young pause spent finding and copying, per pause: the old generation's cards scanned
for references into the young one and the time that took (the workers' mean), the cards still
waiting in the refinement logs at the pause, and the copying.
"""

import gzip
import re
import sys

REGION = re.compile(r"Heap Region Size: (\d+)([KMG])")
EDEN = re.compile(r"^\[([\d.]+)s\].*GC\((\d+)\) Eden regions: (\d+)->(\d+)")
PAUSE = re.compile(r"^\[([\d.]+)s\].*GC\((\d+)\) Pause Young .* ([\d.]+)ms$")
UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
# One worker-statistics line of a pause: its GC id, the phase's name, the workers' mean and sum.
PHASE = re.compile(
    r"^\[([\d.]+)s\].*GC\((\d+)\)\s+(Scan Heap Roots \(ms\)|Scanned Cards|Dirty Cards|"
    r"Object Copy \(ms\)|Log Buffers \(ms\)):\s+Min:.*Avg:\s*([\d.]+),.*Sum:\s*([\d.]+),"
)


def main(path, start, seconds):
    opener = gzip.open if path.endswith(".gz") else open
    region_bytes = None
    eden_collected = 0
    pauses = []
    phases = {}
    in_log_buffers = set()
    with opener(path, "rt") as log:
        for line in log:
            found = PHASE.match(line)
            if found:
                at, gc, name = float(found.group(1)), found.group(2), found.group(3)
                if not start <= at < start + seconds:
                    continue
                if name == "Log Buffers (ms)":
                    in_log_buffers.add(gc)
                    continue
                if name == "Dirty Cards":
                    # Only the refinement logs' dirty cards: the first line after "Log Buffers".
                    if gc not in in_log_buffers:
                        continue
                    in_log_buffers.discard(gc)
                    name = "Log Buffers' dirty cards"
                value = float(found.group(4) if name.endswith("(ms)") else found.group(5))
                phases.setdefault(name, []).append(value)
                continue
            found = REGION.search(line)
            if found:
                region_bytes = int(found.group(1)) * UNITS[found.group(2)]
                continue
            found = EDEN.match(line)
            if found and start <= float(found.group(1)) < start + seconds:
                eden_collected += int(found.group(3)) - int(found.group(4))
                continue
            found = PAUSE.match(line)
            if found and start <= float(found.group(1)) < start + seconds:
                pauses.append(float(found.group(3)))
    if region_bytes is None:
        sys.exit(f"{path}: no 'Heap Region Size' line; was the log written with -Xlog:gc*?")
    rate = eden_collected * region_bytes / seconds / 1e6
    print(f"allocation {rate:.0f} MB/s ({eden_collected} eden regions of {region_bytes >> 20} MiB)")
    if pauses:
        mean = sum(pauses) / len(pauses)
        share = sum(pauses) / 1000 / seconds * 100
        print(
            f"young pauses {len(pauses)}, mean {mean:.1f} ms, max {max(pauses):.1f} ms,"
            f" {share:.1f} % of the phase"
        )
    else:
        print("young pauses 0")
    for name, values in phases.items():
        print(f"  per pause, {name}: mean {sum(values) / len(values):.1f}, max {max(values):.1f}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) == 4 else 60.0)
