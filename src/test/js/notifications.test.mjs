import { test } from "node:test";
import assert from "node:assert/strict";
import { NOTIFICATION_LISTS, RealtimeError } from "../../main/webapp/js/pdprime-realtime.js";
import { harness, settle } from "./fakes.mjs";

const ROOM = "user:alice";
const API = "https://pd.example/app/api/v1/";

function notification(id, extra = {}) {
  return {
    id,
    type: "quote.calculated",
    priority: "normal",
    title: `Quote ${id} is ready`,
    body: "Your premium has been calculated.",
    data: { quoteId: "q-1" },
    createdAt: "2026-11-30T14:00:00Z",
    deliverAfter: null,
    deliveredAt: "2026-11-30T14:00:00Z",
    readAt: null,
    state: "delivered",
    ...extra,
  };
}

let seq = 0;
const event = (name, data) => ({ type: "event", room: ROOM, name, epoch: "e1", seq: ++seq, ts: 1, data });

/**
 * A fetch the test answers by hand: each call waits in `calls` until answered with
 * reply(status, body, headers) or fail(error).
 */
function fakeFetch() {
  const calls = [];
  const fetchImpl = (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      calls.push({
        url: u,
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        method: init.method,
        headers: init.headers,
        body: init.body === undefined ? undefined : JSON.parse(init.body),
        reply: (status, body, headers = {}) =>
          resolve(new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } })),
        fail: (e) => reject(e),
      });
    });
  return { calls, fetchImpl, pending: () => calls.filter((c) => !c.done) };
}

/** An open client whose inbox is subscribed and whose first count request is waiting in fetch.calls[0]. */
async function following(options = {}) {
  seq = 0;
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const fetch = fakeFetch();
  const seen = { unread: [], notifications: [], reads: [], events: [], resets: [], errors: [] };
  const p = h.client.notifications({
    apiUrl: API,
    restToken: async () => "rest.token.sig",
    fetchImpl: fetch.fetchImpl,
    onUnread: (n, info) => seen.unread.push([n, info.cause]),
    onNotification: (n) => seen.notifications.push(n.id),
    onRead: (d) => seen.reads.push(d),
    onEvent: (ev) => seen.events.push(ev.name),
    onReset: (d) => seen.resets.push(d),
    onError: (e) => seen.errors.push(e),
    ...options,
  });
  const cmd = ws.lastFrame();
  assert.deepEqual(cmd, { room: ROOM, id: cmd.id, type: "subscribe" });
  ws.ok(cmd, { room: ROOM, epoch: "e1", seq: 0 });
  const inbox = await p;
  await settle();
  return { ...h, ws, fetch, seen, inbox };
}

test("the first count comes from GET notifications?state=unread, then each notification adds one and a read sets it", async () => {
  const h = await following();
  assert.equal(h.inbox.room, ROOM);
  assert.equal(h.inbox.unread(), null, "unknown until the server says");
  const ask = h.fetch.calls[0];
  assert.equal(ask.method, "GET");
  assert.equal(ask.path, "/app/api/v1/notifications");
  assert.deepEqual(ask.query, { state: "unread", limit: "1" });
  assert.equal(ask.headers.Authorization, "Bearer rest.token.sig");
  ask.reply(200, { items: [notification("n0")], unread: 3, next: "n0" });
  await settle();
  assert.equal(h.inbox.unread(), 3);

  h.ws.receive(event("notification", notification("n1")), event("notification", notification("n2", { priority: "critical" })));
  assert.equal(h.inbox.unread(), 5);
  h.ws.receive(event("notification.read", { ids: ["n1", "n0"], readAt: "2026-11-30T15:00:00Z", unread: 3 }));
  assert.equal(h.inbox.unread(), 3);
  h.ws.receive(event("notification.read", { ids: ["n2", "n3"], readAt: "2026-11-30T15:01:00Z", unread: 0 }));
  assert.deepEqual(h.seen.unread, [[3, "server"], [4, "notification"], [5, "notification"], [3, "read"], [0, "read"]]);
  assert.deepEqual(h.seen.notifications, ["n1", "n2"]);
  assert.deepEqual(h.seen.reads.map((d) => d.ids), [["n1", "n0"], ["n2", "n3"]]);
  assert.deepEqual(h.seen.events, ["notification", "notification", "notification.read", "notification.read"]);
  assert.equal(h.fetch.calls.length, 1, "events keep the count without asking again");
  assert.deepEqual(h.errors, []);
});

test("a count answer that may predate an event that came meanwhile is not used: the count is asked again", async () => {
  const h = await following();
  h.ws.receive(event("notification", notification("n1"))); // did the server count it? unknowable
  h.fetch.calls[0].reply(200, { items: [], unread: 0, next: null });
  await settle();
  assert.equal(h.inbox.unread(), null, "the racing answer is not shown");
  assert.equal(h.fetch.calls.length, 2);
  h.fetch.calls[1].reply(200, { items: [notification("n1")], unread: 1, next: null });
  await settle();
  assert.equal(h.inbox.unread(), 1);
  assert.deepEqual(h.seen.unread, [[1, "server"]]);
});

test("list() sends state, limit and before, checks the answer, and its count is used when nothing raced it", async () => {
  const h = await following();
  h.fetch.calls[0].reply(200, { items: [], unread: 2, next: null });
  await settle();
  const p = h.inbox.list("held", { limit: 50, before: "n9" });
  await settle();
  const call = h.fetch.calls[1];
  assert.deepEqual(call.query, { state: "held", limit: "50", before: "n9" });
  const held = notification("h1", { state: "held", deliverAfter: "2026-12-01T14:00:00Z", deliveredAt: null });
  call.reply(200, { items: [held], unread: 4, next: null });
  const page = await p;
  assert.deepEqual(page.items, [held]);
  assert.equal(h.inbox.unread(), 4);
  assert.deepEqual(NOTIFICATION_LISTS, ["all", "held", "unread", "read"]);
});

test("list() refuses a bad state or paging before anything is sent", async () => {
  const h = await following();
  const cases = [
    [["everything", { limit: 10 }], /state must be one of all, held, unread, read/],
    [["all"], /paging must be an object/],
    [["all", {}], /paging.limit must be a whole number from 1 to 100, got undefined/],
    [["all", { limit: 101 }], /from 1 to 100, got 101/],
    [["all", { limit: 10, before: "" }], /paging.before/],
    [["all", { limit: 10, page: 2 }], /unknown paging option "page"/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(h.inbox.list(...args), (e) => e instanceof RealtimeError && e.code === "INVALID_ARGUMENT" && message.test(e.message));
  }
  assert.equal(h.fetch.calls.length, 1, "only the first count request");
});

test("a REST error rejects with the server's code, message, action and status; a non-JSON answer is HTTP_RESPONSE_INVALID", async () => {
  const h = await following();
  const p = h.inbox.list("all", { limit: 10 });
  await settle();
  h.fetch.calls[1].reply(404, { code: "NOT_FOUND", message: "nothing exists at this path", action: "Check the path against docs/protocol.md §11." });
  await assert.rejects(p, (e) => e.code === "NOT_FOUND" && e.status === 404 && e.action.startsWith("Check the path"));

  const q = h.inbox.list("all", { limit: 10 });
  await settle();
  h.fetch.calls[2].reply(502, "<html>Bad gateway</html>", { "Content-Type": "text/html" });
  await assert.rejects(q, (e) => e.code === "HTTP_RESPONSE_INVALID" && e.status === 502 && e.action.length > 0);

  const r = h.inbox.list("all", { limit: 10 });
  await settle();
  h.fetch.calls[3].fail(new TypeError("fetch failed"));
  await assert.rejects(r, (e) => e.code === "HTTP_FAILED" && /GET \/app\/api\/v1\/notifications failed: fetch failed/.test(e.message));

  const s = h.inbox.list("all", { limit: 10 });
  await settle();
  h.fetch.calls[4].reply(200, { items: [{ id: "x" }], unread: 0, next: null });
  await assert.rejects(s, (e) => e.code === "HTTP_RESPONSE_INVALID");
});

test("the first count failing (a server without the notifications API) goes to onError; the room keeps working", async () => {
  const h = await following();
  h.fetch.calls[0].reply(404, { code: "NOT_FOUND", message: "nothing exists at this path", action: "Check the path." });
  await settle();
  assert.deepEqual(h.seen.errors.map((e) => e.code), ["NOT_FOUND"]);
  assert.equal(h.inbox.unread(), null);
  h.ws.receive(event("note.created", { text: "hello" }));
  assert.deepEqual(h.seen.events, ["note.created"]);
});

test("read(id) and readAll() are socket commands; the count follows the notification.read event, not the reply", async () => {
  const h = await following();
  h.fetch.calls[0].reply(200, { items: [], unread: 2, next: null });
  await settle();
  const p = h.inbox.read("n1");
  const cmd = h.ws.lastFrame();
  assert.deepEqual(cmd, { notificationId: "n1", id: cmd.id, type: "notification.read" });
  h.ws.ok(cmd, { id: "n1", readAt: "2026-11-30T15:00:00Z", unread: 1 });
  assert.deepEqual(await p, { id: "n1", readAt: "2026-11-30T15:00:00Z", unread: 1 });
  assert.equal(h.inbox.unread(), 2, "the reply is not sequenced with the room's events");
  h.ws.receive(event("notification.read", { ids: ["n1"], readAt: "2026-11-30T15:00:00Z", unread: 1 }));
  assert.equal(h.inbox.unread(), 1);

  const all = h.inbox.readAll();
  const cmd2 = h.ws.lastFrame();
  assert.deepEqual(cmd2, { id: cmd2.id, type: "notification.read-all" });
  h.ws.receive({ type: "error", replyTo: cmd2.id, code: "UNKNOWN_TYPE", message: "unknown command type 'notification.read-all'", action: "Use one of the command types listed in docs/protocol.md." });
  await assert.rejects(all, (e) => e.code === "UNKNOWN_TYPE");

  await assert.rejects(h.inbox.read(""), (e) => e.code === "INVALID_ARGUMENT");
  await assert.rejects(h.inbox.read(42), (e) => e.code === "INVALID_ARGUMENT");
});

test("the read on another tab reaches this one as notification.read and moves the count", async () => {
  // Two clients of one user: the reply goes to the tab that read; the event to both.
  const a = await following();
  a.fetch.calls[0].reply(200, { items: [], unread: 1, next: null });
  const b = await following();
  b.fetch.calls[0].reply(200, { items: [], unread: 1, next: null });
  await settle();
  const readEvent = event("notification.read", { ids: ["n1"], readAt: "2026-11-30T15:00:00Z", unread: 0 });
  a.inbox.read("n1");
  a.ws.ok(a.ws.lastFrame(), { id: "n1", readAt: "2026-11-30T15:00:00Z", unread: 0 });
  a.ws.receive(readEvent);
  b.ws.receive(readEvent);
  assert.equal(a.inbox.unread(), 0);
  assert.equal(b.inbox.unread(), 0);
  assert.deepEqual(b.seen.reads, [readEvent.data]);
});

test("a malformed notification event changes nothing and is an error event SERVER_FRAME_INVALID", async () => {
  const h = await following();
  h.fetch.calls[0].reply(200, { items: [], unread: 0, next: null });
  await settle();
  h.ws.receive(event("notification", { id: "n1", title: "no priority" }));
  h.ws.receive(event("notification.read", { ids: "n1", unread: 0 }));
  assert.equal(h.inbox.unread(), 0);
  assert.deepEqual(h.errors.map((e) => e.code), ["SERVER_FRAME_INVALID", "SERVER_FRAME_INVALID"]);
  assert.deepEqual(h.seen.notifications, []);
});

test("a reconnect resumed with since replays missed events into the count; a reset asks the server again", async () => {
  const h = await following();
  h.fetch.calls[0].reply(200, { items: [], unread: 1, next: null });
  await settle();
  h.ws.receive(event("notification", notification("n1"))); // seq 1, count 2
  h.ws.serverClose(1001, "restart");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  const resub = ws2.framesOfType("subscribe")[0];
  assert.deepEqual(resub.since, { epoch: "e1", seq: 1 });
  ws2.receive({ type: "ok", replyTo: resub.id, data: { room: ROOM, epoch: "e1", seq: 2, recovered: true, replayed: 1 } }, event("notification", notification("n2")));
  await settle();
  assert.equal(h.inbox.unread(), 3);
  assert.equal(h.fetch.calls.length, 1, "a replayed gap needs no REST call");

  ws2.serverClose(1001, "restart");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws3 = await h.connectOpen();
  const again = ws3.framesOfType("subscribe")[0];
  ws3.ok(again, { room: ROOM, epoch: "e2", seq: 7, recovered: false, reason: "EPOCH_CHANGED" });
  await settle();
  assert.equal(h.seen.resets.length, 1);
  assert.equal(h.seen.resets[0].reason, "EPOCH_CHANGED");
  assert.equal(h.fetch.calls.length, 2, "the count is asked again after a reset");
  h.fetch.calls[1].reply(200, { items: [], unread: 0, next: null });
  await settle();
  assert.equal(h.inbox.unread(), 0);
});

test("preferences: GET and PUT over REST; PUT needs every member and no effectiveTimeZone", async () => {
  const h = await following();
  const prefs = { timeZone: null, effectiveTimeZone: "America/Chicago", quietHours: null, mutedTypes: [] };
  const g = h.inbox.getPreferences();
  await settle();
  assert.equal(h.fetch.calls[1].path, "/app/api/v1/notifications/preferences");
  h.fetch.calls[1].reply(200, prefs);
  assert.deepEqual(await g, prefs);

  const wanted = { timeZone: "America/Denver", quietHours: { start: "21:00", end: "07:30" }, mutedTypes: ["quote.calculated"] };
  const put = h.inbox.putPreferences(wanted);
  await settle();
  const call = h.fetch.calls[2];
  assert.equal(call.method, "PUT");
  assert.equal(call.headers["Content-Type"], "application/json");
  assert.deepEqual(call.body, wanted);
  call.reply(200, { ...wanted, effectiveTimeZone: "America/Denver" });
  assert.equal((await put).effectiveTimeZone, "America/Denver");

  const unmutable = h.inbox.putPreferences({ ...wanted, mutedTypes: ["security.login"] });
  await settle();
  h.fetch.calls[3].reply(400, { code: "NOTIFICATION_TYPE_UNMUTABLE", message: "security.login cannot be muted", action: "Remove it from mutedTypes." });
  await assert.rejects(unmutable, (e) => e.code === "NOTIFICATION_TYPE_UNMUTABLE" && e.status === 400);

  const refused = [
    [prefs, /effectiveTimeZone is computed by the server/],
    [{ timeZone: null, quietHours: null }, /preferences.mutedTypes is required/],
    [{ ...wanted, quietHours: { start: "9:00", end: "17:00" } }, /quietHours.start must be a 24-hour local time "HH:mm", got "9:00"/],
    [{ ...wanted, quietHours: { start: "21:00", end: "24:00" } }, /quietHours.end/],
    [{ ...wanted, timeZone: "" }, /timeZone must be an IANA zone name/],
    [{ ...wanted, mutedTypes: "quote.calculated" }, /mutedTypes must be an array/],
    [{ ...wanted, colour: "red" }, /unknown preference "colour"/],
  ];
  for (const [body, message] of refused) {
    await assert.rejects(h.inbox.putPreferences(body), (e) => e.code === "INVALID_ARGUMENT" && message.test(e.message), String(message));
  }
  assert.equal(h.fetch.calls.length, 4, "nothing sent for a refused body");
});

test("notifications() checks its options; apiUrl without a trailing slash names the same base", async () => {
  const h = harness();
  const checks = [
    [undefined, /needs an options object/],
    [{}, /options.apiUrl must be the absolute http\(s\) URL/],
    [{ apiUrl: "ws://x/api/v1/" }, /http:\/\/ or https:\/\//],
    [{ apiUrl: API }, /options.subject is required before the first welcome/],
    [{ apiUrl: API, subject: "alice", onUnread: 1 }, /options.onUnread must be a function/],
  ];
  for (const [options, message] of checks) {
    await assert.rejects(h.client.notifications(options), (e) => e.code === "INVALID_ARGUMENT" && message.test(e.message));
  }
  // Before the welcome: with a subject, the subscribe waits in the queue like any other.
  const fetch = fakeFetch();
  h.client.connect();
  const p = h.client.notifications({ apiUrl: "https://pd.example/api/v1", subject: "alice", fetchImpl: fetch.fetchImpl });
  const ws = await h.connectOpen();
  ws.ok(ws.lastFrame(), { room: ROOM, epoch: "e1", seq: 0 });
  const inbox = await p;
  await settle();
  assert.equal(fetch.calls[0].path, "/api/v1/notifications");
  assert.match(fetch.calls[0].headers.Authorization, /^Bearer header\.payload\d+\.sig$/, "the tokenProvider by default");
  const closing = inbox.close();
  assert.deepEqual(h.client.rooms(), []);
  const bye = ws.lastFrame();
  assert.deepEqual(bye, { room: ROOM, id: bye.id, type: "unsubscribe" });
  ws.ok(bye, { room: ROOM });
  await closing;
});

test("a refused subscribe rejects notifications(); a revoked room goes to onError and the inbox stops", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const p = h.client.notifications({ apiUrl: API, subject: "bob", fetchImpl: fakeFetch().fetchImpl });
  const cmd = ws.lastFrame();
  ws.receive({ type: "error", replyTo: cmd.id, code: "FORBIDDEN_ROOM", message: "user:bob is not yours", action: "Do not retry." });
  await assert.rejects(p, (e) => e.code === "FORBIDDEN_ROOM");

  const g = await following();
  g.fetch.calls[0].reply(200, { items: [], unread: 0, next: null });
  await settle();
  g.ws.receive({ type: "revoked", room: ROOM, code: "FORBIDDEN_ROOM", reason: "the refreshed token is for another user" });
  assert.deepEqual(g.seen.errors.map((e) => e.code), ["FORBIDDEN_ROOM"]);
  g.ws.receive(event("notification", notification("n1")));
  assert.equal(g.inbox.unread(), 0, "nothing counted after the end");
});
