// PD Prime Realtime — browser client for the `pdprime.realtime.v1` WebSocket protocol.
//
// An ES module with no runtime dependencies. Usage guide: docs/client.md. Wire protocol:
// docs/protocol.md. Every default below has its reason written next to it.

/** The subprotocol the server requires (docs/protocol.md §1). */
export const SUBPROTOCOL = "pdprime.realtime.v1";

/** Default options. Each value is chosen on purpose; the reason is beside it. */
export const DEFAULTS = Object.freeze({
  // Reconnect backoff: delay = random() * min(cap, base * factor^attempt) ("full jitter").
  // 500 ms / x2 / 20 s are the reference values of Centrifugo's client and docs/protocol.md §8.
  // Full jitter spreads a herd of clients dropped at the same moment (server restart, 1001)
  // evenly over [0, window) instead of bunching them at the same instant.
  backoffBaseMs: 500,
  backoffFactor: 2,
  backoffCapMs: 20000,
  // Reconnect attempts after a loss before the terminal state 'gave-up'. Infinity: a tab left
  // open over a maintenance window must come back by itself; at the 20 s cap an endless retry
  // costs one handshake per client every 10 s on average. Set a number to get 'gave-up'.
  maxAttempts: Infinity,
  // The attempt counter resets once a connection has stayed open (welcome received) this long.
  // A server that accepts and then drops at once (4008, 4029, crash loop) therefore still backs off.
  stableAfterMs: 10000,
  // Extra wait before reconnecting after 4029 RATE_LIMITED (added to the jittered backoff):
  // the server refills its refusal allowance at 1/s and the client is sending too much.
  rateLimitedDelayMs: 20000,
  // Time limit of request(): covers queueing and the server's reply. Every command gets exactly
  // one reply (protocol §2.1), so silence for 10 s means the connection is in trouble.
  requestTimeoutMs: 10000,
  // Commands not yet sent (issued while not open, or held by the send pacer). Beyond this,
  // request() is rejected with QUEUE_FULL instead of growing memory without bound.
  maxQueue: 100,
  // From creating the socket to the server's `welcome`. A black-holed TCP connect can otherwise
  // hang for minutes before the browser reports 1006.
  connectTimeoutMs: 10000,
  // Application ping interval. null = the `heartbeatMs` of the server's welcome (25 s by default).
  pingIntervalMs: null,
  // After a ping is sent, if no frame at all arrives within this time the connection is dead:
  // the client closes it and reconnects. 10 s is the rule of docs/protocol.md §7.
  pongTimeoutMs: 10000,
  // Heartbeat assumed until the welcome frame says otherwise (the server's default).
  heartbeatMs: 25000,
  // Largest command the client will send, in UTF-8 bytes (the server's
  // realtime.inbound.max-frame-bytes). A larger one would make the server close with 1009.
  maxFrameBytes: 65536,
  // Client-side send pacing, below the server's token bucket (20/s, burst 40, protocol §6) so
  // that resubscribing to up to 100 rooms after a reconnect never draws RATE_LIMITED or 4029.
  sendRatePerSecond: 15,
  sendBurst: 30,
  // Wait before re-sending a subscribe or a token refresh the server refused with RATE_LIMITED
  // ("wait at least one second", protocol §10) or SERVER_BUSY (its database is not answering in
  // time); jittered to [1x, 2x).
  subscribeRetryDelayMs: 1000,
  // The token is replaced over the open socket (the `refresh` command) this long before its `exp`,
  // or at half its remaining life for a token that lives less than twice this: the server closes
  // with 4001 at `exp`, and a refresh is cheaper than the reconnect and resume that would follow.
  refreshBeforeExpiryMs: 60000,
});

/** Actions of the error codes the client itself produces (docs/client.md "Error codes"). */
export const CLIENT_ERROR_ACTIONS = Object.freeze({
  TIMEOUT: "Check the connection state; send the command again only if it is safe to repeat.",
  QUEUE_FULL: "Wait for the state 'open' before sending more commands, or raise maxQueue.",
  CONNECTION_LOST:
    "The connection dropped after the command was sent; it may or may not have been carried out. Check, then send it again only if it is safe to repeat.",
  CLOSED: "The client is closed; call connect() to start a new connection.",
  GAVE_UP: "The client stopped reconnecting; call connect() to try again (e.g. from a Retry button).",
  FRAME_TOO_LARGE: "Send less data in one command (limit: maxFrameBytes).",
  INVALID_ARGUMENT: "Fix the call; see docs/client.md.",
  ALREADY_SUBSCRIBED: "Nothing to do; keep using the existing subscription, or unsubscribe first.",
  NOT_SUBSCRIBED: "Subscribe to the room before unsubscribing from it.",
  UNSUBSCRIBED: "unsubscribe() was called before the subscription was confirmed; nothing to do.",
  TOKEN_PROVIDER_FAILED: "Check the identity provider; the client retries with backoff.",
  TOKEN_INVALID: "tokenProvider must resolve to a non-empty JWT string.",
  WEBSOCKET_FAILED: "Check the url option and the WebSocket implementation.",
  SUBPROTOCOL_MISMATCH: "The server at this url does not speak pdprime.realtime.v1; check the url.",
  SERVER_FRAME_INVALID: "Report the connectionId and the time to the server team.",
  GAP_DETECTED: "Nothing to do; the client resubscribes from its last seq to fill the gap. Report it to the server team.",
  LISTENER_FAILED: "Fix the application callback that threw; the client kept running.",
  SERVER_CLOSED: "See the close code in docs/client.md; the client does not retry this code.",
  HTTP_FAILED: "Check the network and the apiUrl option, then try again.",
  HTTP_RESPONSE_INVALID: "The server at apiUrl did not answer as docs/protocol.md §11 describes; check apiUrl, else report it to the server team.",
});

/**
 * Whether a subscribe (or a token refresh) the server refused with this error code is sent again
 * after `subscribeRetryDelayMs` (jittered to [1x, 2x)) instead of being given up: both say the
 * command was not carried out and may be sent again later (protocol §10).
 * @param {string} code
 * @returns {boolean}
 */
export function retriesSubscribe(code) {
  return code === "RATE_LIMITED" || code === "SERVER_BUSY";
}

/**
 * What the client does for a close code (docs/client.md "Close codes").
 * @param {number|null|undefined} code
 * @returns {"stop"|"refresh-token"|"rate-limited"|"retry"}
 */
export function closeAction(code) {
  switch (code) {
    case 4003: // FORBIDDEN: retrying cannot help
    case 4010: // DISCONNECTED by an operator: reconnecting on our own would undo their decision
    case 1008: // POLICY_VIOLATION: never sent by the server today; retrying unchanged cannot help
    case 1009: // TOO_BIG: our frame was too big, a client bug; resending would repeat it
      return "stop";
    case 4001: // TOKEN_EXPIRED
      return "refresh-token";
    case 4029: // RATE_LIMITED
      return "rate-limited";
    default: // 1000, 1001, 1006, 1011, 4002, 4008, network loss, unknown codes
      return "retry";
  }
}

/**
 * Full-jitter exponential backoff: random() * min(capMs, baseMs * factor^attempt).
 * attempt 0 is the first retry after a loss.
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const base = options.backoffBaseMs ?? options.baseMs ?? DEFAULTS.backoffBaseMs;
  const factor = options.backoffFactor ?? options.factor ?? DEFAULTS.backoffFactor;
  const cap = options.backoffCapMs ?? options.capMs ?? DEFAULTS.backoffCapMs;
  const window = Math.min(cap, base * Math.pow(factor, Math.max(0, attempt)));
  return random() * window;
}

/**
 * The server's two socket paths (docs/protocol.md §1), relative to its context root: `/ws` for
 * everyone, `/ws/admin` for operators (tokens holding `admin:access`; the only way into `admin:`
 * rooms). The same client speaks to both.
 */
export const ENDPOINTS = Object.freeze({ users: "/ws", operators: "/ws/admin" });

/** ws:// or wss:// URL of the socket at `path` (e.g. ENDPOINTS.operators), on the page's own host. */
export function realtimeUrl(path = ENDPOINTS.users, location = globalThis.location) {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new TypeError(`realtimeUrl needs an absolute path such as "${ENDPOINTS.operators}", got ${JSON.stringify(path)}`);
  }
  if (!location || typeof location.host !== "string") {
    throw new TypeError("realtimeUrl needs a location (pass one outside a browser)");
  }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/** An error with the server's (or the client's) stable code and the action to take. */
export class RealtimeError extends Error {
  constructor(code, message, action, extra = {}) {
    super(message, extra.cause !== undefined ? { cause: extra.cause } : undefined);
    this.name = "RealtimeError";
    this.code = code;
    this.action = action ?? CLIENT_ERROR_ACTIONS[code] ?? "";
    for (const [k, v] of Object.entries(extra)) {
      if (k !== "cause") this[k] = v;
    }
  }
}

function clientError(code, message, extra) {
  return new RealtimeError(code, message, CLIENT_ERROR_ACTIONS[code], extra);
}

const realClock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id),
});

// RFC 7230 token characters: what a Sec-WebSocket-Protocol entry may hold. A JWT fits.
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ACTIVE = new Set(["connecting", "open", "reconnecting", "offline"]);
const LIFECYCLE_CODES = new Set(["CONNECTION_LOST", "CLOSED", "GAVE_UP"]);
const encoder = typeof TextEncoder === "function" ? new TextEncoder() : null;

function utf8Length(s) {
  if (encoder) return encoder.encode(s).length;
  return unescape(encodeURIComponent(s)).length;
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isSeq(v) {
  return Number.isInteger(v) && v >= 0;
}

/** Outbound token bucket, mirroring the server's inbound one with lower numbers. */
class SendBucket {
  constructor(ratePerSecond, burst, now) {
    this.rate = ratePerSecond;
    this.capacity = burst;
    this.tokens = burst;
    this.at = now;
  }
  refill(now) {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.rate) / 1000);
    this.at = now;
  }
  /** 0 if a frame may go now (and takes its token), else the ms to wait. */
  take(now) {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
  }
}

/** The `exp` of a JWT in milliseconds, or null if the token's payload cannot be read. */
export function jwtExpiryMs(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "="))).exp;
    return typeof exp === "number" ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Client of one `/ws` connection: states, reconnection, resume, request/reply, heartbeat.
 * See docs/client.md.
 */
export class RealtimeClient {
  constructor(options) {
    if (!isPlainObject(options)) throw new TypeError("RealtimeClient needs an options object");
    const { url, tokenProvider } = options;
    if (typeof url !== "string" || !/^wss?:\/\//i.test(url)) {
      throw new TypeError("options.url must be a ws:// or wss:// URL (see realtimeUrl())");
    }
    if (typeof tokenProvider !== "function") {
      throw new TypeError("options.tokenProvider must be a function returning Promise<string>");
    }
    const opt = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS)) {
      if (options[key] !== undefined) opt[key] = options[key];
    }
    for (const key of Object.keys(DEFAULTS)) {
      const v = opt[key];
      if (key === "pingIntervalMs" && v === null) continue;
      const infiniteOk = key === "maxAttempts";
      if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (!infiniteOk && !Number.isFinite(v))) {
        throw new TypeError(`options.${key} must be a non-negative number, got ${String(v)}`);
      }
    }
    for (const key of ["backoffFactor", "sendRatePerSecond", "sendBurst", "heartbeatMs", "maxFrameBytes"]) {
      if (opt[key] <= 0) throw new TypeError(`options.${key} must be greater than 0`);
    }
    if (opt.pingIntervalMs !== null && opt.pingIntervalMs <= 0) {
      throw new TypeError("options.pingIntervalMs must be null or greater than 0");
    }
    this._opt = opt;
    this._url = url;
    this._tokenProvider = tokenProvider;
    this._WS = options.WebSocketImpl ?? globalThis.WebSocket;
    if (typeof this._WS !== "function") {
      throw new TypeError("No WebSocket implementation: pass options.WebSocketImpl");
    }
    this._clock = options.clock ?? realClock;
    this._random = options.random ?? Math.random;
    this._logger = options.logger ?? globalThis.console;
    if ("window" in options) {
      this._window = options.window ?? null;
    } else {
      this._window = typeof globalThis.addEventListener === "function" ? globalThis : null;
    }

    this._listeners = new Map();
    this._state = "idle";
    this._ws = null;
    this._gen = 0; // bumped whenever the current connection attempt is abandoned
    this._retries = 0; // reconnect attempts since the last stable connection
    this._forceRefresh = false;
    this._welcomed = false;
    this._connectionId = null;
    this._subject = null;
    this._heartbeatMs = opt.heartbeatMs;
    this._lastClose = null;
    this._lastFrameAt = 0;
    this._nextId = 0;
    this._pending = new Map(); // id -> entry, every command not yet answered
    this._outbox = []; // entries not yet sent, in send order
    this._userQueued = 0; // request() entries in _outbox (bounded by maxQueue)
    this._timedOut = new Set(); // ids of sent requests that timed out (late replies are expected)
    this._rooms = new Map(); // room -> tracking record
    this._timers = new Map();
    this._bucket = null;
    this._windowAttached = false;
    this._browserOffline = false;
    this._closedByApp = false;
    this._stats = { duplicatesDropped: 0, eventsDelivered: 0, reconnects: 0 };
    this._onBrowserOffline = () => this._browserWentOffline();
    this._onBrowserOnline = () => this._browserCameOnline();
  }

  // ---------------------------------------------------------------- public API

  /** Current state: idle, connecting, open, reconnecting, offline, closed or gave-up. */
  get state() {
    return this._state;
  }
  /** `connectionId` of the welcome frame of the current connection (quote it in bug reports). */
  get connectionId() {
    return this._connectionId;
  }
  get subject() {
    return this._subject;
  }
  /** heartbeatMs announced by the server (or the default before the first welcome). */
  get heartbeatMs() {
    return this._heartbeatMs;
  }
  /** The last connection loss: {code, reason, at}, or null. */
  get lastClose() {
    return this._lastClose;
  }
  /** Reconnect attempts since the last stable connection. */
  get attempt() {
    return this._retries;
  }
  get stats() {
    return { ...this._stats };
  }

  /** Start (or restart, after closed / gave-up) connecting. Does nothing while already active. */
  connect() {
    if (ACTIVE.has(this._state)) return;
    this._retries = 0;
    this._attachWindow();
    this._browserOffline = this._window?.navigator?.onLine === false;
    if (this._browserOffline) {
      this._setState("offline", { code: null, reason: "browser reports offline" });
      return;
    }
    this._openSocket();
  }

  /** Close for good: rejects every pending command and forgets every room. */
  close(reason = "client closed") {
    if (this._state === "closed" && this._closedByApp) return;
    this._gen++;
    this._clearAllTimers();
    const ws = this._ws;
    this._ws = null;
    if (ws) this._detach(ws, 1000, String(reason).slice(0, 100));
    this._welcomed = false;
    const err = clientError("CLOSED", `the client was closed: ${reason}`);
    this._failAll(err, { dropRooms: true });
    this._detachWindow();
    this._closedByApp = true;
    this._setState("closed", { code: 1000, reason: String(reason), byClient: true });
  }

  /**
   * Send a command and wait for its reply. Resolves with the `ok` frame's `data`, or `{ts}` for
   * a `pong`. Rejects with a RealtimeError (server `error` frame, or a client code).
   */
  request(type, fields = {}, options = {}) {
    if (typeof type !== "string" || type === "") {
      return Promise.reject(clientError("INVALID_ARGUMENT", "type must be a non-empty string"));
    }
    if (type === "subscribe" || type === "unsubscribe") {
      return Promise.reject(
        clientError("INVALID_ARGUMENT", `use client.${type}(room, …) instead of request('${type}')`),
      );
    }
    if (!isPlainObject(fields) || "id" in fields || "type" in fields) {
      return Promise.reject(
        clientError("INVALID_ARGUMENT", "fields must be a plain object without 'id' or 'type'"),
      );
    }
    const refusal = this._refusalForNewCommand();
    if (refusal) return Promise.reject(refusal);
    if (this._userQueued >= this._opt.maxQueue) {
      return Promise.reject(
        clientError(
          "QUEUE_FULL",
          `${this._userQueued} commands are already waiting to be sent (maxQueue ${this._opt.maxQueue}, state ${this._state})`,
          { queued: this._userQueued },
        ),
      );
    }
    const timeoutMs = options.timeoutMs ?? this._opt.requestTimeoutMs;
    if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) {
      return Promise.reject(clientError("INVALID_ARGUMENT", "timeoutMs must be a number > 0"));
    }
    return new Promise((resolve, reject) => {
      const entry = this._makeEntry(type, fields, false, (err, frame) => {
        if (err) reject(err);
        else resolve(frame.type === "pong" ? { ts: frame.ts } : frame.data);
      });
      if (entry.error) {
        reject(entry.error);
        return;
      }
      if (Number.isFinite(timeoutMs)) {
        entry.timer = this._clock.setTimeout(() => this._requestTimedOut(entry, timeoutMs), timeoutMs);
      }
      this._push(entry);
    });
  }

  /** Application ping; resolves with `{ts}` (server time). */
  ping(options) {
    return this.request("ping", {}, options);
  }

  /**
   * Subscribe to a room and keep the subscription across reconnects (resumed with `since`).
   * `onEvent(event)` gets each event once, in seq order. Resolves with the first `ok` data.
   * options.onReset(data) is called when the server answers `recovered: false` or the epoch
   * changed: the app must reload the room's state. options.onError(err) is called when a later
   * resubscribe is refused (the room is then dropped). options.since resumes from a stored place.
   * options.onSubscribed(data) gets the data of every accepted subscribe reply, the first one and
   * each one after a reconnect or resync, before the events that follow that reply.
   */
  subscribe(room, onEvent, options = {}) {
    if (typeof room !== "string" || room === "") {
      return Promise.reject(clientError("INVALID_ARGUMENT", "room must be a non-empty string"));
    }
    if (typeof onEvent !== "function") {
      return Promise.reject(clientError("INVALID_ARGUMENT", "onEvent must be a function"));
    }
    const { onReset, onError, onSubscribed, since } = options ?? {};
    for (const [name, fn] of [["onReset", onReset], ["onError", onError], ["onSubscribed", onSubscribed]]) {
      if (fn !== undefined && typeof fn !== "function") {
        return Promise.reject(clientError("INVALID_ARGUMENT", `${name} must be a function`));
      }
    }
    if (since !== undefined && (!isPlainObject(since) || typeof since.epoch !== "string" || !isSeq(since.seq))) {
      return Promise.reject(
        clientError("INVALID_ARGUMENT", "since must be {epoch: string, seq: integer >= 0}"),
      );
    }
    const refusal = this._refusalForNewCommand();
    if (refusal) return Promise.reject(refusal);
    if (this._rooms.has(room)) {
      return Promise.reject(clientError("ALREADY_SUBSCRIBED", `this client already tracks ${room}`));
    }
    return new Promise((resolve, reject) => {
      const r = {
        room,
        onEvent,
        onReset,
        onError,
        onSubscribed,
        epoch: since ? since.epoch : null,
        seq: since ? since.seq : null,
        status: "pending", // pending | subscribing | live
        confirmed: false,
        inflightId: null,
        sentSince: null,
        resetReason: null,
        retryTimer: null,
        waiter: { resolve, reject },
      };
      this._rooms.set(room, r);
      if (this._welcomed) this._sendSubscribe(r);
    });
  }

  /** Stop a subscription. Events for the room stop at once. */
  unsubscribe(room) {
    const r = this._rooms.get(room);
    if (!r) {
      return Promise.reject(clientError("NOT_SUBSCRIBED", `this client does not track ${room}`));
    }
    this._forgetRoom(r);
    if (!r.confirmed && r.waiter) {
      r.waiter.reject(clientError("UNSUBSCRIBED", `unsubscribe(${room}) before the subscription was confirmed`));
      r.waiter = null;
    }
    if (!this._welcomed || r.status === "pending") return Promise.resolve({ room });
    return new Promise((resolve, reject) => {
      this._internal("unsubscribe", { room }, (err, frame) => {
        if (!err) resolve(frame.data);
        // The connection went away: the server-side subscription went with it.
        else if (err.code === "CONNECTION_LOST" || err.code === "CLOSED" || err.code === "GAVE_UP") resolve({ room });
        else reject(err);
      });
    });
  }

  /** Last position processed for a room: {epoch, seq}, or null (unknown room / not yet confirmed). */
  position(room) {
    const r = this._rooms.get(room);
    if (!r || r.epoch === null || r.seq === null) return null;
    return { epoch: r.epoch, seq: r.seq };
  }

  /** Rooms this client tracks. */
  rooms() {
    return [...this._rooms.keys()];
  }

  /**
   * Follow a live dashboard (protocol: dashboards). Builds the room from `filters`
   * ({hours, state?, agent?}; see dashboardRoom()), subscribes through subscribe(), and keeps the
   * dashboard's state: the snapshot of every subscribe reply, then `dashboard.snapshot` and
   * `dashboard.delta` events in version order; on a gap it asks the server for a snapshot.
   * onChange(state, info) is called for every new state, the first one before the promise
   * resolves; info = {version, kind, computedAt, starting}. While the server's stream is starting
   * (state null) it is called with state null and starting: true.
   * options.onError(err) gets a resubscribe refused after a reconnect, or the room revoked at a
   * token refresh (the dashboard then stops).
   * Resolves with {room, state(), version(), close()}; rejects like subscribe() (e.g.
   * FORBIDDEN_ROOM, INVALID_FILTER), or with INVALID_ARGUMENT for a bad name or filter.
   */
  dashboard(name, filters, onChange, options = {}) {
    let room;
    try {
      room = dashboardRoom(name, filters);
    } catch (e) {
      return Promise.reject(e);
    }
    if (typeof onChange !== "function") {
      return Promise.reject(clientError("INVALID_ARGUMENT", "onChange must be a function"));
    }
    const { onError } = options ?? {};
    if (onError !== undefined && typeof onError !== "function") {
      return Promise.reject(clientError("INVALID_ARGUMENT", "onError must be a function"));
    }
    const view = new DashboardView(this, room, onChange);
    const ended = (err) => {
      if (view.closed) return;
      view.stop();
      if (onError) onError(err);
    };
    return this._follow(view, ended, "The server ended this dashboard; follow it again once your token grants it.", {
      onSubscribed: (data) => view.onSubscribed(data),
    });
  }

  /**
   * Subscribes a helper's view (a dashboard, an inbox) to view.room; resolves with view.handle().
   * A refused resubscribe, or a refresh whose token no longer grants the room (protocol §3.8),
   * goes to `ended`, which stops the view.
   */
  _follow(view, ended, revokedAction, options) {
    view.offRevoked = this.on("revoked", (f) => {
      if (f.room !== view.room) return;
      ended(new RealtimeError(String(f.code), String(f.reason ?? ""), revokedAction, { frame: f }));
    });
    return this.subscribe(view.room, (ev) => view.onEvent(ev), { ...options, onError: ended }).then(
      () => view.handle(),
      (err) => {
        view.stop();
        throw err;
      },
    );
  }

  /**
   * Follow the user's notifications (protocol: notifications): subscribes to `user:{subject}` and
   * keeps the unread count current from its `notification` and `notification.read` events; REST
   * for lists and preferences, socket commands for reads. options: apiUrl (required: the REST
   * base, e.g. "https://host/api/v1/"), subject (default: the subject of the welcome), restToken
   * (default: the tokenProvider), fetchImpl (default: fetch), and callbacks onUnread(count,
   * {cause}), onNotification(n, ev), onRead({ids, readAt, unread}, ev), onEvent(ev) (every event
   * of the room), onReset(data), onError(err). Resolves with {room, unread(), list(), read(),
   * readAll(), getPreferences(), putPreferences(), close()} once subscribed; the count follows.
   * See docs/client.md "Notifications".
   */
  notifications(options) {
    const bad = (message) => Promise.reject(clientError("INVALID_ARGUMENT", message));
    if (!isPlainObject(options)) return bad("notifications() needs an options object with at least apiUrl");
    let apiUrl;
    try {
      apiUrl = new URL(options.apiUrl);
    } catch {
      return bad(`options.apiUrl must be the absolute http(s) URL of the REST API (e.g. "https://host/api/v1/"), got ${JSON.stringify(options.apiUrl)}`);
    }
    if (apiUrl.protocol !== "http:" && apiUrl.protocol !== "https:") {
      return bad(`options.apiUrl must be an http:// or https:// URL, got ${JSON.stringify(options.apiUrl)}`);
    }
    if (!apiUrl.pathname.endsWith("/")) apiUrl.pathname += "/"; // "…/api/v1" and "…/api/v1/" name the same base
    const subject = options.subject ?? this._subject;
    if (typeof subject !== "string" || subject === "") {
      return bad("options.subject is required before the first welcome (after it, the welcome's subject is used)");
    }
    const callbacks = ["onUnread", "onNotification", "onRead", "onEvent", "onReset", "onError", "restToken", "fetchImpl"];
    for (const name of callbacks) {
      if (options[name] !== undefined && typeof options[name] !== "function") return bad(`options.${name} must be a function`);
    }
    const fetchImpl = options.fetchImpl ?? (typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : null);
    if (!fetchImpl) return bad("no fetch implementation: pass options.fetchImpl");
    const restToken = options.restToken ?? (() => this._tokenProvider({ forceRefresh: false, attempt: 0, lastClose: null }));
    const room = `user:${subject}`;
    const inbox = new NotificationInbox(this, room, { ...options, apiUrl: apiUrl.toString(), fetchImpl, restToken });
    const ended = (err) => {
      if (inbox.closed) return;
      inbox.stop();
      inbox.report(err);
    };
    let first = true;
    return this._follow(inbox, ended, "The server ended the inbox subscription; follow it again with a token for this user.", {
      onSubscribed: () => {
        inbox.onSubscribed(first);
        first = false;
      },
      onReset: (data) => inbox.onReset(data),
    });
  }

  /**
   * Listen to: state (every change), idle/connecting/open/reconnecting/offline/closed/gave-up,
   * welcome, event, reset, resubscribed, subscription-error, duplicate, token-refreshed, revoked,
   * error.
   * Returns a function that removes the listener.
   */
  on(type, fn) {
    if (typeof fn !== "function") throw new TypeError("listener must be a function");
    let set = this._listeners.get(type);
    if (!set) this._listeners.set(type, (set = new Set()));
    set.add(fn);
    return () => this.off(type, fn);
  }

  off(type, fn) {
    this._listeners.get(type)?.delete(fn);
  }

  // ---------------------------------------------------------------- events

  _emit(type, arg) {
    const set = this._listeners.get(type);
    if (!set || set.size === 0) {
      if (type === "error") this._logger?.error?.("[pdprime-realtime]", arg);
      return;
    }
    for (const fn of [...set]) {
      try {
        fn(arg);
      } catch (e) {
        if (type === "error") this._logger?.error?.("[pdprime-realtime] error listener threw", e);
        else this._emitError(clientError("LISTENER_FAILED", `a '${type}' listener threw: ${e?.message ?? e}`, { cause: e }));
      }
    }
  }

  _emitError(err) {
    this._emit("error", err);
  }

  _setState(state, detail = {}) {
    const previous = this._state;
    this._state = state;
    if (state !== "closed") this._closedByApp = false;
    const ev = { state, previous, attempt: this._retries, ...detail };
    this._emit("state", ev);
    this._emit(state, ev);
  }

  // ---------------------------------------------------------------- timers

  _setTimer(name, ms, fn) {
    this._clearTimer(name);
    const id = this._clock.setTimeout(() => {
      if (this._timers.get(name) === id) this._timers.delete(name);
      fn();
    }, ms);
    this._timers.set(name, id);
  }

  _clearTimer(name) {
    const id = this._timers.get(name);
    if (id !== undefined) {
      this._clock.clearTimeout(id);
      this._timers.delete(name);
    }
  }

  _clearAllTimers() {
    for (const id of this._timers.values()) this._clock.clearTimeout(id);
    this._timers.clear();
    for (const r of this._rooms.values()) this._clearRoomRetry(r);
  }

  _clearRoomRetry(r) {
    if (r.retryTimer !== null) {
      this._clock.clearTimeout(r.retryTimer);
      r.retryTimer = null;
    }
  }

  // ---------------------------------------------------------------- browser online/offline

  _attachWindow() {
    const w = this._window;
    if (!w || this._windowAttached || typeof w.addEventListener !== "function") return;
    w.addEventListener("offline", this._onBrowserOffline);
    w.addEventListener("online", this._onBrowserOnline);
    this._windowAttached = true;
  }

  _detachWindow() {
    const w = this._window;
    if (!w || !this._windowAttached) return;
    w.removeEventListener("offline", this._onBrowserOffline);
    w.removeEventListener("online", this._onBrowserOnline);
    this._windowAttached = false;
  }

  _browserWentOffline() {
    this._browserOffline = true;
    if (this._state === "connecting" || this._state === "open") {
      this._dropSocket(4000, "browser offline");
    } else if (this._state === "reconnecting") {
      this._clearTimer("reconnect");
      this._setState("offline", { code: null, reason: "browser offline" });
    }
  }

  _browserCameOnline() {
    this._browserOffline = false;
    if (this._state === "offline") this._scheduleReconnect({ code: null, reason: "browser online" });
  }

  // ---------------------------------------------------------------- connecting

  async _openSocket() {
    const gen = ++this._gen;
    this._welcomed = false;
    // Covers the token fetch, the TCP/TLS/HTTP handshake and the welcome frame.
    this._setTimer("connect", this._opt.connectTimeoutMs, () => {
      this._dropSocket(4000, `CONNECT_TIMEOUT: no welcome within ${this._opt.connectTimeoutMs} ms`);
    });
    this._setState("connecting", { forceRefresh: this._forceRefresh });
    if (gen !== this._gen) return;
    let token;
    try {
      token = await this._tokenProvider({
        forceRefresh: this._forceRefresh,
        attempt: this._retries,
        lastClose: this._lastClose,
      });
    } catch (e) {
      if (gen !== this._gen) return;
      const err = clientError("TOKEN_PROVIDER_FAILED", `tokenProvider failed: ${e?.message ?? e}`, { cause: e });
      this._emitError(err);
      if (gen === this._gen) this._lost({ code: null, reason: err.message, byClient: true });
      return;
    }
    if (gen !== this._gen) return;
    if (typeof token !== "string" || !TOKEN_CHARS.test(token)) {
      this._stop(clientError("TOKEN_INVALID", `tokenProvider resolved to ${typeof token === "string" ? "a string with characters not allowed in a subprotocol entry" : typeof token}`));
      return;
    }
    this._forceRefresh = false;
    this._token = token;
    let ws;
    try {
      ws = new this._WS(this._url, [SUBPROTOCOL, "bearer." + token]);
    } catch (e) {
      this._stop(clientError("WEBSOCKET_FAILED", `new WebSocket(${this._url}) threw: ${e?.message ?? e}`, { cause: e }));
      return;
    }
    this._ws = ws;
    let socketOpened = false;
    ws.onopen = () => {
      if (ws !== this._ws) return;
      socketOpened = true;
      if (typeof ws.protocol === "string" && ws.protocol !== "" && ws.protocol !== SUBPROTOCOL) {
        this._detach(ws, 1000, "subprotocol mismatch");
        this._ws = null;
        this._stop(clientError("SUBPROTOCOL_MISMATCH", `the server chose subprotocol '${ws.protocol}'`));
      }
    };
    ws.onmessage = (ev) => this._onMessage(ws, ev);
    ws.onerror = () => {
      // Browsers give no detail here and follow with a close event carrying the code. Before the
      // socket opened, though, some implementations (Node's) never send that close: treat a
      // failed connect as 1006 at once; the close that may follow is ignored.
      if (ws !== this._ws || socketOpened) return;
      this._ws = null;
      this._detach(ws);
      this._lost({ code: 1006, reason: "connection failed" });
    };
    ws.onclose = (ev) => {
      if (ws !== this._ws) return;
      this._ws = null;
      this._detach(ws);
      this._lost({ code: ev?.code ?? 1006, reason: ev?.reason ?? "" });
    };
  }

  _detach(ws, code, reason) {
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    if (code !== undefined) {
      try {
        ws.close(code, reason);
      } catch {
        // already closing or closed
      }
    }
  }

  /** The client decided the current socket is unusable: close it and handle the loss now. */
  _dropSocket(code, reason) {
    const ws = this._ws;
    this._ws = null;
    if (ws) this._detach(ws, code, reason.slice(0, 100));
    this._lost({ code, reason, byClient: true });
  }

  _onWelcome(ws, f) {
    if (this._welcomed) {
      this._emitError(clientError("SERVER_FRAME_INVALID", "a second welcome frame arrived", { frame: f }));
      return;
    }
    if (typeof f.connectionId !== "string") {
      this._emitError(clientError("SERVER_FRAME_INVALID", "welcome without connectionId", { frame: f }));
    }
    this._clearTimer("connect");
    this._welcomed = true;
    this._connectionId = f.connectionId ?? null;
    this._subject = f.subject ?? null;
    if (typeof f.heartbeatMs === "number" && f.heartbeatMs > 0) {
      this._heartbeatMs = f.heartbeatMs;
    } else {
      this._emitError(clientError("SERVER_FRAME_INVALID", `welcome.heartbeatMs is ${f.heartbeatMs}; using ${this._heartbeatMs}`, { frame: f }));
    }
    const now = this._clock.now();
    this._bucket = new SendBucket(this._opt.sendRatePerSecond, this._opt.sendBurst, now);
    this._lastFrameAt = now;

    // Resubscribe every tracked room before any queued command, in the order they were added.
    const resubscribes = [];
    for (const r of this._rooms.values()) resubscribes.push(this._subscribeEntry(r));
    this._outbox.unshift(...resubscribes);

    this._setTimer("stable", this._opt.stableAfterMs, () => {
      this._retries = 0;
    });
    this._schedulePing();
    this._scheduleTokenRefresh();
    const reconnected = this._stats.reconnects > 0 || this._lastClose !== null;
    this._setState("open", {
      connectionId: this._connectionId,
      subject: this._subject,
      heartbeatMs: this._heartbeatMs,
      reconnected,
    });
    if (ws !== this._ws) return;
    this._emit("welcome", f);
    if (ws !== this._ws) return;
    this._pump();
  }

  // ---------------------------------------------------------------- token refresh

  /** Plans the replacement of the current token before its `exp` (read from the JWT payload). */
  _scheduleTokenRefresh() {
    const exp = jwtExpiryMs(this._token);
    if (exp === null) return; // not a readable JWT: the server's 4001 and the reconnect handle it
    const remaining = exp - this._clock.now();
    const delay = Math.max(0, remaining - this._opt.refreshBeforeExpiryMs, remaining / 2);
    this._setTimer("token-refresh", delay, () => this._refreshToken());
  }

  async _refreshToken() {
    const gen = this._gen;
    let token;
    try {
      token = await this._tokenProvider({ forceRefresh: true, reason: "expiring" });
    } catch (e) {
      this._emitError(clientError("TOKEN_PROVIDER_FAILED", `tokenProvider failed: ${e?.message ?? e}`, { cause: e }));
      return;
    }
    if (gen !== this._gen || !this._welcomed) return; // the connection changed meanwhile
    await this._sendRefresh(token, gen);
  }

  async _sendRefresh(token, gen) {
    try {
      const data = await this.request("refresh", { token });
      this._token = token;
      this._emit("token-refreshed", data);
      this._scheduleTokenRefresh();
    } catch (err) {
      if (retriesSubscribe(err.code) && gen === this._gen && this._welcomed) {
        // Not carried out, and to be sent again after a second (protocol §10), as a subscribe is;
        // the old token holds meanwhile.
        const base = this._opt.subscribeRetryDelayMs;
        this._setTimer("token-refresh", base + this._random() * base, () => this._sendRefresh(token, gen));
        return;
      }
      // The server keeps the old token until its exp, then closes with 4001 and the reconnect
      // fetches a fresh one; the application hears about the failed refresh now.
      this._emitError(err);
    }
  }

  /** The server ended a subscription (protocol §3.8): stop tracking the room and tell the app. */
  _onRevoked(f) {
    const r = this._rooms.get(f.room);
    if (r) {
      this._clearRoomRetry(r);
      this._rooms.delete(f.room);
    }
    this._emit("revoked", f);
  }

  // ---------------------------------------------------------------- losing the connection

  _lost({ code, reason, byClient = false }) {
    const opened = this._welcomed;
    this._welcomed = false;
    this._gen++;
    for (const name of ["connect", "ping", "pong", "stable", "pump", "reconnect"]) this._clearTimer(name);
    this._lastClose = { code, reason, at: this._clock.now(), byClient };
    this._timedOut.clear();

    // Commands already sent: their fate is unknown.
    const lost = clientError("CONNECTION_LOST", `connection lost (${code ?? "no code"} ${reason ?? ""}) before the reply`.trim(), { closeCode: code });
    const sentEntries = [...this._pending.values()].filter((e) => e.sent);
    const internalUnsent = this._outbox.filter((e) => e.internal);
    this._outbox = this._outbox.filter((e) => !e.internal);
    for (const e of [...sentEntries, ...internalUnsent]) this._settle(e, lost);
    for (const r of this._rooms.values()) {
      this._clearRoomRetry(r);
      r.status = "pending";
      r.inflightId = null;
    }
    this._afterLoss({ code, reason, opened, byClient });
  }

  _afterLoss({ code, reason, opened, byClient = false }) {
    const action = byClient ? "retry" : closeAction(code);
    if (action === "stop") {
      this._stop(
        clientError("SERVER_CLOSED", `the server closed the connection with ${code}${reason ? ` (${reason})` : ""}; not retrying`, { closeCode: code, closeReason: reason }),
        code,
        reason,
      );
      return;
    }
    // 4001, or a socket that never got its welcome (a refused handshake shows as 1006 in
    // browsers, possibly for an expired token): ask the provider for a fresh token.
    if (action === "refresh-token" || !opened) this._forceRefresh = true;
    this._scheduleReconnect({ code, reason, opened });
  }

  _scheduleReconnect(detail) {
    if (this._browserOffline) {
      this._setState("offline", { ...detail, reason: detail.reason || "browser offline" });
      return;
    }
    if (this._retries >= this._opt.maxAttempts) {
      this._giveUp(detail);
      return;
    }
    let delay = backoffDelay(this._retries, this._opt, this._random);
    if (detail.code === 4029) delay += this._opt.rateLimitedDelayMs;
    this._retries++;
    this._stats.reconnects++;
    this._setTimer("reconnect", delay, () => this._openSocket());
    this._setState("reconnecting", { ...detail, delayMs: delay });
  }

  _giveUp(detail) {
    this._clearAllTimers();
    this._detachWindow();
    const err = clientError("GAVE_UP", `gave up after ${this._retries} reconnect attempts (last close ${detail.code ?? "none"} ${detail.reason ?? ""})`.trim());
    this._failAll(err, { dropRooms: false });
    this._setState("gave-up", { ...detail });
  }

  /** Terminal stop decided by the client or a no-retry close code. Confirmed rooms are kept. */
  _stop(err, code = null, reason = err.message) {
    this._gen++;
    this._clearAllTimers();
    this._welcomed = false;
    if (this._ws) {
      const ws = this._ws;
      this._ws = null;
      this._detach(ws, 1000, err.code);
    }
    this._detachWindow();
    this._emitError(err);
    const closedErr = clientError("CLOSED", `the client stopped: ${err.message}`, { cause: err });
    this._failAll(closedErr, { dropRooms: false });
    this._setState("closed", { code, reason, error: err });
  }

  /** Reject every command; drop unconfirmed rooms (their subscribe() promise is rejected). */
  _failAll(err, { dropRooms }) {
    for (const e of [...this._pending.values()]) this._settle(e, err);
    for (const e of this._outbox) this._settle(e, err);
    this._outbox = [];
    this._userQueued = 0;
    for (const r of [...this._rooms.values()]) {
      this._clearRoomRetry(r);
      r.status = "pending";
      r.inflightId = null;
      if (!r.confirmed || dropRooms) {
        this._rooms.delete(r.room);
        if (r.waiter && !r.confirmed) r.waiter.reject(err);
        r.waiter = null;
      }
    }
  }

  _refusalForNewCommand() {
    if (this._state === "closed") {
      return clientError("CLOSED", `the client is closed${this._lastClose?.code ? ` (last close ${this._lastClose.code})` : ""}`);
    }
    if (this._state === "gave-up") return clientError("GAVE_UP", "the client gave up reconnecting");
    return null;
  }

  // ---------------------------------------------------------------- commands

  _makeEntry(type, fields, internal, settle) {
    const id = `c${++this._nextId}`;
    const json = JSON.stringify({ ...fields, id, type });
    const entry = { id, type, json, internal, settle, sent: false, timer: null, onSent: null, error: null };
    if (json.length > this._opt.maxFrameBytes / 3 && utf8Length(json) > this._opt.maxFrameBytes) {
      entry.error = clientError("FRAME_TOO_LARGE", `the ${type} command is ${utf8Length(json)} bytes; the limit is ${this._opt.maxFrameBytes}`);
    }
    return entry;
  }

  _internal(type, fields, settle) {
    const entry = this._makeEntry(type, fields, true, settle);
    this._push(entry);
    return entry;
  }

  _push(entry) {
    this._pending.set(entry.id, entry);
    this._outbox.push(entry);
    if (!entry.internal) this._userQueued++;
    this._pump();
  }

  _settle(entry, err, frame) {
    if (entry.sent === "settled") return;
    this._pending.delete(entry.id);
    if (entry.timer !== null) this._clock.clearTimeout(entry.timer);
    entry.timer = null;
    entry.sent = "settled";
    try {
      entry.settle(err, frame);
    } catch (e) {
      this._emitError(clientError("LISTENER_FAILED", `a reply handler threw: ${e?.message ?? e}`, { cause: e }));
    }
  }

  _requestTimedOut(entry, timeoutMs) {
    entry.timer = null;
    if (!this._pending.has(entry.id)) return;
    const idx = this._outbox.indexOf(entry);
    const wasSent = idx < 0;
    if (!wasSent) {
      this._outbox.splice(idx, 1);
      this._userQueued--;
    } else {
      this._timedOut.add(entry.id);
    }
    this._settle(
      entry,
      clientError(
        "TIMEOUT",
        wasSent
          ? `no reply to ${entry.type} ${entry.id} within ${timeoutMs} ms`
          : `${entry.type} ${entry.id} was not sent within ${timeoutMs} ms (state ${this._state})`,
        { id: entry.id, sent: wasSent },
      ),
    );
  }

  _pump() {
    this._clearTimer("pump");
    const ws = this._ws;
    if (!this._welcomed || !ws) return;
    while (this._outbox.length > 0) {
      const wait = this._bucket.take(this._clock.now());
      if (wait > 0) {
        this._setTimer("pump", wait, () => this._pump());
        return;
      }
      const entry = this._outbox.shift();
      if (!entry.internal) this._userQueued--;
      entry.sent = true;
      try {
        ws.send(entry.json);
      } catch (e) {
        // Not sent: keep it first in line for the next connection.
        entry.sent = false;
        this._outbox.unshift(entry);
        if (!entry.internal) this._userQueued++;
        this._dropSocket(4000, `send failed: ${e?.message ?? e}`);
        return;
      }
      if (entry.onSent) entry.onSent();
      if (ws !== this._ws) return;
    }
  }

  // ---------------------------------------------------------------- heartbeat

  _schedulePing() {
    const interval = this._opt.pingIntervalMs ?? this._heartbeatMs;
    this._setTimer("ping", interval, () => {
      this._sendHeartbeatPing();
      this._schedulePing();
    });
  }

  _sendHeartbeatPing() {
    if (!this._welcomed) return;
    const entry = this._makeEntry("ping", {}, true, () => {});
    entry.onSent = () => {
      if (this._timers.has("pong")) return; // an earlier ping is still being timed
      const sentAt = this._clock.now();
      this._setTimer("pong", this._opt.pongTimeoutMs, () => {
        if (this._lastFrameAt < sentAt) {
          this._dropSocket(4000, `HEARTBEAT_TIMEOUT: no frame within ${this._opt.pongTimeoutMs} ms of a ping`);
        }
      });
    };
    this._push(entry);
  }

  // ---------------------------------------------------------------- incoming frames

  _onMessage(ws, ev) {
    if (ws !== this._ws) return;
    this._lastFrameAt = this._clock.now();
    const data = ev?.data;
    if (typeof data !== "string") {
      this._emitError(clientError("SERVER_FRAME_INVALID", "a binary frame arrived; the protocol only uses text frames"));
      return;
    }
    // One text frame may hold several JSON objects separated by "\n" (protocol §2.3).
    for (const part of data.split("\n")) {
      if (part.trim() === "") continue;
      let f;
      try {
        f = JSON.parse(part);
      } catch (e) {
        this._emitError(clientError("SERVER_FRAME_INVALID", `a frame is not JSON: ${e.message}`, { text: part.slice(0, 200) }));
        continue;
      }
      if (!isPlainObject(f) || typeof f.type !== "string") {
        this._emitError(clientError("SERVER_FRAME_INVALID", "a frame is not an object with a 'type'", { text: part.slice(0, 200) }));
        continue;
      }
      this._dispatch(ws, f);
      if (ws !== this._ws) return; // a handler closed or dropped the connection
    }
  }

  _dispatch(ws, f) {
    switch (f.type) {
      case "welcome":
        this._onWelcome(ws, f);
        return;
      case "ok":
      case "pong":
        this._onReply(f, null);
        return;
      case "error": {
        const err = new RealtimeError(String(f.code), String(f.message ?? ""), String(f.action ?? ""), {
          replyTo: f.replyTo ?? null,
          frame: f,
          ...(f.details !== undefined ? { details: f.details } : {}),
        });
        if (f.replyTo === null || f.replyTo === undefined) {
          this._emitError(err); // the server could not read the id of one of our frames
        } else {
          this._onReply(f, err);
        }
        return;
      }
      case "event":
        this._onEvent(f);
        return;
      case "revoked":
        this._onRevoked(f);
        return;
      default:
        this._emitError(clientError("SERVER_FRAME_INVALID", `unknown frame type '${f.type}'`, { frame: f }));
    }
  }

  _onReply(f, err) {
    const entry = this._pending.get(f.replyTo);
    if (!entry || !entry.sent) {
      if (this._timedOut.delete(f.replyTo)) return; // a late reply to a timed-out request
      this._emitError(clientError("SERVER_FRAME_INVALID", `a ${f.type} frame replies to unknown id ${f.replyTo}`, { frame: f }));
      return;
    }
    if (err) this._settle(entry, err);
    else if (f.type === "ok" && !isPlainObject(f.data)) {
      this._settle(entry, clientError("SERVER_FRAME_INVALID", `ok frame for ${entry.id} without a data object`, { frame: f }));
    } else this._settle(entry, null, f);
  }

  // ---------------------------------------------------------------- rooms

  _subscribeEntry(r) {
    const fields = { room: r.room };
    if (r.epoch !== null && r.seq !== null) fields.since = { epoch: r.epoch, seq: r.seq };
    const entry = this._makeEntry("subscribe", fields, true, (err, frame) => this._onSubscribeReply(r, entry.id, err, frame));
    this._pending.set(entry.id, entry);
    r.status = "subscribing";
    r.inflightId = entry.id;
    r.sentSince = fields.since ?? null;
    return entry;
  }

  _sendSubscribe(r) {
    const entry = this._subscribeEntry(r);
    this._outbox.push(entry);
    this._pump();
  }

  _forgetRoom(r) {
    this._clearRoomRetry(r);
    this._rooms.delete(r.room);
  }

  _onSubscribeReply(r, id, err, frame) {
    if (this._rooms.get(r.room) !== r || r.inflightId !== id) return; // unsubscribed meanwhile
    r.inflightId = null;
    if (err) {
      r.status = "pending";
      // The connection ended: resubscribed after the next welcome (or handled by _failAll).
      if (LIFECYCLE_CODES.has(err.code)) return;
      if (retriesSubscribe(err.code) && this._welcomed) {
        const base = this._opt.subscribeRetryDelayMs;
        r.retryTimer = this._clock.setTimeout(() => {
          r.retryTimer = null;
          if (this._rooms.get(r.room) === r && this._welcomed && r.status === "pending") this._sendSubscribe(r);
        }, base + this._random() * base);
        return;
      }
      this._forgetRoom(r);
      if (!r.confirmed && r.waiter) {
        r.waiter.reject(err);
        r.waiter = null;
      } else {
        this._callRoom(r, "onError", err);
        this._emit("subscription-error", { room: r.room, error: err });
      }
      return;
    }
    const data = frame.data;
    if (data.room !== r.room || typeof data.epoch !== "string" || !isSeq(data.seq)) {
      this._forgetRoom(r);
      const bad = clientError("SERVER_FRAME_INVALID", `subscribe reply for ${r.room} lacks room/epoch/seq`, { frame });
      if (!r.confirmed && r.waiter) r.waiter.reject(bad);
      else this._emitError(bad);
      return;
    }
    const since = r.sentSince;
    let reset = null;
    if (since) {
      if (data.recovered === true && data.epoch === since.epoch) {
        // Missed events follow this reply in order; keep counting from `since`.
        r.epoch = since.epoch;
        r.seq = since.seq;
      } else {
        r.epoch = data.epoch;
        r.seq = data.seq;
        reset = { ...data, recovered: false };
      }
    } else {
      r.epoch = data.epoch;
      r.seq = data.seq;
      if (r.resetReason) reset = { ...data, recovered: false, reason: r.resetReason };
    }
    r.resetReason = null;
    r.status = "live";
    const first = !r.confirmed;
    r.confirmed = true;
    // Synchronous, so a state taken from the reply is in place before the events batched behind it.
    this._callRoom(r, "onSubscribed", data);
    if (reset) {
      this._callRoom(r, "onReset", reset);
      this._emit("reset", reset);
    } else if (!first) {
      this._emit("resubscribed", data);
    }
    if (first && r.waiter) {
      r.waiter.resolve(data);
      r.waiter = null;
    }
  }

  _callRoom(r, name, arg) {
    const fn = r[name];
    if (typeof fn !== "function") return;
    try {
      fn(arg);
    } catch (e) {
      this._emitError(clientError("LISTENER_FAILED", `${name} for ${r.room} threw: ${e?.message ?? e}`, { cause: e }));
    }
  }

  _onEvent(f) {
    const r = this._rooms.get(f.room);
    if (!r || r.status !== "live") return; // not (or no longer) subscribed, or resubscribing
    if (f.ephemeral === true) {
      this._deliver(r, f); // never replayed, no seq
      return;
    }
    if (typeof f.epoch !== "string" || !isSeq(f.seq)) {
      this._emitError(clientError("SERVER_FRAME_INVALID", `event for ${f.room} without epoch/seq`, { frame: f }));
      return;
    }
    if (f.epoch !== r.epoch) {
      // History was reset: our position means nothing. Resubscribe without since (protocol §9)
      // and tell the app through onReset once the new position is known.
      r.epoch = null;
      r.seq = null;
      r.resetReason = "EPOCH_CHANGED";
      this._resync(r);
      return;
    }
    if (f.seq <= r.seq) {
      this._stats.duplicatesDropped++;
      this._emit("duplicate", { room: f.room, epoch: f.epoch, seq: f.seq, lastSeq: r.seq });
      return;
    }
    if (f.seq > r.seq + 1) {
      // Never expected within one subscription (protocol §9); ask the server to replay the gap.
      this._emitError(clientError("GAP_DETECTED", `${f.room}: got seq ${f.seq} after ${r.seq}; resubscribing from ${r.seq}`, { room: f.room }));
      this._resync(r);
      return;
    }
    r.seq = f.seq;
    this._deliver(r, f);
  }

  _deliver(r, f) {
    this._stats.eventsDelivered++;
    try {
      r.onEvent(f);
    } catch (e) {
      this._emitError(clientError("LISTENER_FAILED", `onEvent for ${r.room} threw: ${e?.message ?? e}`, { cause: e }));
    }
    this._emit("event", f);
  }

  /** Unsubscribe and subscribe again on this connection (with since if a position is known). */
  _resync(r) {
    r.status = "subscribing";
    this._internal("unsubscribe", { room: r.room }, () => {});
    this._sendSubscribe(r);
  }
}

// ------------------------------------------------------------------------------------ dashboards

/** The dashboards and the filters each accepts besides `hours` (protocol: dashboards). */
export const DASHBOARDS = Object.freeze({
  quotes: Object.freeze(["state", "agent"]),
  conversion: Object.freeze(["state", "agent"]),
  performance: Object.freeze([]),
});

/** The state codes a `state` filter accepts: the 50 states and DC, upper case. */
export const US_STATES = Object.freeze(
  ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ " +
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split(" "),
);

// The server's rule for an agent filter: a token subject of 1-128 of these characters.
const AGENT_SUBJECT = /^[A-Za-z0-9._@|:-]{1,128}$/;
// Most hours a dashboard window may span: one week, the server's limit.
const MAX_HOURS = 168;

/**
 * The canonical room of a dashboard: `analytics:{name};hours={h}[;state={ST}][;agent={subject}]`.
 * Validates as the server does, so a mistake is reported before anything is sent; throws a
 * RealtimeError INVALID_ARGUMENT that says what is wrong. `hours` is required: there is no default.
 */
export function dashboardRoom(name, filters) {
  const bad = (message) => clientError("INVALID_ARGUMENT", message);
  if (typeof name !== "string" || !Object.hasOwn(DASHBOARDS, name)) {
    throw bad(`unknown dashboard ${JSON.stringify(name)}; use one of ${Object.keys(DASHBOARDS).join(", ")}`);
  }
  if (!isPlainObject(filters)) throw bad("filters must be an object {hours, state?, agent?}");
  const allowed = DASHBOARDS[name];
  for (const key of Object.keys(filters)) {
    if (key !== "hours" && !allowed.includes(key)) {
      const known = ["hours", ...allowed].join(", ");
      throw bad(
        key === "state" || key === "agent"
          ? `the ${name} dashboard takes no ${key} filter (its filters: ${known})`
          : `unknown filter ${JSON.stringify(key)} (the ${name} dashboard's filters: ${known})`,
      );
    }
  }
  const { hours, state, agent } = filters;
  if (hours === undefined) throw bad("filters.hours is required: a whole number of hours from 1 to 168");
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
    throw bad(`filters.hours must be a whole number from 1 to ${MAX_HOURS}, got ${JSON.stringify(hours)}`);
  }
  let room = `analytics:${name};hours=${hours}`;
  if (state !== undefined) {
    if (typeof state !== "string" || !US_STATES.includes(state)) {
      throw bad(`filters.state must be a US state code in upper case (e.g. TX), got ${JSON.stringify(state)}`);
    }
    room += `;state=${state}`;
  }
  if (agent !== undefined) {
    if (typeof agent !== "string" || !AGENT_SUBJECT.test(agent)) {
      throw bad(`filters.agent must be a token subject of 1-128 characters from A-Z a-z 0-9 . _ @ | : -, got ${JSON.stringify(agent)}`);
    }
    room += `;agent=${agent}`;
  }
  return room;
}

/**
 * JSON Merge Patch (RFC 7386): the result of applying `patch` to `target`. An object patch merges
 * member by member (null removes a member, objects merge recursively); anything else, arrays
 * included, replaces the target whole. `target` is not changed: members the patch touches are
 * copied, the others are shared with the result.
 */
export function mergePatch(target, patch) {
  if (!isPlainObject(patch)) return patch;
  const result = isPlainObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[name];
    } else {
      // defineProperty: a member named "__proto__" must stay a member, not become the prototype.
      Object.defineProperty(result, name, {
        value: mergePatch(result[name], value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result;
}

function isSnapshot(d) {
  return (
    isPlainObject(d) &&
    isSeq(d.version) &&
    (d.state === null || isPlainObject(d.state)) &&
    (d.computedAt === null || typeof d.computedAt === "string")
  );
}

function isDelta(d) {
  return (
    isPlainObject(d) &&
    isSeq(d.version) &&
    isSeq(d.base) &&
    isPlainObject(d.patch) &&
    (d.computedAt === null || typeof d.computedAt === "string")
  );
}

/** The state of one followed dashboard, kept in version order (used by RealtimeClient.dashboard). */
class DashboardView {
  constructor(client, room, onChange) {
    this.client = client;
    this.room = room;
    this.onChange = onChange;
    this.version = null; // null: no trustworthy version (before the first reply, or after a reply without a snapshot)
    this.state = null;
    this.computedAt = null;
    this.asking = false; // a `snapshot` request is in flight
    this.closed = false;
    this.offRevoked = () => {};
  }

  /** No more onChange calls, whatever arrives. */
  stop() {
    this.closed = true;
    this.offRevoked();
  }

  handle() {
    return Object.freeze({
      room: this.room,
      state: () => this.state,
      version: () => this.version,
      close: () => this.close(),
    });
  }

  close() {
    this.stop();
    // Already dropped by the client (refused resubscribe, revoked) or closed before: nothing to end.
    if (!this.client.rooms().includes(this.room)) return Promise.resolve({ room: this.room });
    return this.client.unsubscribe(this.room);
  }

  /** A (re)subscribe reply: its snapshot replaces the state whatever its version, since after a
   * reconnect the stream may be another instance's or a restarted one, counting from 0 again. */
  onSubscribed(data) {
    if (this.closed) return;
    if (data.snapshot === undefined) {
      this.version = null;
      this.askForSnapshot();
      return;
    }
    if (!isSnapshot(data.snapshot)) {
      this.invalid("the subscribe reply's snapshot is not {version, computedAt, state}", data);
      this.version = null;
      this.askForSnapshot();
      return;
    }
    this.replace(data.snapshot);
  }

  onEvent(ev) {
    if (this.closed) return;
    if (ev.name === "dashboard.snapshot") {
      if (!isSnapshot(ev.data)) return this.invalid("a dashboard.snapshot without {version, computedAt, state}", ev);
      if (this.version !== null && ev.data.version <= this.version) return; // stale
      this.replace(ev.data);
    } else if (ev.name === "dashboard.delta") {
      if (!isDelta(ev.data)) return this.invalid("a dashboard.delta without {version, base, computedAt, patch}", ev);
      const d = ev.data;
      if (this.version !== null && d.version <= this.version) return; // stale
      if (this.version === null || d.base !== this.version || this.state === null) {
        this.askForSnapshot(); // a gap: the state at `base` is not the one held
        return;
      }
      this.version = d.version;
      this.computedAt = d.computedAt;
      this.state = mergePatch(this.state, d.patch);
      this.notify("delta");
    } else {
      this.invalid(`an event '${ev.name}' in a dashboard room`, ev);
    }
  }

  replace(snapshot) {
    this.version = snapshot.version;
    this.computedAt = snapshot.computedAt;
    this.state = snapshot.state;
    this.notify("snapshot");
  }

  /** At most one request in flight: deltas arriving meanwhile are gaps too, and wait for it. */
  askForSnapshot() {
    if (this.asking) return;
    this.asking = true;
    this.client.request("snapshot", { room: this.room }).then(
      (data) => {
        this.asking = false;
        if (this.closed) return;
        if (!isSnapshot(data)) return this.invalid("the snapshot reply is not {version, computedAt, state}", data);
        // A dashboard.snapshot event may have brought a newer state while the request was out.
        if (this.version !== null && data.version <= this.version) return;
        this.replace(data);
      },
      (err) => {
        this.asking = false;
        // A lost connection resubscribes, and that reply carries a snapshot; a closed client or
        // dashboard needs none.
        if (this.closed || LIFECYCLE_CODES.has(err.code)) return;
        this.client._emitError(err);
      },
    );
  }

  notify(kind) {
    // No state yet, at version 0 or (a stream restarted after its last viewer left) at the version it had.
    const starting = this.state === null;
    const info = { version: this.version, kind, computedAt: this.computedAt, starting };
    try {
      this.onChange(this.state, info);
    } catch (e) {
      this.client._emitError(clientError("LISTENER_FAILED", `onChange for ${this.room} threw: ${e?.message ?? e}`, { cause: e }));
    }
  }

  invalid(what, frame) {
    this.client._emitError(clientError("SERVER_FRAME_INVALID", `${this.room}: ${what}`, { frame }));
  }
}

// ------------------------------------------------------------------------------------ notifications

/** The lists `GET /api/v1/notifications?state=` serves (protocol: notifications). */
export const NOTIFICATION_LISTS = Object.freeze(["all", "held", "unread", "read"]);
/** A notification's priorities; `critical` ones are never held or muted. */
export const NOTIFICATION_PRIORITIES = Object.freeze(["critical", "normal", "low"]);
const NOTIFICATION_STATES = ["held", "delivered", "read", "muted"];
// The server's largest page (limit=1..100).
const MAX_NOTIFICATION_PAGE = 100;
// Quiet hours are local wall-clock times "HH:mm", as the server stores them.
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PREFERENCE_KEYS = ["timeZone", "quietHours", "mutedTypes"];

const isTimestamp = (v) => v === null || typeof v === "string";

function isNotification(n) {
  return (
    isPlainObject(n) &&
    typeof n.id === "string" &&
    n.id !== "" &&
    typeof n.type === "string" &&
    NOTIFICATION_PRIORITIES.includes(n.priority) &&
    typeof n.title === "string" &&
    typeof n.body === "string" &&
    (n.data === null || n.data === undefined || isPlainObject(n.data)) &&
    typeof n.createdAt === "string" &&
    isTimestamp(n.deliverAfter ?? null) &&
    isTimestamp(n.deliveredAt ?? null) &&
    isTimestamp(n.readAt ?? null) &&
    NOTIFICATION_STATES.includes(n.state)
  );
}

const isCount = (v) => Number.isInteger(v) && v >= 0;

function isReadData(d) {
  return isPlainObject(d) && Array.isArray(d.ids) && d.ids.every((id) => typeof id === "string") && isTimestamp(d.readAt) && isCount(d.unread);
}

function isQuietHours(q) {
  return q === null || (isPlainObject(q) && LOCAL_TIME.test(q.start) && LOCAL_TIME.test(q.end));
}

function isPreferences(p) {
  return (
    isPlainObject(p) &&
    (p.timeZone === null || typeof p.timeZone === "string") &&
    typeof p.effectiveTimeZone === "string" &&
    isQuietHours(p.quietHours) &&
    Array.isArray(p.mutedTypes) &&
    p.mutedTypes.every((t) => typeof t === "string")
  );
}

/** Checks a preferences body before it is sent; returns the message of the first mistake, or null. */
function preferencesMistake(p) {
  if (!isPlainObject(p)) return "preferences must be an object {timeZone, quietHours, mutedTypes}";
  for (const key of Object.keys(p)) {
    if (key === "effectiveTimeZone") return "effectiveTimeZone is computed by the server; leave it out of the body";
    if (!PREFERENCE_KEYS.includes(key)) return `unknown preference ${JSON.stringify(key)} (known: ${PREFERENCE_KEYS.join(", ")})`;
  }
  // PUT replaces the whole record, so each member is required: a forgotten one would be cleared.
  for (const key of PREFERENCE_KEYS) {
    if (!(key in p)) return `preferences.${key} is required (PUT replaces all preferences; send null or [] to clear it)`;
  }
  if (p.timeZone !== null && (typeof p.timeZone !== "string" || p.timeZone === "")) {
    return `timeZone must be an IANA zone name such as "America/Chicago", or null for the zone of your state, got ${JSON.stringify(p.timeZone)}`;
  }
  if (p.quietHours !== null) {
    if (!isPlainObject(p.quietHours) || Object.keys(p.quietHours).some((k) => k !== "start" && k !== "end")) {
      return "quietHours must be {start: \"HH:mm\", end: \"HH:mm\"} or null";
    }
    for (const end of ["start", "end"]) {
      if (typeof p.quietHours[end] !== "string" || !LOCAL_TIME.test(p.quietHours[end])) {
        return `quietHours.${end} must be a 24-hour local time "HH:mm", got ${JSON.stringify(p.quietHours[end])}`;
      }
    }
  }
  if (!Array.isArray(p.mutedTypes) || p.mutedTypes.some((t) => typeof t !== "string" || t === "")) {
    return "mutedTypes must be an array of notification types (non-empty strings), [] for none";
  }
  return null;
}

/** The inbox of one user (used by RealtimeClient.notifications): its room, unread count and REST calls. */
class NotificationInbox {
  constructor(client, room, options) {
    this.client = client;
    this.room = room;
    this.options = options;
    this.apiUrl = options.apiUrl;
    this.fetch = options.fetchImpl;
    this.restToken = options.restToken;
    this.unread = null; // null until the server has told it
    // Events that changed the count. A REST answer carries a count the room's seq cannot place:
    // if such an event arrived while the request was out, the answer may or may not include it,
    // so it is not used and the count is asked again.
    this.changes = 0;
    this.counting = false; // a count request is out
    this.countAgain = false;
    this.closed = false;
    this.offRevoked = () => {};
  }

  handle() {
    return Object.freeze({
      room: this.room,
      unread: () => this.unread,
      list: (state, paging) => this.list(state, paging),
      read: (id) => this.read(id),
      readAll: () => this.readAll(),
      getPreferences: () => this.getPreferences(),
      putPreferences: (prefs) => this.putPreferences(prefs),
      close: () => this.close(),
    });
  }

  stop() {
    this.closed = true;
    this.offRevoked();
  }

  close() {
    this.stop();
    if (!this.client.rooms().includes(this.room)) return Promise.resolve({ room: this.room });
    return this.client.unsubscribe(this.room);
  }

  // ---- the room

  onSubscribed(first) {
    // The first reply: events after it are counted from here, so ask for the count now. Later
    // replies resume with `since` (missed events are replayed) or come with onReset.
    if (first) this.refreshCount();
  }

  onReset(data) {
    if (this.closed) return;
    this.refreshCount(); // events were missed: the count must come from the server again
    this.call("onReset", data);
  }

  onEvent(ev) {
    if (this.closed) return;
    if (ev.name === "notification") {
      if (!isNotification(ev.data)) return this.invalid("a notification event whose data is not a Notification", ev);
      this.changes++;
      if (ev.data.state === "delivered" && this.unread !== null) this.setUnread(this.unread + 1, "notification");
      this.call("onNotification", ev.data, ev);
    } else if (ev.name === "notification.read") {
      if (!isReadData(ev.data)) return this.invalid("a notification.read event without {ids, readAt, unread}", ev);
      this.changes++;
      this.setUnread(ev.data.unread, "read");
      this.call("onRead", ev.data, ev);
    }
    this.call("onEvent", ev);
  }

  setUnread(count, cause) {
    if (count === this.unread) return;
    this.unread = count;
    this.call("onUnread", count, { cause });
  }

  /** A count from a REST answer, used only if no counting event came while it was asked. */
  countFromServer(unread, changesWhenAsked) {
    if (this.closed) return;
    if (this.changes === changesWhenAsked) this.setUnread(unread, "server");
    else this.refreshCount();
  }

  refreshCount() {
    if (this.counting) {
      this.countAgain = true;
      return;
    }
    this.counting = true;
    this.countAgain = false;
    const asked = this.changes;
    this.fetchList("unread", { limit: 1 }).then(
      (page) => {
        this.counting = false;
        if (this.countAgain || this.changes !== asked) this.refreshCount();
        else if (!this.closed) this.setUnread(page.unread, "server");
      },
      (err) => {
        this.counting = false;
        if (!this.closed) this.report(err);
      },
    );
  }

  // ---- commands and REST

  list(state, paging) {
    return this.fetchList(state, paging, true);
  }

  async fetchList(state, paging, fromApp = false) {
    const bad = (message) => clientError("INVALID_ARGUMENT", message);
    if (!NOTIFICATION_LISTS.includes(state)) {
      throw bad(`state must be one of ${NOTIFICATION_LISTS.join(", ")}, got ${JSON.stringify(state)}`);
    }
    if (!isPlainObject(paging)) throw bad("paging must be an object {limit, before?}");
    for (const key of Object.keys(paging)) {
      if (key !== "limit" && key !== "before") throw bad(`unknown paging option ${JSON.stringify(key)} (known: limit, before)`);
    }
    const { limit, before } = paging;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NOTIFICATION_PAGE) {
      throw bad(`paging.limit must be a whole number from 1 to ${MAX_NOTIFICATION_PAGE}, got ${JSON.stringify(limit)}`);
    }
    if (before !== undefined && (typeof before !== "string" || before === "")) {
      throw bad(`paging.before must be the id of a notification (the previous page's next), got ${JSON.stringify(before)}`);
    }
    const query = new URLSearchParams({ state, limit: String(limit) });
    if (before !== undefined) query.set("before", before);
    const asked = this.changes;
    const body = await this.http("GET", `notifications?${query}`);
    if (!Array.isArray(body.items) || !body.items.every(isNotification) || !isCount(body.unread) || !(body.next === null || typeof body.next === "string")) {
      throw clientError("HTTP_RESPONSE_INVALID", "GET notifications did not answer {items: [Notification], unread, next}", { body });
    }
    if (fromApp) this.countFromServer(body.unread, asked);
    return body;
  }

  read(id) {
    if (typeof id !== "string" || id === "") {
      return Promise.reject(clientError("INVALID_ARGUMENT", `id must be a notification's id (a non-empty string), got ${JSON.stringify(id)}`));
    }
    return this.client.request("notification.read", { notificationId: id });
  }

  readAll() {
    return this.client.request("notification.read-all", {});
  }

  async getPreferences() {
    const body = await this.http("GET", "notifications/preferences");
    if (!isPreferences(body)) {
      throw clientError("HTTP_RESPONSE_INVALID", "GET notifications/preferences did not answer {timeZone, effectiveTimeZone, quietHours, mutedTypes}", { body });
    }
    return body;
  }

  async putPreferences(prefs) {
    const mistake = preferencesMistake(prefs);
    if (mistake) throw clientError("INVALID_ARGUMENT", mistake);
    const sent = { timeZone: prefs.timeZone, quietHours: prefs.quietHours === null ? null : { start: prefs.quietHours.start, end: prefs.quietHours.end }, mutedTypes: [...prefs.mutedTypes] };
    const body = await this.http("PUT", "notifications/preferences", sent);
    if (!isPreferences(body)) {
      throw clientError("HTTP_RESPONSE_INVALID", "PUT notifications/preferences did not answer {timeZone, effectiveTimeZone, quietHours, mutedTypes}", { body });
    }
    return body;
  }

  /** One REST call: bearer token, JSON both ways; a non-2xx answer rejects with the server's code. */
  async http(method, path, body) {
    const url = new URL(path, this.apiUrl);
    const where = `${method} ${url.pathname}`;
    let token;
    try {
      token = await this.restToken();
    } catch (e) {
      throw clientError("TOKEN_PROVIDER_FAILED", `the REST token could not be had for ${where}: ${e?.message ?? e}`, { cause: e });
    }
    if (typeof token !== "string" || !TOKEN_CHARS.test(token)) {
      throw clientError("TOKEN_INVALID", `the REST token for ${where} is not a JWT string`);
    }
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    let text;
    try {
      res = await this.fetch(url.toString(), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      text = await res.text();
    } catch (e) {
      throw clientError("HTTP_FAILED", `${where} failed: ${e?.message ?? e}`, { cause: e });
    }
    let json;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      if (isPlainObject(json) && typeof json.code === "string") {
        const retryAfter = res.headers?.get?.("Retry-After") ?? null;
        throw new RealtimeError(json.code, String(json.message ?? ""), String(json.action ?? ""), { status: res.status, retryAfter });
      }
      throw clientError("HTTP_RESPONSE_INVALID", `${where} answered ${res.status} without a {code, message, action} body`, { status: res.status });
    }
    if (!isPlainObject(json)) {
      throw clientError("HTTP_RESPONSE_INVALID", `${where} answered ${res.status} without a JSON object`, { status: res.status });
    }
    return json;
  }

  // ---- callbacks

  call(name, ...args) {
    const fn = this.options[name];
    if (typeof fn !== "function") return;
    try {
      fn(...args);
    } catch (e) {
      this.client._emitError(clientError("LISTENER_FAILED", `${name} for ${this.room} threw: ${e?.message ?? e}`, { cause: e }));
    }
  }

  /** An error the app did not ask for (a count refresh): options.onError, else the client's 'error'. */
  report(err) {
    if (typeof this.options.onError === "function") this.call("onError", err);
    else this.client._emitError(err);
  }

  invalid(what, frame) {
    this.client._emitError(clientError("SERVER_FRAME_INVALID", `${this.room}: ${what}`, { frame }));
  }
}

/**
 * Rate limit for editing indicators (typing, focus): at most one call of `fn` per key per
 * intervalMs (500 ms). The first call for a key goes out at once (leading edge); calls inside the
 * interval are collapsed into one trailing call with the latest arguments, at the end of the
 * interval, so the last state ("stopped typing", final value) is never lost.
 */
export class Debouncer {
  constructor(fn, options = {}) {
    if (typeof fn !== "function") throw new TypeError("Debouncer needs a function");
    const intervalMs = options.intervalMs ?? 500;
    if (typeof intervalMs !== "number" || !(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
      throw new TypeError("intervalMs must be a finite number >= 0");
    }
    this._fn = fn;
    this._intervalMs = intervalMs;
    this._clock = options.clock ?? realClock;
    this._keys = new Map(); // key -> {last, timer, args}
  }

  /** Call fn(key, ...args) now, or once at the end of the key's current interval. */
  call(key, ...args) {
    const now = this._clock.now();
    let s = this._keys.get(key);
    if (!s) this._keys.set(key, (s = { last: -Infinity, timer: null, args: null }));
    if (s.timer === null && now - s.last >= this._intervalMs) {
      s.last = now;
      this._fn(key, ...args);
      return true;
    }
    s.args = args;
    if (s.timer === null) {
      s.timer = this._clock.setTimeout(() => this._trail(key), Math.max(0, s.last + this._intervalMs - now));
    }
    return false;
  }

  _trail(key) {
    const s = this._keys.get(key);
    if (!s) return;
    s.timer = null;
    const args = s.args;
    s.args = null;
    if (args) {
      s.last = this._clock.now();
      this._fn(key, ...args);
    }
  }

  /** Is a trailing call waiting for this key? */
  pending(key) {
    return this._keys.get(key)?.timer != null;
  }

  /** Send a waiting trailing call now (e.g. on blur). */
  flush(key) {
    const keys = key === undefined ? [...this._keys.keys()] : [key];
    for (const k of keys) {
      const s = this._keys.get(k);
      if (s && s.timer !== null) {
        this._clock.clearTimeout(s.timer);
        this._trail(k);
      }
    }
  }

  /** Drop a waiting trailing call (e.g. the field was removed). */
  cancel(key) {
    const keys = key === undefined ? [...this._keys.keys()] : [key];
    for (const k of keys) {
      const s = this._keys.get(k);
      if (s && s.timer !== null) this._clock.clearTimeout(s.timer);
      this._keys.delete(k);
    }
  }
}
