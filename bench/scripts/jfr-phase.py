#!/usr/bin/env python3
"""What a recorded server ran during one phase of a generator run.

    python3 scripts/jfr-phase.py REC.jfr RUN.log PHASE [NAME=REGEX ...]

REC.jfr is a recording started with the server's JVM (PDPRIME_JAVA_OPTS=
"-XX:StartFlightRecording=settings=profile") and dumped after the phase (jcmd PID JFR.dump name=1
filename=REC.jfr); RUN.log is the generator's log, PHASE the phase's name as its "phase NAME:" line
gives it (e.g. "b@1000/s"): execution samples from 5 s after that line for 55 s are counted; or
"storms": from the first "storm: dropping every socket" line to the "final:" line. By how
the sampled frame ran (a share of "Interpreted" means the JIT had not compiled that code, so the
profile is not the steady state's), by thread group, and for each NAME=REGEX by the first rule whose
regex matches a frame of the sample (Java's dotted names, e.g. "heads=RoomEventStore\\.heads").
"""
import collections
import json
import re
import subprocess
import sys


def seconds(line):
    h, m, s = line.split()[0].split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def phase_window(log, phase):
    lines = open(log).read().splitlines()
    if phase == "storms":
        first = next((seconds(l) for l in lines if "storm: dropping every socket" in l), None)
        last = next((seconds(l) for l in lines if " final: " in l), None)
        if first is None or last is None:
            sys.exit(f"no storm or no final line in {log}")
        return first, last
    starts = [seconds(l) for l in lines if f"phase {phase}:" in l]
    if not starts:
        sys.exit(f"no 'phase {phase}:' line in {log}")
    return starts[-1] + 5, starts[-1] + 60


def seconds_of_day(timestamp):
    hh, mm, ss = timestamp.split("T")[1].rstrip("Z").split("+")[0].split(":")
    return int(hh) * 3600 + int(mm) * 60 + float(ss)


def frame_name(frame):
    return frame["method"]["type"]["name"].replace("/", ".") + "." + frame["method"]["name"]


def main():
    rec, log, phase = sys.argv[1:4]
    rules = [arg.split("=", 1) for arg in sys.argv[4:]]
    t0, t1 = phase_window(log, phase)
    printed = subprocess.run(
        ["jfr", "print", "--json", "--events", "jdk.ExecutionSample", "--stack-depth", "96", rec],
        capture_output=True, text=True, check=True).stdout
    kinds, threads, matched = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for event in json.loads(printed)["recording"]["events"]:
        values = event["values"]
        if not t0 <= seconds_of_day(values["startTime"]) < t1:
            continue
        frames = values["stackTrace"]["frames"] if values["stackTrace"] else []
        if not frames:
            continue
        total += 1
        kinds[frames[0].get("type")] += 1
        thread = values["sampledThread"]["javaName"] or values["sampledThread"]["osName"]
        threads[re.sub(r"\d+", "N", thread)] += 1
        names = [frame_name(f) for f in frames]
        for name, regex in rules:
            if any(re.search(regex, n) for n in names):
                matched[name] += 1
                break
    if total == 0:
        sys.exit("no execution samples in the phase's window")
    print(f"{total} execution samples in {phase} ({t1 - t0:.0f} s)")
    print("  frames: " + ", ".join(f"{k} {100 * v / total:.0f} %" for k, v in kinds.most_common()))
    for name, _ in rules:
        print(f"  {matched[name]:5d} {100 * matched[name] / total:5.1f} %  {name}")
    print("  by thread:")
    for name, count in threads.most_common(10):
        print(f"  {count:5d} {100 * count / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
