// A load-generator worker process: holds a slice of the connections, subscribes them, checks every
// event's seq per (connection, room), and records latency for every delivery from the publish's
// intended send time, which the event carries as data.t (run.mjs publishes on an open-loop schedule).
// Driven by the coordinator (run.mjs) over IPC; answers each command with {reply: id, ...}.
import WebSocket from "ws";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PROTOCOLS } from "./protocols.mjs";
import { newHist, record, recordN, toWire } from "./hist.mjs";
import { signToken } from "./jwt.mjs";

// The shipped browser client's reconnect policy: its full-jitter backoff (500 ms base, x2, 20 s cap)
// and what it does for each close code.
// and what it does for each close code; a subscribe it sends again (RATE_LIMITED, SERVER_BUSY).
const { backoffDelay, closeAction, retriesSubscribe, DEFAULTS: CLIENT_DEFAULTS } = await import(
  "../../src/main/webapp/js/pdprime-realtime.js"
);

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let cfg; // {server, ports, from, to, baseUs, allRoom, groupRooms, groupSize}
const subscribeRetries = {}; // error code -> subscribes sent again, over the whole run

/** The subscribes sent again since {@code before} (a copy of subscribeRetries), by error code. */
function retriesSince(before) {
  const since = {};
  for (const [code, n] of Object.entries(subscribeRetries)) if (n > (before[code] || 0)) since[code] = n - (before[code] || 0);
  return since;
}
let proto;
const conns = [];
const phases = new Map(); // phase tag -> {received, hist}
const perSecond = []; // deliveries by second since baseUs (all phases)
const closes = new Map(); // code -> count (unexpected closes only)
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let cpuMark = process.cpuUsage();
let unexpected = 0; // events for rooms the connection is not (yet) subscribed to
let epochMismatch = 0;
const ephemeral = new Map(); // ephemeral event name -> count received
let framesIn = 0; // every text frame received
// The per-room seq check over every event, all phases: a seq at or below the connection's last
// one for the room is a duplicate or out of order, a jump is a gap (the phases report the deltas).
const seqCheck = { checked: 0, gaps: 0, dups: 0 };
let nextId = 1;
const msgs = [];

function phase(p) {
  let s = phases.get(p);
  if (!s) phases.set(p, (s = { received: 0, hist: newHist() }));
  return s;
}

class Conn {
  constructor(index, rooms, token) {
    this.index = index;
    this.roomNames = rooms;
    this.token = token;
    this.rooms = new Map(); // room -> {epoch, base, last, recv, gaps, dups, unrecoverable}
    this.pending = new Map(); // request id -> {resolve, reject, room}
    this.ws = null;
    this.state = "new"; // new | connecting | open | closed | dropped
    this.closeCode = null;
    this.expectClose = false;
  }

  open(timeoutMs = 20000) {
    const start = nowUs();
    this.state = "connecting";
    this.closeCode = null;
    this.expectClose = false;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why, retryAfterS) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.state = "closed";
        try {
          this.ws.terminate();
        } catch {}
        reject(Object.assign(new Error(why), { retryAfterS }));
      };
      const timer = setTimeout(() => fail("timeout"), timeoutMs);
      const ws = new WebSocket(proto.url(cfg.ports[this.index % cfg.ports.length]), proto.subprotocols(this.token), {
        perMessageDeflate: false,
        skipUTF8Validation: true,
        handshakeTimeout: timeoutMs,
      });
      this.ws = ws;
      let opened = 0;
      ws.on("open", () => (opened = nowUs()));
      ws.on("unexpected-response", (req, res) => {
        const retryAfter = Number(res.headers["retry-after"]);
        fail(`http ${res.statusCode}`, res.statusCode === 503 && retryAfter > 0 ? retryAfter : undefined);
      });
      ws.on("error", (e) => fail(e.code || e.message));
      ws.on("close", (code, reason) => {
        if (this.ws !== ws) return; // a socket this connection already replaced
        if (!settled) return fail(`closed ${code}`);
        this.onClose(code, String(reason));
      });
      ws.on("message", (data) => {
        const t = nowUs();
        framesIn++;
        msgs.length = 0;
        proto.parse(data.toString(), msgs, ws);
        let events = 0;
        for (const m of msgs) {
          if (m.type === "event") {
            events++;
            this.onEvent(m, t);
          } else if (m.type === "welcome") {
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              this.state = "open";
              resolve({ connectUs: t - start, upgradeUs: (opened || t) - start });
            }
          } else if (m.type === "ok" || m.type === "error") {
            const p = this.pending.get(m.replyTo);
            if (p) {
              this.pending.delete(m.replyTo);
              m.type === "ok" ? p.resolve(m.data) : p.reject(Object.assign(new Error(m.code), { code: m.code }));
            }
          }
        }
        if (events) perSecond[Math.floor((t - cfg.baseUs) / 1e6)] = (perSecond[Math.floor((t - cfg.baseUs) / 1e6)] || 0) + events;
      });
    });
  }

  onEvent(ev, t) {
    if (ev.ephemeral) {
      // Not sequenced, never replayed (e.g. presence.join / presence.leave): counted, not checked.
      ephemeral.set(ev.name, (ephemeral.get(ev.name) || 0) + 1);
      return;
    }
    const st = this.rooms.get(ev.room);
    if (!st) return void unexpected++;
    if (ev.epoch !== st.epoch) return void epochMismatch++;
    seqCheck.checked++;
    if (ev.seq <= st.last) {
      seqCheck.dups++;
      return void st.dups++;
    }
    if (ev.seq > st.last + 1) {
      seqCheck.gaps += ev.seq - st.last - 1;
      st.gaps += ev.seq - st.last - 1;
    }
    st.last = ev.seq;
    st.recv++;
    const d = ev.data;
    const ph = phase(d.p);
    ph.received++;
    record(ph.hist, t - d.t);
  }

  onClose(code) {
    for (const p of this.pending.values()) p.reject(new Error(`closed ${code}`));
    this.pending.clear();
    if (this.expectClose) return;
    this.state = "closed";
    this.closeCode = code;
    closes.set(code, (closes.get(code) || 0) + 1);
  }

  request(room, since, timeoutMs = 30000) {
    const id = String(nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error("subscribe timeout"));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (d) => (clearTimeout(timer), resolve(d)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.ws.send(proto.subscribe(id, room, since));
    });
  }

  /** Subscribes, sending it again after 1-2 s when the server asks to, as the shipped client does. */
  async subscribe(room) {
    const old = this.rooms.get(room);
    const since = old ? { epoch: old.epoch, seq: old.last } : null;
    let data;
    for (;;) {
      try {
        data = await this.request(room, since);
        break;
      } catch (e) {
        if (!retriesSubscribe(e.code) || this.state !== "open") throw e;
        subscribeRetries[e.code] = (subscribeRetries[e.code] || 0) + 1;
        const base = CLIENT_DEFAULTS.subscribeRetryDelayMs;
        await sleep(base + Math.random() * base);
      }
    }
    if (!old) {
      this.rooms.set(room, { epoch: data.epoch, base: data.seq, last: data.seq, recv: 0, gaps: 0, dups: 0, unrecoverable: 0 });
    } else if (data.recovered === false) {
      if (data.epoch === old.epoch) old.unrecoverable += Math.max(0, data.seq - old.last);
      else old.unrecoverable += 1; // unknown how many; flagged
      old.epoch = data.epoch;
      old.last = Math.max(old.last, data.seq);
      old.notRecovered = (old.notRecovered || 0) + 1;
    }
    return data;
  }
}

/** Runs fn(conn) for every connection at `rate` starts per second, at most `inflight` at once. */
async function paced(list, rate, inflight, fn) {
  const start = Date.now();
  let active = 0;
  let wake = null;
  const all = [];
  for (let i = 0; i < list.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    while (active >= inflight) await new Promise((r) => (wake = r));
    active++;
    all.push(
      fn(list[i]).finally(() => {
        active--;
        if (wake) wake(), (wake = null);
      }),
    );
  }
  return Promise.allSettled(all);
}

/** Opens every connection; a 503 with Retry-After is retried after that delay (jittered to
 * [1x, 2x), as a client honouring it would), counted in `retried`; the connect time runs from the
 * first attempt, so the waits are in it. Any other failure is final. */
async function connectAll({ rate, inflight }) {
  const hist = newHist();
  const failures = {};
  const retried = {};
  const t0 = Date.now();
  const results = await paced(conns, rate, inflight, async (c) => {
    const first = nowUs();
    for (;;) {
      try {
        await c.open();
        record(hist, nowUs() - first);
        return;
      } catch (e) {
        if (e.retryAfterS === undefined) {
          failures[e.message] = (failures[e.message] || 0) + 1;
          return;
        }
        retried[e.message] = (retried[e.message] || 0) + 1;
        await sleep(e.retryAfterS * 1000 * (1 + Math.random()));
      }
    }
  });
  return { open: conns.filter((c) => c.state === "open").length, failed: results.length - conns.filter((c) => c.state === "open").length, failures, retried, connect: toWire(hist), wallMs: Date.now() - t0 };
}

async function subscribeAll({ rate, inflight }) {
  const retriesBefore = { ...subscribeRetries };
  const hist = newHist();
  const errors = {};
  const t0 = Date.now();
  await paced(conns.filter((c) => c.state === "open"), rate, inflight, async (c) => {
    for (const room of c.roomNames) {
      const s = nowUs();
      try {
        await c.subscribe(room);
        record(hist, nowUs() - s);
      } catch (e) {
        errors[e.message] = (errors[e.message] || 0) + 1;
      }
    }
  });
  return { subscriptions: roomCounts(), errors, subscribeRetries: retriesSince(retriesBefore), subscribe: toWire(hist), wallMs: Date.now() - t0 };
}

function roomCounts() {
  const counts = {};
  for (const c of conns) if (c.state === "open") for (const r of c.rooms.keys()) counts[r] = (counts[r] || 0) + 1;
  return counts;
}

function stats({ tags, reset }) {
  const out = { phases: {}, closes: Object.fromEntries(closes), open: conns.filter((c) => c.state === "open").length };
  for (const p of tags || [...phases.keys()]) {
    const s = phases.get(p);
    out.phases[p] = s ? { received: s.received, hist: toWire(s.hist) } : { received: 0, hist: toWire(newHist()) };
  }
  // The histogram includes the 10 ms sampling interval itself; report the lateness beyond it.
  out.loopDelay = { p99: Math.max(0, loop.percentile(99) / 1e6 - 10), max: Math.max(0, loop.max / 1e6 - 10), mean: Math.max(0, loop.mean / 1e6 - 10) };
  const cpu = process.cpuUsage(cpuMark);
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  out.perSecond = perSecond.map((v, i) => [i, v]).filter((x) => x[1]);
  out.unexpected = unexpected;
  out.epochMismatch = epochMismatch;
  out.seq = { ...seqCheck };
  out.ephemeral = Object.fromEntries(ephemeral);
  out.mem = process.memoryUsage().rss;
  if (reset) {
    loop.reset();
    cpuMark = process.cpuUsage();
  }
  return out;
}

function received(tags) {
  let n = 0;
  for (const p of tags) n += phases.get(p)?.received || 0;
  return n;
}

/** Drops every socket at once (no close frame), then reconnects each with full-jitter backoff and
 * resubscribes with `since`; reports per-connection times from the drop. */
async function storm({ timeoutMs, backoff }) {
  const retriesBefore = { ...subscribeRetries };
  loop.reset();
  const t0 = nowUs();
  const targets = conns.filter((c) => c.state === "open" || c.state === "closed");
  for (const c of targets) {
    c.expectClose = true;
    c.state = "dropped";
    try {
      c.ws.terminate();
    } catch {}
  }
  const reopened = newHist();
  const resubscribed = newHist();
  const recoveredH = newHist();
  let attemptsTotal = 0;
  let failedAttempts = {};
  let replayed = 0;
  let notRecovered = 0;
  const closedWhileRecovering = {}; // close code -> count of connections reopened after it
  const gaveUp = {}; // close code -> connections the client's policy does not reopen
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    targets.map(async (c) => {
      let attempt = 0;
      let extraDelayMs = 0;
      while (Date.now() < deadline) {
        await sleep(backoffDelay(attempt, backoff) + extraDelayMs);
        extraDelayMs = 0;
        attempt++;
        attemptsTotal++;
        try {
          await c.open(Math.max(1000, Math.min(20000, deadline - Date.now())));
        } catch (e) {
          failedAttempts[e.message] = (failedAttempts[e.message] || 0) + 1;
          continue;
        }
        // Times of the connection's last opening and resubscribe, recorded once it stays open.
        const reopenedUs = nowUs() - t0;
        try {
          const oks = await Promise.all(c.roomNames.map((room) => c.subscribe(room).then((d) => [room, d])));
          const resubscribedUs = nowUs() - t0;
          for (const [, d] of oks) {
            replayed += d.replayed || 0;
            if (d.recovered === false) notRecovered++;
          }
          // Recovered once every replayed event up to the subscribe position has arrived.
          while (oks.some(([room, d]) => c.rooms.get(room).last < d.seq) && Date.now() < deadline && c.state === "open") await sleep(20);
          if (c.state === "open") {
            record(reopened, reopenedUs);
            record(resubscribed, resubscribedUs);
            if (oks.every(([room, d]) => c.rooms.get(room).last >= d.seq)) record(recoveredH, nowUs() - t0);
            return;
          }
          // The server closed it before it recovered: reopen it as the shipped client would.
          const code = String(c.closeCode);
          const action = closeAction(c.closeCode);
          if (action === "stop" || action === "refresh-token") {
            gaveUp[code] = (gaveUp[code] || 0) + 1;
            return;
          }
          closedWhileRecovering[code] = (closedWhileRecovering[code] || 0) + 1;
          if (action === "rate-limited") extraDelayMs = CLIENT_DEFAULTS.rateLimitedDelayMs;
        } catch (e) {
          failedAttempts["subscribe " + e.message] = (failedAttempts["subscribe " + e.message] || 0) + 1;
          c.expectClose = true;
          try {
            c.ws.terminate();
          } catch {}
        }
      }
    }),
  );
  return {
    dropped: targets.length,
    reopened: toWire(reopened),
    resubscribed: toWire(resubscribed),
    recovered: toWire(recoveredH),
    attempts: attemptsTotal,
    failedAttempts,
    replayed,
    notRecovered,
    closedWhileRecovering,
    gaveUp,
    subscribeRetries: retriesSince(retriesBefore),
    leftClosed: targets.filter((c) => c.state !== "open").length,
    loopDelay: { p99: Math.max(0, loop.percentile(99) / 1e6 - 10), max: Math.max(0, loop.max / 1e6 - 10) },
  };
}

/** Final seq accounting: for every (connection, room), expected = finalSeq - base; lost = expected -
 * received, split by whether the connection is still open or was closed by the server (and how). */
function finalCheck({ finalSeq }) {
  const out = { expected: 0, received: 0, dups: 0, gapsOpen: 0, tailOpen: 0, unrecoverable: 0, notRecovered: 0, lostClosed: {}, closedConns: {} };
  for (const c of conns) {
    for (const [room, st] of c.rooms) {
      const fin = finalSeq[room] ?? st.last;
      const expected = fin - st.base;
      out.expected += expected;
      out.received += st.recv;
      out.dups += st.dups;
      out.unrecoverable += st.unrecoverable;
      out.notRecovered += st.notRecovered || 0;
      const missing = expected - st.recv;
      if (c.state === "open") {
        out.gapsOpen += st.gaps;
        out.tailOpen += Math.max(0, fin - st.last);
      } else {
        const k = String(c.closeCode ?? c.state);
        out.lostClosed[k] = (out.lostClosed[k] || 0) + missing;
      }
    }
    if (c.state !== "open") {
      const k = String(c.closeCode ?? c.state);
      out.closedConns[k] = (out.closedConns[k] || 0) + 1;
    }
  }
  return out;
}

/** Re-opens connections the server closed, with fresh subscriptions (their history starts anew). */
async function repair({ rate, inflight }) {
  const closed = conns.filter((c) => c.state !== "open");
  let ok = 0;
  await paced(closed, rate, inflight, async (c) => {
    try {
      c.rooms.clear();
      await c.open();
      for (const room of c.roomNames) await c.subscribe(room);
      ok++;
    } catch {}
  });
  return { repaired: ok, of: closed.length, subscriptions: roomCounts() };
}

process.on("message", async (msg) => {
  let result;
  try {
    switch (msg.cmd) {
      case "init": {
        cfg = msg.cfg;
        proto = PROTOCOLS[cfg.server];
        for (let i = cfg.from; i < cfg.to; i++) {
          const token = cfg.server === "pdprime" ? signToken({ subject: `bench-agent-${i}`, name: `Agent ${i}`, groups: ["quote:read", "analytics:read"] }) : null;
          const group = cfg.groupRooms[Math.floor(i / cfg.groupSize) % cfg.groupRooms.length];
          const rooms = cfg.layout === "a" ? [cfg.allRoom] : cfg.layout === "b" ? [group] : [cfg.allRoom, group];
          conns.push(new Conn(i, rooms, token));
        }
        result = { ready: conns.length };
        break;
      }
      case "connect":
        result = await connectAll(msg);
        break;
      case "subscribe":
        result = await subscribeAll(msg);
        break;
      case "received":
        result = { received: received(msg.tags), open: conns.filter((c) => c.state === "open").length, framesIn, ephemeral: [...ephemeral.values()].reduce((a, b) => a + b, 0) };
        break;
      case "stats":
        result = stats(msg);
        break;
      case "storm":
        result = await storm(msg);
        break;
      case "repair":
        result = await repair(msg);
        break;
      case "final":
        result = finalCheck(msg);
        break;
      case "exit":
        for (const c of conns) {
          c.expectClose = true;
          try {
            c.ws?.terminate();
          } catch {}
        }
        process.send({ reply: msg.id, ok: true }, () => process.exit(0));
        return;
    }
    process.send({ reply: msg.id, ...result });
  } catch (e) {
    process.send({ reply: msg.id, error: String(e.stack || e) });
  }
});
