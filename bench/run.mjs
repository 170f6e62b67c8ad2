#!/usr/bin/env node
// Load-generator coordinator. Forks worker processes that hold the connections, publishes through
// the server's real HTTP API (this process), and runs the workloads as phases on one set of
// connections. Writes one JSON result file and prints a summary.
//
//   node run.mjs --server pdprime --port 8080 --server-pid 1234 --conns 10000 --out results/raw/x.json
//
// Every connection i subscribes to two rooms: the shared room (workload a: all N connections in one
// room) and group room floor(i / group-size) (workload b: N / group-size rooms of group-size).
import { fork, execFileSync, spawn } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newHist, mergeWire, summary, record, toWire } from "./lib/hist.mjs";
import { signToken } from "./lib/jwt.mjs";
import { backlog, dueCount, intendedUs, verdict, windowOf } from "./lib/schedule.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------- args
const defaults = {
  server: "pdprime",
  port: "8080", // several instances of one server (workload e): a comma list, e.g. 18080,18081
  "server-pid": "0", // the pids of those instances, in the same order
  "metrics-port": "", // where /metrics is, if not on --port (WildFly: its management port, 9990)
  conns: 1000,
  workers: 2,
  "connect-rate": 1000, // new connections per second (all workers together)
  "connect-inflight": 400,
  "group-size": 10,
  layout: "ab", // rooms per connection: a = the one shared room, b = its group room, ab = both
  phases: "warm:200@30,idle,a:1,a:10,bsearch,repair,storm,final,a:50@10,final",
  "b-search": "1000,2000,3000,4000,5000", // ascending rates for the p99 < 50 ms search
  "b-required": "1000,5000", // rates always run even after the search has failed
  duration: 30, // seconds of publishing per measured phase
  warmup: 0, // seconds at the start of each phase excluded from latency (events still counted and seq-checked)
  window: 10, // seconds per latency window: a sustained rate keeps p99 under the bound in every window
  "min-sustained-s": 30, // a shorter phase is never reported as sustained
  "publish-sockets": 64,
  "publish-inflight": 512, // POSTs unanswered at once; waiting for a slot counts in latency (open loop)
  batch: 0, // pdprime only: > 0 publishes through POST /api/v1/events, at most this many due publishes per POST
  "batch-linger-ms": 0, // with --batch: hold due publishes up to this long for a fuller batch (the wait counts in latency)
  "publish-via": "http", // with --batch: "jms" sends each batch as a message to the publish queue (jms/QueuePublisher.java)
  "slo-ms": 50,
  "storm-timeout": 120,
  "storm-rates": "a:1,b:100", // background publishing during the storm
  "drain-timeout": 60,
  "settle-max": 300, // after subscribing, wait (at most this long) until no frame arrives for 2 s
  label: "",
  out: "",
};
const args = { ...defaults };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, "");
  if (!(k in defaults)) throw new Error(`unknown option --${k}`);
  args[k] = process.argv[++i];
}
for (const k of Object.keys(defaults)) if (typeof defaults[k] === "number") args[k] = Number(args[k]);
const N = args.conns;
if (args.batch < 0 || !Number.isInteger(args.batch) || args.batch > 500) throw new Error("--batch must be 0 (single publishes) or 1..500");
if (args["batch-linger-ms"] > 0 && args.batch === 0) throw new Error("--batch-linger-ms needs --batch");
if (args.batch > 0 && args.server !== "pdprime") throw new Error("--batch is PD Prime's batch API (POST /api/v1/events); the peers have none");
if (!["http", "jms"].includes(args["publish-via"])) throw new Error("--publish-via must be http or jms");
if (args["publish-via"] === "jms" && (args.batch === 0 || !process.env.BENCH_BROKER_PORT))
  throw new Error("--publish-via jms needs --batch and BENCH_BROKER_PORT (scripts/bench.sh pdprime-postgres, bench/README.md)");
/** Which path publishes: never mixed in one run, so every result names one. */
const PUBLISH_PATH = args.batch > 0 ? `${args["publish-via"] === "jms" ? "jms-batch" : "batch"}:${args.batch}` : "single";
// Connection i talks to PORTS[i % n]; publishes go round-robin over them; CPU, RSS and heap are
// summed over every instance.
const PORTS = String(args.port).split(",").map(Number);
const PIDS = String(args["server-pid"]).split(",").map(Number).filter(Boolean);
const METRICS_PORTS = args["metrics-port"] ? String(args["metrics-port"]).split(",").map(Number) : PORTS;
const GROUPS = Math.max(1, Math.ceil(N / args["group-size"]));
const log = (...a) => console.log(new Date().toISOString().slice(11, 23), ...a);

// ------------------------------------------------------------------------------------- HTTP client
const agent = new http.Agent({ keepAlive: true, maxSockets: args["publish-sockets"] });
function request(method, urlPath, body, headers = {}, port = PORTS[0]) {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        agent,
        headers: text === undefined ? headers : { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.setTimeout(30000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(text);
  });
}

// ------------------------------------------------------------------------ server adapters (publish)
function procStatus(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, "m")) || [])[1] || 0) * 1024;
    return { rss: kb("VmRSS"), threads: Number((s.match(/^Threads:\s+(\d+)/m) || [])[1] || 0) };
  } catch {
    return { rss: null };
  }
}
function procCpuMs(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const parts = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return (Number(parts[11]) + Number(parts[12])) * 10; // utime + stime, 100 ticks/s
  } catch {
    return null;
  }
}
/** Seconds since each server instance started (from /proc/<pid>/stat), lowest first: shows that a
 * round ran on a fresh process and how long it had been up at each phase. Null when unknown. */
function serverUptimeS() {
  if (PIDS.length === 0) return null;
  try {
    const up = Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    const each = PIDS.map((pid) => {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return Math.round(up - Number(f.slice(f.lastIndexOf(")") + 2).split(" ")[19]) / 100); // starttime, 100 ticks/s
    });
    return Math.min(...each);
  } catch {
    return null;
  }
}
function cpuModel() {
  try {
    return (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m) || [])[1] || null;
  } catch {
    return null;
  }
}
/** Summed over every server instance; null when a pid is unknown or gone. */
function serverCpuMs() {
  if (PIDS.length === 0) return null;
  const each = PIDS.map(procCpuMs);
  return each.includes(null) ? null : each.reduce((a, b) => a + b, 0);
}
/**
 * CPU of every server thread since the JVM started, in ms, keyed by pid/tid with the thread's group:
 * its name as Linux keeps it (the first 15 characters) without a trailing number, so the HTTP
 * workers "http-thread-pool::http-listener(3)" and their siblings are one "http-thread-poo". Null
 * when a pid is unknown or gone.
 */
function serverThreadCpuMs() {
  if (PIDS.length === 0) return null;
  const threads = new Map();
  try {
    for (const pid of PIDS) {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        let comm, stat;
        try {
          comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
          stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        } catch {
          continue; // the thread ended between the listing and the read
        }
        const parts = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const group = comm.replace(/[\s#:(_-]*\d+\)?$/, "") || comm;
        threads.set(`${pid}/${tid}`, { group, ms: (Number(parts[11]) + Number(parts[12])) * 10 });
      }
    }
  } catch {
    return null;
  }
  return threads;
}
/**
 * Cores each thread group used between two serverThreadCpuMs() readings, the busiest first, groups
 * under 0.01 cores left out. A thread that ended in between is not counted (its last CPU is gone
 * with it); one that started counts from zero.
 */
function threadCores(before, after, wallS) {
  if (!before || !after) return null;
  const groups = {};
  for (const [key, t] of after) groups[t.group] = (groups[t.group] || 0) + t.ms - (before.get(key)?.ms || 0);
  return Object.fromEntries(
    Object.entries(groups)
      .map(([group, ms]) => [group, Math.round((ms / 1000 / wallS) * 100) / 100])
      .filter(([, cores]) => cores >= 0.01)
      .sort((a, b) => b[1] - a[1]),
  );
}
const cpuText = (u) => `cpu server ${u.serverCpuCores} postgres ${u.postgresCores}; server threads ${threadText(u.serverThreadCores)}`;
const threadText = (cores) => (cores ? Object.entries(cores).slice(0, 6).map(([g, c]) => `${g} ${c}`).join(", ") : "n/a");
function serverStatus() {
  if (PIDS.length === 0) return {};
  const each = PIDS.map(procStatus);
  if (each.some((p) => p.rss === null)) return { rss: null };
  return { rss: each.reduce((a, p) => a + p.rss, 0), threads: each.reduce((a, p) => a + p.threads, 0) };
}
/** Busy CPU of the whole machine (all processes), in ms, from /proc/stat, less softirq time (mostly
 * the loopback network stack working for this benchmark, charged to no process); softirq apart. */
function machineBusyMs() {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = f[3] + f[4];
  return (f.reduce((a, b) => a + b, 0) - idle - f[6]) * 10;
}
/** CPU of every PostgreSQL process on the machine (the server's backends among them), in ms. */
function postgresCpuMs() {
  let ms = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // the process ended between the listing and the read
    }
    if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
    const parts = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ms += (Number(parts[11]) + Number(parts[12])) * 10;
  }
  return ms;
}
/** What the server's threads and the machine's PostgreSQL used from now until the returned function is called. */
function cpuSpan() {
  const t0 = Date.now(), cpu0 = serverCpuMs(), threads0 = serverThreadCpuMs(), pg0 = postgresCpuMs();
  return () => {
    const wallS = (Date.now() - t0) / 1000, cpu1 = serverCpuMs();
    return {
      serverCpuCores: cpu0 != null && cpu1 != null ? Math.round(((cpu1 - cpu0) / 1000 / wallS) * 100) / 100 : null,
      serverThreadCores: threadCores(threads0, serverThreadCpuMs(), wallS),
      postgresCores: Math.round(((postgresCpuMs() - pg0) / 1000 / wallS) * 100) / 100,
    };
  };
}
function softirqMs() {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return f[6] * 10;
}

const adapters = {
  pdprime: {
    async setup() {
      this.publishAuth = { authorization: "Bearer " + signToken({ subject: "bench-publisher", name: "Bench publisher", groups: ["realtime:publish"] }) };
      const writer = { authorization: "Bearer " + signToken({ subject: "bench-writer", name: "Bench writer", groups: ["quote:write"] }) };
      // Groups are quote rooms (collaboration-sized, with presence), which any agent holding
      // quote:read may subscribe to; the one shared room is a dashboard, analytics:bench, open to
      // holders of analytics:read and without presence (docs/protocol.md §5).
      const ids = new Array(GROUPS);
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < ids.length) {
            const i = next++;
            const r = await request("POST", "/api/v1/quotes", { customerSubject: `bench-customer-${i}`, customerName: `Customer ${i}` }, writer);
            if (r.status !== 201) throw new Error(`quote create ${r.status} ${r.text}`);
            ids[i] = "quote:" + JSON.parse(r.text).id;
          }
        }),
      );
      return { allRoom: "analytics:bench", groupRooms: ids };
    },
    publishPath: (room) => `/api/v1/rooms/${encodeURIComponent(room)}/events`,
    async heap() {
      let total = 0;
      for (const port of METRICS_PORTS) {
        try {
          const r = await request("GET", "/metrics", undefined, { accept: "text/plain" }, port);
          // MicroProfile Metrics 5 names it memory_usedHeap_bytes{mp_scope="base"}; older ones
          // base_memory_usedHeap_bytes.
          const m = r.text.match(/^(?:base_)?memory_usedHeap_bytes(?:\{[^}]*\})?\s+([0-9.eE+]+)/m);
          // Micrometer (WildFly) has the used bytes of each heap pool, whose sum is the same figure.
          const pools = [...r.text.matchAll(/^jvm_memory_used_bytes\{[^}]*area="heap"[^}]*\}\s+([0-9.eE+]+)/gm)];
          if (m) total += Number(m[1]);
          else if (pools.length) total += pools.reduce((sum, pool) => sum + Number(pool[1]), 0);
          else return null;
        } catch {
          return null;
        }
      }
      return total;
    },
    /** The group commit's counters summed over the instances: {commits, events}; null if absent. */
    async groupCommits() {
      let commits = 0;
      let events = 0;
      for (const port of METRICS_PORTS) {
        try {
          const r = await request("GET", "/metrics", undefined, { accept: "text/plain" }, port);
          const value = (suffix) => r.text.match(new RegExp(`^realtime_publish_group_size_${suffix}(?:\\{[^}]*\\})?\\s+([0-9.eE+]+)`, "m"));
          const count = value("count");
          const sum = value("sum");
          if (!count || !sum) return null;
          commits += Number(count[1]);
          events += Number(sum[1]);
        } catch {
          return null;
        }
      }
      return { commits, events };
    },
    async gc() {
      for (const pid of PIDS) {
        try {
          execFileSync("jcmd", [String(pid), "GC.run"], { stdio: "ignore", timeout: 60000 });
        } catch {}
      }
    },
  },
  ws: {
    async setup() {
      return { allRoom: "all", groupRooms: Array.from({ length: GROUPS }, (_, k) => `group-${k}`) };
    },
    publishPath: (room) => `/publish/${encodeURIComponent(room)}`,
    async heap(gc) {
      try {
        return JSON.parse((await request("GET", gc ? "/stats?gc=1" : "/stats")).text).heapUsed;
      } catch {
        return null;
      }
    },
    async gc() {
      await this.heap(true);
    },
  },
};
adapters.socketio = adapters.ws;
const adapter = adapters[args.server];
if (!adapter) throw new Error(`--server must be one of ${Object.keys(adapters)}`);
adapter.publishAuth ??= {};
adapter.groupCommits ??= async () => null;

async function memory(gc) {
  if (gc) {
    await adapter.gc();
    await sleep(1000);
  }
  const p = serverStatus();
  return { rss: p.rss ?? null, threads: p.threads ?? null, heap: await adapter.heap(false) };
}

// ------------------------------------------------------------------------------------------ workers
const workers = [];
let reqId = 1;
function call(w, msg) {
  return new Promise((resolve, reject) => {
    const id = reqId++;
    w.waiting.set(id, { resolve, reject });
    w.proc.send({ ...msg, id });
  });
}
const all = (msg) => Promise.all(workers.map((w) => call(w, msg)));

function startWorkers(cfg) {
  const per = Math.ceil(N / args.workers);
  for (let k = 0; k < args.workers; k++) {
    const proc = fork(path.join(here, "lib/worker.mjs"), [], { stdio: "inherit" });
    const w = { proc, waiting: new Map() };
    proc.on("message", (m) => {
      const p = w.waiting.get(m.reply);
      if (!p) return;
      w.waiting.delete(m.reply);
      m.error ? p.reject(new Error(m.error)) : p.resolve(m);
    });
    proc.on("exit", (code) => {
      for (const p of w.waiting.values()) p.reject(new Error(`worker exited ${code}`));
    });
    workers.push(w);
  }
  return Promise.all(workers.map((w, k) => call(w, { cmd: "init", cfg: { ...cfg, from: k * per, to: Math.min(N, (k + 1) * per) } })));
}

// ---------------------------------------------------------------------------------------- publisher
const finalSeq = {};
let subscribers = {}; // room -> open subscribed connections (from the workers)

/**
 * Open-loop publisher (lib/schedule.mjs): publish i is intended at start + i / rate and its event
 * carries that intended time as `t`, so every latency runs from when the publish should have gone
 * out. At most `--publish-inflight` POSTs are unanswered at once (a bound on the generator's
 * sockets and memory, not on the offered load): a publish held back by it, or by a late event
 * loop, is sent as soon as it can be and its wait is in its latency. Both backlogs (due but not
 * sent, sent but not answered) are sampled on every tick.
 */
class Publisher {
  constructor() {
    this.inflight = 0; // publishes sent and not yet answered
    this.posts = 0; // POSTs not yet answered: the in-flight bound counts these
    this.stop = false;
  }
  /** Publishes to `rooms` round-robin at `rate`/s for `seconds`; tagOf(intendedUs) names the phase
   * (and window) of a publish; acknowledgements at or after measureFromUs and before the end of
   * the window count towards the achieved rate. Publishes still unsent at the end of the window
   * are sent late for at most graceS more seconds, then abandoned and counted. */
  async run({ rooms, rate, seconds, tagOf, stats, measureFromS = 0, graceS = args["drain-timeout"] }) {
    const start = nowUs();
    const total = Math.round(rate * seconds);
    const windowEnd = start + seconds * 1e6;
    const maxIn = args["publish-inflight"];
    const perPost = Math.max(1, args.batch);
    const turns = new Map(); // room -> publishes so far: each room's events alternate over the instances
    Object.assign(stats, { startUs: start, windowEndUs: windowEnd, measureFromUs: start + measureFromS * 1e6, scheduled: total });
    let sent = 0;
    let nextSample = start + 1e6;
    for (;;) {
      const now = nowUs();
      const due = this.stop ? sent : dueCount(start, now, rate, total);
      while (sent < due) {
        if (this.posts >= maxIn) {
          stats.capBlockedTicks++;
          break;
        }
        // With --batch-linger-ms, due publishes wait for a full batch, at most that long after the
        // oldest of them was intended.
        if (due - sent < perPost && now < intendedUs(start, sent, rate) + args["batch-linger-ms"] * 1000) break;
        const batch = [];
        while (sent < due && batch.length < perPost) {
          const intended = intendedUs(start, sent, rate);
          const room = rooms[sent % rooms.length];
          const turn = turns.get(room) || 0;
          turns.set(room, turn + 1);
          batch.push({ room, port: PORTS[turn % PORTS.length], intended, p: tagOf(intended) });
          sent++;
        }
        if (args.batch > 0) this.sendBatch(batch, stats);
        else this.send(batch[0].room, batch[0].port, batch[0].intended, batch[0].p, stats);
      }
      const b = backlog(due, sent, sent - this.inflight);
      if (b.notSent > stats.backlog.maxNotSent) stats.backlog.maxNotSent = b.notSent;
      if (b.unanswered > stats.backlog.maxUnanswered) stats.backlog.maxUnanswered = b.unanswered;
      if (b.notSent + b.unanswered > stats.backlog.maxTotal) stats.backlog.maxTotal = b.notSent + b.unanswered;
      if (now >= nextSample) {
        stats.backlog.perSecond.push([Math.round((now - start) / 1e5) / 10, b.notSent, b.unanswered]);
        nextSample += 1e6;
      }
      if (now >= windowEnd && !stats.backlog.atEnd) stats.backlog.atEnd = b;
      if (this.stop || sent >= total) break;
      if (now > windowEnd + graceS * 1e6) {
        stats.abandoned = total - sent;
        break;
      }
      // Sleep until the next publish is due (at least 1 ms: timers are no finer), or 1 ms when
      // the in-flight bound holds back publishes already due.
      const waitMs = sent < due ? 1 : (intendedUs(start, sent, rate) - nowUs()) / 1000;
      await sleep(Math.max(1, Math.min(50, waitMs)));
    }
    // The schedule ended before its window did (the last publish is due 1/rate before the end):
    // the backlog then is what the end of the window finds.
    stats.backlog.atEnd ??= { notSent: 0, unanswered: this.inflight };
    while (this.inflight > 0) await sleep(5);
    stats.wallMs = (nowUs() - start) / 1000;
  }
  send(room, port, intended, p, stats) {
    this.inflight++;
    this.posts++;
    const sentUs = nowUs();
    record(stats.sendLagHist, sentUs - intended);
    stats.tags.add(p);
    this.post(port, adapter.publishPath(room), { name: "bench.tick", data: { t: intended, p } }, stats, 1, sentUs, (status, body, ackUs) => {
      record(stats.ackHist, ackUs - intended);
      if (status !== 201) {
        stats.errors[status] = (stats.errors[status] || 0) + 1;
        return;
      }
      this.acked(room, JSON.parse(body).seq, p, ackUs, stats);
    });
  }
  /** One POST /api/v1/events carrying several due publishes, each with its own intended time: each
   * is answered in its place and timed, counted and seq-checked as a single publish is. */
  sendBatch(batch, stats) {
    this.inflight += batch.length;
    this.posts++;
    const sentUs = nowUs();
    for (const e of batch) {
      record(stats.sendLagHist, sentUs - e.intended);
      stats.tags.add(e.p);
    }
    stats.batches.posts++;
    stats.batches.events += batch.length;
    const body = { events: batch.map((e) => ({ room: e.room, name: "bench.tick", data: { t: e.intended, p: e.p } })) };
    // A batch goes to one instance; successive batches go round-robin over them.
    const port = PORTS[stats.batches.posts % PORTS.length];
    const send = args["publish-via"] === "jms" ? this.queue.bind(this) : this.post.bind(this, port, "/api/v1/events");
    send(body, stats, batch.length, sentUs, (status, text, ackUs) => {
      for (const e of batch) record(stats.ackHist, ackUs - e.intended);
      if (status !== 200) {
        stats.errors[status] = (stats.errors[status] || 0) + batch.length;
        return;
      }
      const results = JSON.parse(text).results;
      batch.forEach((e, i) => {
        const r = results[i];
        if (r.error) stats.errors[r.error.code] = (stats.errors[r.error.code] || 0) + 1;
        else this.acked(e.room, r.seq, e.p, ackUs, stats);
      });
    });
  }
  acked(room, seq, p, ackUs, stats) {
    if (ackUs >= stats.measureFromUs && ackUs < stats.windowEndUs) stats.ackedInWindow++;
    if (!(finalSeq[room] >= seq)) finalSeq[room] = seq;
    stats.published[p] = (stats.published[p] || 0) + 1;
    stats.expected[p] = (stats.expected[p] || 0) + (subscribers[room] || 0);
  }
  /** Sends `body` as a message to the publish queue; `answered` as for a POST, an error answer's code its status. */
  queue(body, stats, events, sentUs, answered) {
    publishQueue.send(JSON.stringify(body), (text) => {
      this.inflight -= events;
      this.posts--;
      const ackUs = nowUs();
      record(stats.roundTripHist, ackUs - sentUs);
      const error = JSON.parse(text).error;
      answered(error ? error.code : 200, text, ackUs);
    });
  }
  /** POSTs `body`, which carries `events` publishes; `answered(status, text, ackUs)` on the answer. */
  post(port, urlPath, body, stats, events, sentUs, answered) {
    const text = JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: urlPath,
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...adapter.publishAuth },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          this.inflight -= events;
          this.posts--;
          const ackUs = nowUs();
          record(stats.roundTripHist, ackUs - sentUs);
          answered(res.statusCode, Buffer.concat(chunks).toString(), ackUs);
        });
      },
    );
    // Long: a publish the server accepted late still fans out, and must be counted as expected.
    req.setTimeout(300000, () => req.destroy(new Error("timeout")));
    req.on("error", (e) => {
      this.inflight -= events;
      this.posts--;
      stats.errors[e.code || e.message] = (stats.errors[e.code || e.message] || 0) + events;
    });
    req.end(text);
  }
}
/**
 * The way into the publish queue (--publish-via jms): jms/QueuePublisher.java on the server's
 * broker, started before the first phase (its JVM's start and the broker connection are no
 * publish's wait), a batch a line in and its answer a line out. If it ends while the generator runs,
 * so does the run: a publish never goes unanswered unnoticed.
 */
const publishQueue = {
  proc: null,
  nextId: 1,
  waiting: new Map(), // message id -> its answer's callback
  stopping: false, // the run is done: the sender's exit is expected
  send(text, answered) {
    const id = this.nextId++;
    this.waiting.set(id, answered);
    this.proc.stdin.write(`${id}\t${text}\n`);
  },
  /** Resolves once the sender has connected to the broker and listens for answers. */
  start() {
    const classpath = execFileSync("bash", ["-c", `source "${here}/scripts/servers.sh" && jms_classpath`], { encoding: "utf8" }).trim();
    const proc = spawn("java", ["-cp", classpath, path.join(here, "jms/QueuePublisher.java"), `tcp://127.0.0.1:${process.env.BENCH_BROKER_PORT}`], {
      env: { ...process.env, PUBLISH_AUTHORIZATION: adapter.publishAuth.authorization },
      stdio: ["pipe", "pipe", "inherit"],
    });
    proc.on("exit", (code, signal) => {
      if (this.stopping && code === 0) return;
      log(`the publish queue's sender ended (${code ?? signal}) with ${this.waiting.size} answers outstanding`);
      process.exit(1);
    });
    this.proc = proc;
    let pending = "";
    let ready;
    const connected = new Promise((resolve) => (ready = resolve));
    proc.stdout.setEncoding("utf8").on("data", (chunk) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (line === "READY") {
          ready();
          continue;
        }
        const tab = line.indexOf("\t");
        const id = Number(line.slice(0, tab));
        const answered = this.waiting.get(id);
        if (!answered) throw new Error(`an answer for no message sent: ${line.slice(0, 200)}`);
        this.waiting.delete(id);
        answered(line.slice(tab + 1));
      }
    });
    return connected;
  },
  /** Ends the sender (it closes its broker connection at the end of its input), once the run is done. */
  stop() {
    this.stopping = true;
    this.proc?.stdin.end();
  },
};
const newPubStats = () => ({
  published: {},
  expected: {},
  errors: {},
  tags: new Set(),
  ackedInWindow: 0,
  abandoned: 0,
  capBlockedTicks: 0,
  batches: { posts: 0, events: 0 }, // --batch only: POSTs to /api/v1/events and the publishes they carried
  backlog: { maxNotSent: 0, maxUnanswered: 0, maxTotal: 0, atEnd: null, perSecond: [] },
  sendLagHist: newHist(),
  ackHist: newHist(),
  roundTripHist: newHist(),
});
/** Sum of a per-tag count over the tags a predicate picks. */
const sumTags = (byTag, pick) => Object.entries(byTag).reduce((a, [k, v]) => (pick(k) ? a + v : a), 0);

// ---------------------------------------------------------------------------------------- phases
const result = {
  label: args.label,
  server: args.server,
  args,
  machine: { cpuModel: cpuModel(), nproc: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel: os.release() },
  // A round starts a fresh server process (scripts/round.sh, scripts/bench.sh); its age here and
  // at every phase shows it. Warm-up phases (result.warmups) ran on it before the measured ones.
  serverUptimeSAtStart: serverUptimeS(),
  method: "open-loop: latency from each publish's intended send time (start + i/rate)",
  // "single" (a POST per publish) or "batch:N" (POST /api/v1/events, at most N publishes each):
  // one run uses one path, and its results are reported under it, never mixed with the other's.
  publishPath: PUBLISH_PATH,
  startedAt: new Date().toISOString(),
  loadavgBeforeServerStart: process.env.BENCH_LOAD_BEFORE || null,
  // The PostgreSQL server's settings that change what its runs measure (scripts/bench.sh reads them
  // for pdprime-postgres): a machine set up for CI may run without autovacuum, unlike production.
  databaseSettings: process.env.BENCH_DB_SETTINGS || null,
  loadavgStart: fs.readFileSync("/proc/loadavg", "utf8").trim(),
  phases: [],
};
let baseUs;
let rooms;

function mergeHists(list) {
  const h = newHist();
  for (const w of list) mergeWire(h, w);
  return h;
}

async function workerStats(tags) {
  return all({ cmd: "stats", tags, reset: true });
}

/** One publishing phase: publish, wait for the deliveries, collect everything the workers saw. */
let phaseNo = 0;
let lastStep = null; // the last phase, repair or storm run, for the seq accounting's label
async function phase(name, roomList, rate, duration = args.duration, warmup = args.warmup, measured = true) {
  const tagM = `${++phaseNo}:${name}`;
  const tagW = tagM + "~warm";
  const windowS = args.window;
  const isMeasured = (tag) => tag.startsWith(tagM + "#");
  const pub = newPubStats();
  await workerStats([]); // resets loop-delay and CPU marks
  const before = await workerStats([]);
  const closes0 = before.map((s) => s.closes);
  const seq0 = seqTotals(before);
  const cpu0 = serverCpuMs();
  const threads0 = serverThreadCpuMs();
  const groups0 = await adapter.groupCommits();
  const busy0 = machineBusyMs();
  const si0 = softirqMs();
  const self0 = process.cpuUsage();
  const load = fs.readFileSync("/proc/loadavg", "utf8").trim();
  const uptime = serverUptimeS();
  log(`phase ${name}: ${rate}/s into ${roomList.length} room(s) for ${duration}s (load ${load}; server up ${uptime}s)`);
  const publisher = new Publisher();
  const t0 = nowUs();
  const measureFrom = t0 + warmup * 1e6;
  // Events intended in the first `warmup` seconds are counted and seq-checked but not timed; the
  // rest are timed per window of `--window` seconds (from the end of the warm-up).
  const tagOf = (intended) => (intended < measureFrom ? tagW : `${tagM}#${windowOf(measureFrom, intended, windowS)}`);
  await publisher.run({ rooms: roomList, rate, seconds: duration, tagOf, stats: pub, measureFromS: warmup });
  const tPubEnd = nowUs();
  const tags = [...pub.tags];
  const mTags = tags.filter(isMeasured).sort((a, b) => Number(a.split("#")[1]) - Number(b.split("#")[1]));
  const expected = sumTags(pub.expected, isMeasured);
  const expectedAll = sumTags(pub.expected, () => true);
  // Drain: wait until every expected delivery arrived, or nothing moved for 5 s.
  let got = 0;
  let lastMove = Date.now();
  const drainEnd = Date.now() + args["drain-timeout"] * 1000;
  while (Date.now() < drainEnd) {
    const r = await all({ cmd: "received", tags });
    const n = r.reduce((a, x) => a + x.received, 0);
    if (n !== got) (got = n), (lastMove = Date.now());
    if (n >= expectedAll || Date.now() - lastMove > 5000) break;
    await sleep(200);
  }
  const tEnd = nowUs();
  const cpu1 = serverCpuMs();
  const threads1 = serverThreadCpuMs();
  const groups1 = await adapter.groupCommits();
  const busy1 = machineBusyMs();
  const si1 = softirqMs();
  const self = process.cpuUsage(self0);
  const ws = await workerStats(mTags);
  const seq1 = seqTotals(ws);
  const hist = mergeHists(ws.flatMap((s) => mTags.map((t) => s.phases[t].hist)));
  const received = ws.reduce((a, s) => a + mTags.reduce((b, t) => b + s.phases[t].received, 0), 0);
  const windows = mTags.map((t) => {
    const k = Number(t.split("#")[1]);
    const s = summary(mergeHists(ws.map((x) => x.phases[t].hist)));
    return { fromS: warmup + k * windowS, toS: Math.min(duration, warmup + (k + 1) * windowS), count: s.count, p50: s.p50, p99: s.p99, max: s.max };
  });
  // Per-second deliveries (all phases) merged across workers.
  const perSec = new Map();
  for (const s of ws) for (const [sec, v] of s.perSecond) perSec.set(sec, (perSec.get(sec) || 0) + v);
  const sec = (us) => Math.floor((us - baseUs) / 1e6);
  const measuredSecs = [];
  for (let k = sec(t0) + Math.ceil(warmup) + 1; k < sec(t0 + duration * 1e6); k++) measuredSecs.push(perSec.get(k) || 0);
  let peak = 0;
  for (let k = sec(t0); k <= sec(tEnd); k++) peak = Math.max(peak, perSec.get(k) || 0);
  const closes = {};
  ws.forEach((s, k) => {
    for (const [c, v] of Object.entries(s.closes)) {
      const d = v - (closes0[k][c] || 0);
      if (d) closes[c] = (closes[c] || 0) + d;
    }
  });
  const genCpuMs = ws.reduce((a, s) => a + s.cpuMs, 0) + (self.user + self.system) / 1000;
  const wallS = (tEnd - t0) / 1e6;
  const measuredS = duration - warmup;
  const r = {
    name,
    rooms: roomList.length,
    durationS: duration,
    warmupS: warmup,
    offeredRate: rate,
    // Publishes answered 201 within the phase's window, per second of that window: what the
    // server took, whatever the generator offered.
    achievedRate: Math.round((pub.ackedInWindow / measuredS) * 10) / 10,
    scheduled: pub.scheduled,
    published: sumTags(pub.published, () => true),
    abandoned: pub.abandoned,
    publishErrors: pub.errors,
    backlog: pub.backlog,
    inflightCapBlockedTicks: pub.capBlockedTicks,
    publishPath: PUBLISH_PATH,
    // With --batch: how many publishes a POST carried on average (the due ones, at most N).
    batches: args.batch > 0 ? { lingerMs: args["batch-linger-ms"], posts: pub.batches.posts, meanEvents: pub.batches.posts ? Math.round((pub.batches.events / pub.batches.posts) * 10) / 10 : null } : undefined,
    sendLagMs: summary(pub.sendLagHist), // actual send - intended: the generator's lateness and the in-flight bound
    publishAckMs: summary(pub.ackHist), // POST answered - intended
    postRoundTripMs: summary(pub.roundTripHist), // POST answered - actually sent
    expected,
    received,
    lost: expected - received,
    latencyMs: summary(hist), // delivery - intended, every delivery of the measured publishes
    windows,
    seq: { checked: seq1.checked - seq0.checked, gaps: seq1.gaps - seq0.gaps, dups: seq1.dups - seq0.dups },
    deliveriesPerSec: measuredSecs.length ? Math.round(measuredSecs.reduce((a, b) => a + b, 0) / measuredSecs.length) : null,
    peakDeliveriesPerSec: peak,
    publishWallS: Math.round((tPubEnd - t0) / 1e5) / 10,
    drainS: Math.round((tEnd - tPubEnd) / 1e5) / 10,
    closes,
    open: ws.reduce((a, s) => a + s.open, 0),
    serverCpuCores: cpu0 != null && cpu1 != null ? Math.round(((cpu1 - cpu0) / 1000 / wallS) * 100) / 100 : null,
    // The server's CPU by thread group (HTTP workers, socket writers, the group commit, GC, JIT...).
    serverThreadCores: threadCores(threads0, threads1, wallS),
    // PD Prime's group commit over the phase (single publishes only): transactions a second and
    // events per transaction; null for the batch path's phases' absent counts or another server.
    groupCommit: groups0 && groups1 && groups1.commits > groups0.commits
      ? { commitsPerSec: round1((groups1.commits - groups0.commits) / wallS), meanEvents: round1((groups1.events - groups0.events) / (groups1.commits - groups0.commits)) }
      : null,
    generatorCpuCores: Math.round((genCpuMs / 1000 / wallS) * 100) / 100,
    // Everything else on the machine (other users' jobs): all busy CPU minus server and generator.
    softirqCores: Math.round(((si1 - si0) / 1000 / wallS) * 100) / 100,
    otherCpuCores: cpu0 != null ? Math.round(((busy1 - busy0 - (cpu1 - cpu0) - genCpuMs) / 1000 / wallS) * 100) / 100 : null,
    workerLoopDelayMs: ws.map((s) => ({ p99: Math.round(s.loopDelay.p99 * 10) / 10, max: Math.round(s.loopDelay.max * 10) / 10 })),
    memory: await memory(false),
    loadavg: load, // /proc/loadavg just before the phase started publishing
    serverUptimeS: uptime,
  };
  const v = verdict({
    offered: rate,
    achieved: r.achievedRate,
    durationS: duration,
    p99: r.latencyMs.p99,
    windowP99s: windows.map((w) => w.p99),
    lost: r.lost,
    gaps: r.seq.gaps,
    dups: r.seq.dups,
    abandoned: r.abandoned,
    sloMs: args["slo-ms"],
    minS: args["min-sustained-s"],
  });
  r.sustained = v.sustained;
  r.notSustainedBecause = v.reasons;
  log(
    `  ${name} [${PUBLISH_PATH}${r.batches ? `, ${r.batches.meanEvents} per ${args["publish-via"] === "jms" ? "message" : "POST"}` : ""}]: offered ${rate}/s achieved ${r.achievedRate}/s; from intended: p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} p99.9 ${r.latencyMs.p999} max ${r.latencyMs.max} ms ` +
      `(windows p99 ${windows.map((w) => w.p99).join(", ")}); backlog max not-sent ${r.backlog.maxNotSent} unanswered ${r.backlog.maxUnanswered}, at end ${r.backlog.atEnd.notSent}/${r.backlog.atEnd.unanswered}; ` +
      `send lag p99 ${r.sendLagMs.p99} ms; ${r.deliveriesPerSec}/s delivered (peak ${peak}); lost ${r.lost} of ${expected}; seq gaps ${r.seq.gaps} dups ${r.seq.dups} of ${r.seq.checked}; ` +
      `closes ${JSON.stringify(closes)}; cpu server ${r.serverCpuCores} gen ${r.generatorCpuCores} other ${r.otherCpuCores}; loop p99 ${r.workerLoopDelayMs.map((x) => x.p99)} ms; ` +
      `server threads ${threadText(r.serverThreadCores)}; ${r.groupCommit ? `group commit ${r.groupCommit.commitsPerSec}/s of ${r.groupCommit.meanEvents} events; ` : ""}` +
      `${measured ? (r.sustained ? "SUSTAINED" : "not sustained: " + v.reasons.join("; ")) : "warm-up, not judged"}`,
  );
  lastStep = name;
  if (measured) result.phases.push(r);
  else result.warmups = [...(result.warmups || []), r];
  return r;
}

/** Seq-check counters summed over the workers (every event of every open connection). */
function seqTotals(ws) {
  return ws.reduce((a, s) => ({ checked: a.checked + s.seq.checked, gaps: a.gaps + s.seq.gaps, dups: a.dups + s.seq.dups }), { checked: 0, gaps: 0, dups: 0 });
}

async function main() {
  log(`server ${args.server} port ${args.port} pid ${args["server-pid"]}; publishes ${PUBLISH_PATH}; ${N} connections, ${args.workers} workers, ${GROUPS} groups of ${args["group-size"]}`);
  if (result.databaseSettings) log(`database: ${result.databaseSettings}`);
  rooms = await adapter.setup();
  if (args["publish-via"] === "jms") await publishQueue.start();
  baseUs = nowUs();
  const mem0 = await memory(true);
  result.memoryBaseline = mem0;
  log(`baseline memory rss ${mb(mem0.rss)} heap ${mb(mem0.heap)}`);
  await startWorkers({ server: args.server, ports: PORTS, baseUs, layout: args.layout, allRoom: rooms.allRoom, groupRooms: rooms.groupRooms, groupSize: args["group-size"] });

  // Connect.
  const per = args["connect-rate"] / args.workers;
  const connectCpu = cpuSpan();
  const c = await all({ cmd: "connect", rate: per, inflight: Math.ceil(args["connect-inflight"] / args.workers) });
  const connectCpuUse = connectCpu();
  const connectHist = mergeHists(c.map((x) => x.connect));
  const failures = {};
  for (const x of c) for (const [k, v] of Object.entries(x.failures)) failures[k] = (failures[k] || 0) + v;
  const retried = {};
  for (const x of c) for (const [k, v] of Object.entries(x.retried)) retried[k] = (retried[k] || 0) + v;
  result.connect = {
    open: c.reduce((a, x) => a + x.open, 0),
    failed: c.reduce((a, x) => a + x.failed, 0),
    failures,
    retried,
    connectMs: summary(connectHist),
    wallS: Math.max(...c.map((x) => x.wallMs)) / 1000,
    rate: args["connect-rate"],
    ...connectCpuUse,
  };
  log(`connected ${result.connect.open}/${N} in ${result.connect.wallS}s; failed ${result.connect.failed} ${JSON.stringify(failures)}; retried after 503 ${JSON.stringify(retried)}; connect ms ${JSON.stringify(result.connect.connectMs)}; ${cpuText(connectCpuUse)}`);
  await sleep(2000);
  const mem1 = await memory(true);
  const subscribeCpu = cpuSpan();
  const s = await all({ cmd: "subscribe", rate: per, inflight: Math.ceil(args["connect-inflight"] / args.workers) });
  const subscribeCpuUse = subscribeCpu();
  subscribers = {};
  for (const x of s) for (const [room, v] of Object.entries(x.subscriptions)) subscribers[room] = (subscribers[room] || 0) + v;
  const subErrors = {};
  for (const x of s) for (const [k, v] of Object.entries(x.errors)) subErrors[k] = (subErrors[k] || 0) + v;
  const subRetries = {};
  for (const x of s) for (const [k, v] of Object.entries(x.subscribeRetries || {})) subRetries[k] = (subRetries[k] || 0) + v;
  const subHist = mergeHists(s.map((x) => x.subscribe));
  result.subscribe = { subscriptions: Object.values(subscribers).reduce((a, b) => a + b, 0), errors: subErrors, subscribeRetries: subRetries, subscribeMs: summary(subHist), wallS: Math.max(...s.map((x) => x.wallMs)) / 1000, ...subscribeCpuUse };
  log(`subscribed ${result.subscribe.subscriptions} (errors ${JSON.stringify(subErrors)}, sent again ${JSON.stringify(subRetries)}) in ${result.subscribe.wallS}s; subscribe ms ${JSON.stringify(result.subscribe.subscribeMs)}; ${cpuText(subscribeCpuUse)}`);
  // Settle: whatever the subscribes set off (PD Prime announces every join to the room as an
  // ephemeral presence.join) must be delivered before anything is measured.
  {
    const t0 = Date.now();
    let frames = -1;
    let quietSince = Date.now();
    let r;
    while (Date.now() - t0 < args["settle-max"] * 1000) {
      r = await all({ cmd: "received", tags: [] });
      const f = r.reduce((a, x) => a + x.framesIn, 0);
      if (f !== frames) (frames = f), (quietSince = Date.now());
      if (Date.now() - quietSince >= 2000) break;
      await sleep(250);
    }
    const settled = Date.now() - quietSince >= 2000;
    result.settle = { seconds: round1((quietSince - t0) / 1000), settled, ephemeralReceived: r.reduce((a, x) => a + x.ephemeral, 0), open: r.reduce((a, x) => a + x.open, 0), loadavg: fs.readFileSync("/proc/loadavg", "utf8").trim() };
    log(`settle: ${settled ? "quiet" : "NOT quiet"} after ${result.settle.seconds}s; ephemeral frames received ${result.settle.ephemeralReceived}; open ${result.settle.open}`);
  }
  const mem2 = await memory(true);
  const open = result.connect.open;
  result.idle = {
    open,
    afterConnect: mem1,
    afterSubscribe: mem2,
    rssPerConnKB: open ? round1((mem1.rss - mem0.rss) / open / 1024) : null,
    heapPerConnKB: open && mem0.heap != null ? round1((mem1.heap - mem0.heap) / open / 1024) : null,
    rssPerConnSubscribedKB: open ? round1((mem2.rss - mem0.rss) / open / 1024) : null,
    heapPerConnSubscribedKB: open && mem0.heap != null ? round1((mem2.heap - mem0.heap) / open / 1024) : null,
    generatorRss: (await workerStats([])).map((x) => x.mem),
    loadavg: fs.readFileSync("/proc/loadavg", "utf8").trim(),
  };
  log(`idle: ${open} connections; per connection rss ${result.idle.rssPerConnKB} KB heap ${result.idle.heapPerConnKB} KB; with 2 subscriptions rss ${result.idle.rssPerConnSubscribedKB} KB heap ${result.idle.heapPerConnSubscribedKB} KB`);

  // Workload phases.
  let searchFailed = false;
  const phaseList = args.phases.split(",").filter(Boolean);
  for (const p of phaseList) {
    const [spec, durText] = p.split("@"); // e.g. a:50@10 runs a at 50/s for 10 s
    const [kind, rateText] = spec.split(":");
    const dur = durText ? Number(durText) : args.duration;
    if (kind === "idle") continue;
    if (kind === "a") await phase(`a@${rateText}/s`, [rooms.allRoom], Number(rateText), dur, Math.min(args.warmup, dur / 4));
    else if (kind === "b") await phase(`b@${rateText}/s`, rooms.groupRooms, Number(rateText), dur, Math.min(args.warmup, dur / 4));
    else if (kind === "warm") {
      // JIT and pool warm-up for every server alike; not reported as a workload.
      await phase(`warm-up b@${rateText || 200}/s`, rooms.groupRooms, Number(rateText || 200), dur, 0, false);
    } else if (kind === "final") await finalCheck();
    else if (kind === "bsearch") {
      const required = new Set(args["b-required"].split(",").map(Number));
      const rates = args["b-search"].split(",").map(Number).filter(Boolean);
      const passed = [];
      for (const rate of rates) {
        if (searchFailed && !required.has(rate)) continue;
        const r = await phase(`b@${rate}/s`, rooms.groupRooms, rate);
        if (r.sustained && !searchFailed) passed.push(rate);
        else searchFailed = true;
        await sleep(1000);
      }
      if (!passed.length) {
        // Search below the lowest rate.
        for (const rate of [500, 250, 100]) {
          const r = await phase(`b@${rate}/s`, rooms.groupRooms, rate);
          if (r.sustained) {
            passed.push(rate);
            break;
          }
        }
      }
      result.bHighestSustainedRate = passed.length ? Math.max(...passed) : null;
      log(`b search: highest sustained rate (achieved >= 98 %, p99 from intended < ${args["slo-ms"]} ms in every window, no loss): ${result.bHighestSustainedRate}`);
    } else if (kind === "repair") {
      const r = await all({ cmd: "repair", rate: per, inflight: 100 });
      subscribers = {};
      for (const x of r) for (const [room, v] of Object.entries(x.subscriptions)) subscribers[room] = (subscribers[room] || 0) + v;
      result.repair = { repaired: r.reduce((a, x) => a + x.repaired, 0), of: r.reduce((a, x) => a + x.of, 0) };
      log(`repair: reopened ${result.repair.repaired} of ${result.repair.of} closed connections`);
    } else if (kind === "storm") await stormPhase();
    else throw new Error(`unknown phase ${p}`);
    await sleep(1000);
  }

  // The seq accounting closes every run, whether or not the phase list ends with it.
  if (phaseList.at(-1) !== "final") await finalCheck();
  const ws = await workerStats([]);
  result.unexpectedEvents = ws.reduce((a, s) => a + s.unexpected, 0);
  result.epochMismatch = ws.reduce((a, s) => a + s.epochMismatch, 0);
  result.ephemeralReceived = {};
  for (const s of ws) for (const [k, v] of Object.entries(s.ephemeral)) result.ephemeralReceived[k] = (result.ephemeralReceived[k] || 0) + v;
  result.memoryEnd = await memory(false);
  result.loadavgEnd = fs.readFileSync("/proc/loadavg", "utf8").trim();
  result.finishedAt = new Date().toISOString();
  if (args.out) {
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, JSON.stringify(result, null, 1));
    log(`wrote ${args.out}`);
  }
  await all({ cmd: "exit" }).catch(() => {});
  agent.destroy();
  publishQueue.stop();
}

/** Seq accounting over the whole run so far (every connection, every room). */
async function finalCheck() {
  // Events still queued for open connections are late, not lost: wait while the missing tail
  // shrinks (at most 120 s), then count.
  await sleep(2000);
  let f;
  let lastTail = -1;
  let still = Date.now();
  for (const end = Date.now() + 120000; Date.now() < end; await sleep(2000)) {
    f = await all({ cmd: "final", finalSeq });
    const tail = f.reduce((a, x) => a + x.tailOpen, 0);
    if (tail === 0) break;
    if (tail !== lastTail) (lastTail = tail), (still = Date.now());
    else if (Date.now() - still > 10000) break;
  }
  const fin = { expected: 0, received: 0, dups: 0, gapsOpen: 0, tailOpen: 0, unrecoverable: 0, notRecovered: 0, lostClosed: {}, closedConns: {} };
  for (const x of f) {
    for (const k of ["expected", "received", "dups", "gapsOpen", "tailOpen", "unrecoverable", "notRecovered"]) fin[k] += x[k];
    for (const [k, v] of Object.entries(x.lostClosed)) fin.lostClosed[k] = (fin.lostClosed[k] || 0) + v;
    for (const [k, v] of Object.entries(x.closedConns)) fin.closedConns[k] = (fin.closedConns[k] || 0) + v;
  }
  fin.lostOnOpenConnections = fin.gapsOpen + fin.tailOpen;
  result.finals = [...(result.finals || []), { afterPhase: lastStep, ...fin }];
  log(`final: expected ${fin.expected} received ${fin.received}; lost on open connections ${fin.lostOnOpenConnections} (gaps ${fin.gapsOpen}, tail ${fin.tailOpen}); lost on closed connections ${JSON.stringify(fin.lostClosed)}; closed ${JSON.stringify(fin.closedConns)}; dups ${fin.dups}`);
}

async function stormPhase() {
  // Background publishing keeps going while every socket is dropped and comes back.
  const bg = args["storm-rates"].split(",").map((x) => x.split(":")).filter(([k]) => args.layout.includes(k));
  const pub = newPubStats();
  const publishers = bg.map(() => new Publisher());
  const load = fs.readFileSync("/proc/loadavg", "utf8").trim().split(" ").slice(0, 3).join(" ");
  log(`storm: dropping every socket; background publishing ${args["storm-rates"]} (load ${load})`);
  const cpu0 = serverCpuMs();
  const threads0 = serverThreadCpuMs();
  const runs = bg.map(([kind, rate], k) =>
    publishers[k].run({ rooms: kind === "a" ? [rooms.allRoom] : rooms.groupRooms, rate: Number(rate), seconds: args["storm-timeout"] + 10, tagOf: () => "storm", stats: pub }),
  );
  await sleep(3000);
  const t0 = nowUs();
  const st = await all({ cmd: "storm", timeoutMs: args["storm-timeout"] * 1000, backoff: { backoffBaseMs: 500, backoffFactor: 2, backoffCapMs: 20000 } });
  const stormS = (nowUs() - t0) / 1e6;
  await sleep(3000); // a little traffic after everybody is back
  for (const p of publishers) p.stop = true;
  await Promise.all(runs);
  const cpu1 = serverCpuMs();
  const threads1 = serverThreadCpuMs();
  await sleep(3000);
  const failedAttempts = {};
  const closedWhileRecovering = {};
  const gaveUp = {};
  const subscribeRetries = {};
  const sum = (into, counts) => Object.entries(counts || {}).forEach(([k, v]) => (into[k] = (into[k] || 0) + v));
  for (const x of st) {
    sum(failedAttempts, x.failedAttempts);
    sum(closedWhileRecovering, x.closedWhileRecovering);
    sum(gaveUp, x.gaveUp);
    sum(subscribeRetries, x.subscribeRetries);
  }
  const reopened = mergeHists(st.map((x) => x.reopened));
  const resub = mergeHists(st.map((x) => x.resubscribed));
  const recov = mergeHists(st.map((x) => x.recovered));
  const dropped = st.reduce((a, x) => a + x.dropped, 0);
  const ms = (h) => ({ count: h.n, p50: summary(h).p50, p99: summary(h).p99, max: summary(h).max });
  const storm = {
    dropped,
    reopened: ms(reopened),
    resubscribed: ms(resub),
    recovered: ms(recov),
    allResubscribedS: resub.n === dropped ? round1(resub.max / 1e6) : null,
    allRecoveredS: recov.n === dropped ? round1(recov.max / 1e6) : null,
    attempts: st.reduce((a, x) => a + x.attempts, 0),
    failedAttempts,
    replayed: st.reduce((a, x) => a + x.replayed, 0),
    notRecovered: st.reduce((a, x) => a + x.notRecovered, 0),
    closedWhileRecovering,
    gaveUp,
    subscribeRetries,
    leftClosed: st.reduce((a, x) => a + x.leftClosed, 0),
    published: pub.published.storm || 0,
    publishErrors: pub.errors,
    publishAckMs: summary(pub.ackHist),
    postRoundTripMs: summary(pub.roundTripHist),
    stormWallS: round1(stormS),
    workerLoopDelayMs: st.map((x) => ({ p99: round1(x.loopDelay.p99), max: round1(x.loopDelay.max) })),
    serverCpuCores: cpu0 != null ? Math.round(((cpu1 - cpu0) / 1000 / (stormS + 6)) * 100) / 100 : null,
    serverThreadCores: threadCores(threads0, threads1, stormS + 6),
    loadavg: load,
    memory: await memory(false),
  };
  // A run may storm several times (e.g. to have the server serve 100,000 connections before a
  // measured phase); each storm is reported in order.
  result.storms = [...(result.storms || []), storm];
  lastStep = "storm";
  log(`storm ${result.storms.length}: ${dropped} dropped; all resubscribed after ${storm.allResubscribedS}s, all recovered after ${storm.allRecoveredS}s; attempts ${storm.attempts}, failed ${JSON.stringify(failedAttempts)}; replayed ${storm.replayed}; recovered:false ${storm.notRecovered}; closed while recovering and reopened ${JSON.stringify(closedWhileRecovering)}; given up ${JSON.stringify(gaveUp)}; subscribes sent again ${JSON.stringify(subscribeRetries)}; left closed ${storm.leftClosed}; server threads ${threadText(storm.serverThreadCores)}`);
}

const mb = (b) => (b == null ? "n/a" : (b / 2 ** 20).toFixed(1) + " MiB");
const round1 = (x) => Math.round(x * 10) / 10;

const hardStop = setTimeout(() => {
  log("hard time limit reached; exiting");
  for (const w of workers) w.proc.kill("SIGKILL");
  process.exit(3);
}, Number(process.env.BENCH_MAX_SECONDS || 3600) * 1000);
hardStop.unref();

main().catch((e) => {
  console.error(e);
  for (const w of workers) w.proc.kill("SIGKILL");
  process.exit(1);
});
