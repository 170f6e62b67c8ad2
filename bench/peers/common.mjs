// What both peer servers share: the rooms (per-room seq and a bounded history for `since`), the
// HTTP publish endpoint and the stats endpoint. Bench-only; never part of the WAR.
export const HISTORY = 1000; // like realtime.recovery.max-events
export const EPOCH = "peer-" + Date.now().toString(36);

export class Room {
  constructor(name) {
    this.name = name;
    this.seq = 0;
    this.history = []; // ring of {seq, text}
  }
  append(text, seq) {
    this.history.push({ seq, text });
    if (this.history.length > HISTORY) this.history.shift();
  }
  /** Events after `since` or null when they are not all in history (like recovered:false). */
  replaySince(since) {
    if (!since || since.epoch !== EPOCH || since.seq > this.seq) return null;
    if (since.seq === this.seq) return [];
    const first = this.history.length ? this.history[0].seq : this.seq + 1;
    if (since.seq + 1 < first) return null;
    return this.history.slice(since.seq + 1 - first).map((e) => e.text);
  }
}

export function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"));
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

export function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** /stats: memory and counts; ?gc=1 runs a full GC first (node --expose-gc). */
export function stats(url, extra) {
  if (url.includes("gc=1") && global.gc) {
    global.gc();
    global.gc();
  }
  const m = process.memoryUsage();
  return { pid: process.pid, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, ...extra() };
}

export function eventText(room, name, seq, data) {
  return JSON.stringify({ type: "event", room, name, epoch: EPOCH, seq, ts: Date.now(), data });
}

export function portArg(defaultPort) {
  const i = process.argv.indexOf("--port");
  return i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT || defaultPort);
}
