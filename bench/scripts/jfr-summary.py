#!/usr/bin/env python3
"""Where a PD Prime server's HTTP workers spent a JFR recording: run, blocked or parked.

    python3 scripts/jfr-summary.py RECORDING.jfr

Reads the recording with the JDK's `jfr print` and prints, per 10 s of wall time, the execution
samples in total, in closing a connection and in deciding a handshake (so a storm shows when the
workers stopped closing and started accepting); the application frames most often on the sampled
stacks; and, for the HTTP worker threads only, the time blocked on monitors and parked on locks,
by the frame that blocked and the first application frame above it. Bench/RESULTS.md quotes it.

    python3 scripts/jfr-summary.py RECORDING.jfr FRAME...

With FRAMEs (substrings of a frame, e.g. `UpgradedRequest.held`), instead: the execution samples per
thread group (thread names without their numbers), and for each FRAME the samples with it on their
stack, all and on the writer threads, and the callers (that frame and the three above it) they came
from.
"""
import collections
import re
import subprocess
import sys

UNITS_MS = {"s": 1000.0, "ms": 1.0, "us": 0.001, "ns": 0.000001}


def events(recording, kind, depth):
    out = subprocess.run(
        ["jfr", "print", "--events", kind, "--stack-depth", str(depth), recording],
        capture_output=True, text=True, check=True).stdout
    return out.split(kind + " {")[1:]


def frames(event):
    if "stackTrace = [" not in event:
        return []
    lines = event.split("stackTrace = [")[1].split("\n")[1:]
    return [re.sub(r"\s+line:.*", "", line.strip()) for line in lines
            if line.strip() and line.strip() != "]" and not line.strip().startswith("}")]


def duration_ms(event):
    found = re.search(r"duration = ([\d.]+) (s|ms|us|ns)", event)
    return float(found.group(1)) * UNITS_MS[found.group(2)] if found else 0.0


def application(frame):
    return "pdprime" in frame and "__EJB31" not in frame and "$Proxy$" not in frame


def main(recording):
    samples = events(recording, "jdk.ExecutionSample", 200)
    per_window = collections.Counter()
    closing = collections.Counter()
    deciding = collections.Counter()
    on_stack = collections.Counter()
    for sample in samples:
        started = re.search(r"startTime = (\d+:\d+:\d)", sample)
        if not started:
            continue
        window = started.group(1) + "0"
        per_window[window] += 1
        if "ConnectionRegistry.closed" in sample:
            closing[window] += 1
        if "HandshakeFilter.decide" in sample:
            deciding[window] += 1
        for frame in {re.sub(r"\(.*", "", f) for f in frames(sample) if application(f)}:
            on_stack[frame] += 1
    print("window    samples  closing  deciding handshakes")
    for window in sorted(per_window):
        print(f"{window}  {per_window[window]:7}  {closing[window]:7}  {deciding[window]:7}")
    print(f"\n{len(samples)} execution samples; application frames most often on the stack:")
    for frame, count in on_stack.most_common(20):
        print(f"{count:6}  {frame}")
    for kind in ("jdk.JavaMonitorEnter", "jdk.ThreadPark"):
        blocked = collections.Counter()
        count = collections.Counter()
        for event in events(recording, kind, 30):
            if "http-thread-pool" not in event:
                continue
            stack = frames(event)
            above = [f for f in stack if application(f) and "logging" not in f]
            key = (stack[0][:70] if stack else "?") + "  <  " + (above[0][:100] if above else "-")
            blocked[key] += duration_ms(event)
            count[key] += 1
        print(f"\nHTTP workers, {kind}: ms in all, events, where")
        for key, total in sorted(blocked.items(), key=lambda item: -item[1])[:8]:
            print(f"{total:12.0f}  {count[key]:6}  {key}")


def holding(recording, patterns):
    groups = collections.Counter()
    held = {pattern: collections.Counter() for pattern in patterns}
    callers = {pattern: collections.Counter() for pattern in patterns}
    samples = events(recording, "jdk.ExecutionSample", 80)
    for sample in samples:
        named = re.search(r'sampledThread = "([^"]*)"', sample)
        thread = named.group(1) if named else "?"
        groups[re.sub(r"[-#]?\d+.*$", "", thread)] += 1
        stack = frames(sample)
        for pattern in patterns:
            at = next((i for i, frame in enumerate(stack) if pattern in frame), None)
            if at is None:
                continue
            held[pattern]["all"] += 1
            if thread.startswith("realtime-writer"):
                held[pattern]["writers"] += 1
            callers[pattern][" <- ".join(stack[at:at + 4])] += 1
    print(f"execution samples: {len(samples)}")
    for group, count in groups.most_common(12):
        print(f"  {count:6d} {group}")
    for pattern in patterns:
        print(f"{pattern}: {held[pattern]['all']} samples ({held[pattern]['writers']} on writer threads)")
        for caller, count in callers[pattern].most_common(5):
            print(f"  {count:6d} {caller}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        holding(sys.argv[1], sys.argv[2:])
