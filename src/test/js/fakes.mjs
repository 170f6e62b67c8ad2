// Test doubles for the client tests: a fake clock, a fake WebSocket, a fake window, a seeded PRNG.
import { RealtimeClient } from "../../main/webapp/js/pdprime-realtime.js";

/** Let pending promise callbacks (token provider, awaits) run. */
export async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A manual clock: timers fire only inside advance(), in time order. */
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.t = start;
    this.timers = new Map();
    this.nextId = 0;
    this.now = () => this.t;
    this.setTimeout = (fn, ms) => {
      const id = ++this.nextId;
      this.timers.set(id, { id, at: this.t + Math.max(0, Number(ms) || 0), fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
  }

  /** Move time forward by ms, firing due timers in order and letting promises settle between. */
  async advance(ms) {
    const end = this.t + ms;
    for (;;) {
      await settle();
      let next = null;
      for (const timer of this.timers.values()) {
        if (timer.at <= end && (next === null || timer.at < next.at || (timer.at === next.at && timer.id < next.id))) {
          next = timer;
        }
      }
      if (next === null) break;
      this.timers.delete(next.id);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await settle();
  }

  /** Delay until the earliest timer, or null. */
  nextDelay() {
    let at = null;
    for (const timer of this.timers.values()) if (at === null || timer.at < at) at = timer.at;
    return at === null ? null : at - this.t;
  }
}

/** A class with the browser WebSocket's shape; the test plays the server. */
export function fakeWebSocketClass() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.protocol = "";
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      this.index = sockets.length;
      sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error(`InvalidStateError: send in readyState ${this.readyState}`);
      this.sent.push(data);
    }
    close(code, reason) {
      this.closedWith = { code, reason };
      this.readyState = 2;
    }
    // ---- server side
    open() {
      this.readyState = 1;
      this.protocol = this.protocols[0];
      this.onopen?.({});
    }
    welcome(extra = {}) {
      this.receive({ type: "welcome", connectionId: `conn-${this.index}`, subject: "alice", heartbeatMs: 25000, ...extra });
    }
    /** One text frame holding the given objects (or raw strings) joined by "\n". */
    receive(...frames) {
      const data = frames.map((f) => (typeof f === "string" ? f : JSON.stringify(f))).join("\n");
      this.onmessage?.({ data });
    }
    serverClose(code, reason = "") {
      this.readyState = 3;
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }
    fail() {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: "", wasClean: false });
    }
    frames() {
      return this.sent.map((s) => JSON.parse(s));
    }
    lastFrame() {
      return JSON.parse(this.sent[this.sent.length - 1]);
    }
    framesOfType(type) {
      return this.frames().filter((f) => f.type === type);
    }
    /** Answer the last sent command of `type` with ok(data) / pong. */
    ok(command, data) {
      this.receive({ type: "ok", replyTo: command.id, data });
    }
  }
  FakeWebSocket.sockets = sockets;
  return FakeWebSocket;
}

/** An object with addEventListener, like window, to send online/offline. */
export class FakeWindow {
  constructor(onLine = true) {
    this.navigator = { onLine };
    this.listeners = new Map();
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
  }
  removeEventListener(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }
  dispatch(type) {
    this.navigator.onLine = type === "online";
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn({ type });
  }
  count(type) {
    return this.listeners.get(type)?.size ?? 0;
  }
}

/** mulberry32: a small seeded PRNG so that distribution tests are reproducible. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A client wired to fakes. Records states, errors and token requests.
 * Returns {client, clock, WS, states, errors, tokenCalls, socket(), connectOpen()}.
 */
export function harness(options = {}) {
  const clock = options.clock ?? new FakeClock();
  const WS = fakeWebSocketClass();
  const tokenCalls = [];
  let tokenCounter = 0;
  const tokenProvider =
    options.tokenProvider ??
    (async (ctx) => {
      tokenCalls.push(ctx);
      tokenCounter++;
      return `header.payload${tokenCounter}.sig`;
    });
  const rest = { ...options };
  delete rest.clock;
  delete rest.tokenProvider;
  const client = new RealtimeClient({
    url: "ws://localhost:8080/ws",
    tokenProvider,
    WebSocketImpl: WS,
    clock,
    random: () => 0.5,
    window: null,
    logger: { error() {} },
    ...rest,
  });
  const states = [];
  const errors = [];
  client.on("state", (ev) => states.push(ev));
  client.on("error", (err) => errors.push(err));
  const socket = () => WS.sockets[WS.sockets.length - 1];
  /** Let the token resolve, then open the newest socket and send welcome. */
  const connectOpen = async (welcome = {}) => {
    await settle();
    const ws = socket();
    ws.open();
    ws.welcome(welcome);
    await settle();
    return ws;
  };
  return { client, clock, WS, states, errors, tokenCalls, socket, connectOpen };
}
