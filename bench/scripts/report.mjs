// Turns result files (results/raw/*.json) into the markdown tables of RESULTS.md.
//   node scripts/report.mjs results/raw/*.json > /tmp/tables.md
import fs from "node:fs";
import path from "node:path";

const files = process.argv.slice(2).filter((f) => f.endsWith(".json"));
const runs = files.map((f) => ({ file: path.basename(f, ".json"), ...JSON.parse(fs.readFileSync(f, "utf8")) }));
const order = { ws: 0, socketio: 1, pdprime: 2 };
const names = { ws: "ws 8.18 (bare)", socketio: "Socket.IO 4.8", pdprime: "PD Prime Realtime" };
runs.sort((a, b) => (a.file.split("-")[0] < b.file.split("-")[0] ? -1 : a.file.split("-")[0] > b.file.split("-")[0] ? 1 : order[a.server] - order[b.server]));
const round = (r) => r.file.split("-")[0];
// A run through the batch API (run.mjs --batch) is named so in every table: its figures are never
// read as the single-publish path's.
const wayOf = (r) => (r.publishPath.startsWith("jms-") ? `publish queue ≤ ${r.args.batch}/message` : `batch API ≤ ${r.args.batch}/POST`);
const pathOf = (r) => (r.publishPath && r.publishPath !== "single" ? `, ${wayOf(r)}${Number(r.args["batch-linger-ms"]) > 0 ? ` linger ${r.args["batch-linger-ms"]} ms` : ""}` : "");
// The label names the variant bench.sh started (pdprime-postgres, pdprime-wildfly) where it is not the protocol's.
const nameOf = (r) => names[r.server] + (r.label && r.label !== r.server ? ` (${r.label})` : "") + (String(r.args.port).includes(",") ? " (2 instances)" : "") + pathOf(r);
const kind = (r) => r.file.split("-").slice(-1)[0];
const f = (x, d = 1) => (x == null || Number.isNaN(x) ? "–" : typeof x === "number" ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(d).replace(/\.0+$/, "")) : String(x));
const load1 = (s) => (s ? s.split(" ")[0] : "–");
const load3 = (s) => (s ? s.split(" ").slice(0, 3).join(" ") : "–");
const closes = (c) => (c && Object.keys(c).length ? Object.entries(c).map(([k, v]) => `${k}×${v}`).join(" ") : "–");
const out = [];
const table = (head, rows) => {
  out.push("| " + head.join(" | ") + " |", "|" + head.map(() => "---").join("|") + "|");
  for (const r of rows) out.push("| " + r.join(" | ") + " |");
  out.push("");
};

out.push("### Machine and server process of each run", "");
table(
  ["run", "server", "CPU model", "cores", "load before start", "load at generator start", "server up at generator start s", "warm-up phases"],
  runs.map((r) => [`${round(r)} ${kind(r)}`, nameOf(r), r.machine.cpuModel ?? "–", f(r.machine.nproc), load3(r.loadavgBeforeServerStart), load3(r.loadavgStart), f(r.serverUptimeSAtStart), (r.warmups || []).map((w) => `${w.name} ${f(w.durationS)} s`).join(", ") || "none"]),
);

out.push("### Connect, idle memory (workload c) and settle", "");
table(
  ["run", "server", "conns", "open / failed", "connect p50 / p99 ms", "connect wall s", "subscribe p99 ms", "settle s (ephemeral frames)", "RSS / heap per conn KB (connected)", "RSS / heap per conn KB (+1 room)", "load before"],
  runs.map((r) => [
    `${round(r)} ${kind(r)}`,
    nameOf(r),
    f(r.args.conns),
    `${r.connect.open} / ${r.connect.failed}${r.connect.failed ? " " + JSON.stringify(r.connect.failures) : ""}`,
    `${f(r.connect.connectMs.p50)} / ${f(r.connect.connectMs.p99)}`,
    f(r.connect.wallS),
    f(r.subscribe.subscribeMs.p99),
    r.settle ? `${r.settle.settled ? "" : "NOT settled after "}${f(r.settle.seconds)} (${f(r.settle.ephemeralReceived)})` : "–",
    `${f(r.idle.rssPerConnKB)} / ${f(r.idle.heapPerConnKB)}`,
    `${f(r.idle.rssPerConnSubscribedKB)} / ${f(r.idle.heapPerConnSubscribedKB)}`,
    load1(r.loadavgBeforeServerStart || r.loadavgStart),
  ]),
);

// Result files from before the open-loop generator have no `sustained`: their latency ran from
// the actual send of each POST (at most 512 in flight), so they are tabled apart, never mixed.
const openLoop = (r) => r.phases.every((p) => p.sustained !== undefined);
const cpu = (p) => `${f(p.serverCpuCores, 2)} / ${f(p.generatorCpuCores, 2)} / ${f(p.otherCpuCores, 2)}`;
const seqCell = (p) => (p.seq ? `${f(p.seq.gaps)} / ${f(p.seq.dups)}` : "–");

const open = runs.filter(openLoop);
if (open.length) {
  out.push("### Publishing phases, open loop (workloads a and b)", "");
  out.push(
    "Every publish has an intended send time (phase start + i / rate) and its latency, delivery and POST answer alike, runs from that time, so time a publish spent waiting (for the generator's loop, for one of the 512 in-flight slots while the server is behind) is counted. *achieved* is the publishes answered 201 within the phase's window per second. *backlog* is the most publishes that were due but not yet sent / sent but not yet answered at any instant, and the same at the end of the window. *sustained*: achieved ≥ 98 % of offered, p99 < 50 ms over the phase and in each of its 10 s windows, nothing lost, no seq gap or duplicate, phase ≥ 30 s; otherwise the first reason. *seq* is gaps / duplicates-or-out-of-order seen in the phase. CPU is in cores (2 = the whole machine): *other* is busy CPU of processes that are neither the server nor the generator. *load* is the 1-minute load average just before the phase, *up* how long the server process had been running.",
    "",
  );
  const rows = [];
  for (const r of open)
    for (const p of r.phases)
      rows.push([
        `${round(r)} ${kind(r)}`,
        nameOf(r),
        `${p.name} (${f(r.args.conns)} conns, ${f(p.durationS)} s)`,
        f(p.offeredRate),
        f(p.achievedRate),
        p.sustained ? "**yes**" : `no: ${p.notSustainedBecause[0]}`,
        f(p.latencyMs.p50),
        f(p.latencyMs.p99),
        f(p.latencyMs.p999),
        f(p.latencyMs.max),
        p.windows.map((w) => f(w.p99)).join(", "),
        `${f(p.backlog.maxNotSent)} / ${f(p.backlog.maxUnanswered)}`,
        `${f(p.backlog.atEnd.notSent)} / ${f(p.backlog.atEnd.unanswered)}`,
        f(p.sendLagMs.p99),
        f(p.deliveriesPerSec),
        `${f(p.lost)} / ${f(p.expected)}`,
        seqCell(p),
        closes(p.closes),
        cpu(p),
        p.workerLoopDelayMs.map((x) => f(x.p99)).join(", "),
        load1(p.loadavg),
        f(p.serverUptimeS),
      ]);
  table(["run", "server", "phase", "offered /s", "achieved /s", "sustained", "p50", "p99", "p99.9", "max", "p99 per 10 s window", "backlog max (not sent / unanswered)", "backlog at end", "send lag p99 ms", "deliv/s", "lost / expected", "seq gaps / dups", "closes", "CPU server / gen / other", "loop p99", "load", "up s"], rows);
}

const closed = runs.filter((r) => !openLoop(r));
if (closed.length) {
  out.push("### Publishing phases, closed loop (result files from before the open-loop generator)", "");
  out.push("Latency is publish (timestamp taken just before the HTTP POST) to receipt, in ms, over every delivery of the events published after the phase's warm-up seconds; at most 512 POSTs were in flight and a publish held back by that bound was timestamped when it finally went out, so the server's backlog is not in these latencies (coordinated omission). *deliv/s* is the mean of the per-second delivery counts over the measured seconds; *peak* the highest one-second count in the phase (drain included). CPU is in cores (2 = the whole machine): *other* is busy CPU of processes that are neither the server nor the generator (other users of the machine). *loop* is the workers' event-loop lateness p99 in ms.", "");
  const rows = [];
  for (const r of closed)
    for (const p of r.phases)
      rows.push([
        `${round(r)} ${kind(r)}`,
        nameOf(r),
        `${p.name} (${f(r.args.conns)} conns)`,
        `${f(p.achievedRate)}`,
        f(p.latencyMs.p50),
        f(p.latencyMs.p95),
        f(p.latencyMs.p99),
        f(p.latencyMs.p999),
        f(p.latencyMs.max),
        f(p.deliveriesPerSec),
        f(p.peakDeliveriesPerSec),
        `${f(p.lost)} / ${f(p.expected)}`,
        closes(p.closes),
        f(p.publishLatencyMs.p99),
        cpu(p),
        p.workerLoopDelayMs.map((x) => f(x.p99)).join(", "),
        load1(p.loadavg),
      ]);
  table(["run", "server", "phase", "achieved /s", "p50", "p95", "p99", "p99.9", "max", "deliv/s", "peak", "lost / expected", "closes", "POST p99 ms", "CPU server / gen / other", "loop p99", "load"], rows);
}

const bo = runs.filter((r) => r.bHighestSustainedRate !== undefined);
if (bo.length) {
  out.push("### Workload b: highest sustained publish rate (open loop)", "");
  table(["run", "server", "highest sustained rate /s", "rates tried (achieved /s, p99 ms from intended)"], bo.map((r) => [round(r), nameOf(r), f(r.bHighestSustainedRate), r.phases.filter((p) => p.name.startsWith("b@")).map((p) => `${p.offeredRate} (${f(p.achievedRate)}, ${f(p.latencyMs.p99)})${p.sustained ? "" : " ✗"}`).join("; ")]));
}
const b = runs.filter((r) => r.bHighestRateWithinSlo !== undefined);
if (b.length) {
  out.push("### Workload b: highest publish rate with p99 < 50 ms, no loss and the offered rate achieved (closed loop, before the open-loop generator)", "");
  table(["run", "server", "highest rate /s", "rates tried (p99 ms)"], b.map((r) => [round(r), nameOf(r), f(r.bHighestRateWithinSlo), r.phases.filter((p) => p.name.startsWith("b@")).map((p) => `${p.offeredRate}${p.achievedRate < p.offeredRate * 0.95 ? ` (achieved ${f(p.achievedRate)})` : ""}: ${f(p.latencyMs.p99)}`).join("; ")]));
}

// Result files written before 2026-12-02 hold one `storm`; later ones a list, `storms`.
const stormsOf = (r) => r.storms || (r.storm ? [r.storm] : []);
const s = runs.filter((r) => stormsOf(r).length);
if (s.length) {
  out.push("### Workload d: reconnect storm (every socket dropped at once, full-jitter backoff 500 ms ×2 cap 20 s, resubscribe with `since`)", "");
  table(
    ["run", "server", "storm", "dropped", "reopened p50 / max s", "all resubscribed s", "all recovered s", "attempts (failed)", "replayed", "recovered:false", "closed while recovering, reopened (by code)", "left closed", "lost after the run's storms (open / closed)", "server CPU", "gen loop p99 ms", "load"],
    s.flatMap((r) => {
      const fin = r.finals?.find((x) => x.afterPhase !== undefined) || r.finals?.[0] || {};
      return stormsOf(r).map((st, i) => [
        round(r),
        nameOf(r),
        f(i + 1),
        f(st.dropped),
        `${f(st.reopened.p50 / 1000, 2)} / ${f(st.reopened.max / 1000, 2)}`,
        f(st.allResubscribedS),
        f(st.allRecoveredS),
        `${f(st.attempts)} (${Object.values(st.failedAttempts).reduce((a, b) => a + b, 0)})`,
        f(st.replayed),
        f(st.notRecovered),
        st.closedWhileRecovering ? closes(st.closedWhileRecovering) : "not counted",
        st.leftClosed !== undefined ? f(st.leftClosed) : "not counted",
        `${f(fin.lostOnOpenConnections)} / ${f(Object.values(fin.lostClosed || {}).reduce((a, b) => a + b, 0))}`,
        f(st.serverCpuCores, 2),
        (st.workerLoopDelayMs || []).map((x) => f(x.p99)).join(", "),
        load1(st.loadavg),
      ]);
    }),
  );
}

out.push("### Seq accounting over each whole run", "");
table(
  ["run", "server", "after phase", "expected", "received", "lost on open conns (gaps + tail)", "lost on closed conns (by close code)", "closed conns", "dups", "ephemeral frames"],
  runs.flatMap((r) =>
    (r.finals || []).map((x, i) => [`${round(r)} ${kind(r)}`, nameOf(r), stormsOf(r).length && i === 0 && kind(r) === "B" ? "storm" : x.afterPhase, f(x.expected), f(x.received), `${f(x.lostOnOpenConnections)} (${f(x.gapsOpen)} + ${f(x.tailOpen)})`, closes(x.lostClosed), closes(x.closedConns), f(x.dups), r.ephemeralReceived ? closes(r.ephemeralReceived) : "–"]),
  ),
);
console.log(out.join("\n"));
