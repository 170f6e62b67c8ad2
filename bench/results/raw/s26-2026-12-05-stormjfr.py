#!/usr/bin/env python3
"""Execution samples (JFR keeps 64 frames: a deep stack is matched by its inner frames) of a storm recording by what the thread was doing: the first rule (in order)
whose frame is on the sample's stack, else the thread's group. Scratch analysis of the second stop
of 2026-12-05 (bench/RESULTS.md).   python3 stormjfr.py RECORDING.jfr"""
import collections, re, subprocess, sys
RULES = [
    ("presence flush: which pairs are present (stillPresent)", "PresenceStore.stillPresent"),
    ("presence flush: the rest (rows that go, deletes, inserts, commit)", ("PresenceStore.", "PresenceService.flush", "PresenceService.announce", "PresenceService.presentAfterCommit")),
    ("connection log lines (ConnectionLog.drain: java.util.logging, Payara's formatter)", "ConnectionLog.drain"),
    ("connection journal (websocket_connections rows)", ("JournalWriter", "ConnectionJournal")),
    ("handshake: token check (TokenVerification)", "TokenVerification"),
    ("handshake: the container's upgrade (request.upgrade: handler creation, Tyrus session)", "AuthenticatedRequest.upgrade"),
    ("handshake: the rest of the filter chain", "HandshakeFilter.doFilter"),
    ("frames in: subscribe", "ConnectionService.subscribe"),
    ("frames in: the rest", "ConnectionService.receive"),
    ("socket open (ConnectionRegistry.open)", "ConnectionRegistry.open"),
    ("socket close (endpoint close, registry)", "EngineEndpoint.close"),
    ("REST publish (resource)", "RoomEventResource"),
]
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "300", sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
cats = collections.Counter()
n = 0
for s in out.split("jdk.ExecutionSample {")[1:]:
    n += 1
    t = re.search(r'sampledThread = "([^"]*)"', s)
    thread = re.sub(r"\d+", "N", t.group(1)) if t else "?"
    for name, frame in RULES:
        if any(f in s for f in (frame if isinstance(frame, tuple) else (frame,))):
            cats[name] += 1
            break
    else:
        cats["other, thread " + thread] += 1
print(f"{n} execution samples")
for k, v in cats.most_common():
    if v >= 5: print(f"{v:6d} {100 * v / n:5.1f} %  {k}")
print(f"{sum(v for k, v in cats.items() if v < 5):6d}        (groups under 5 samples each)")
