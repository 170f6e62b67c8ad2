import { test } from "node:test";
import assert from "node:assert/strict";
import { harness } from "./fakes.mjs";

const ROOM = "user:alice";

function event(seq, epoch = "e1", room = ROOM, name = "notification.created") {
  return { type: "event", room, name, epoch, seq, ts: 1764000000000 + seq, data: { n: seq } };
}

/** Connected client subscribed to ROOM at (e1, 41). */
async function subscribed(options = {}) {
  const h = harness({ random: () => 0.5, ...options });
  const got = [];
  const resets = [];
  const roomErrors = [];
  h.client.connect();
  const ws = await h.connectOpen();
  const promise = h.client.subscribe(ROOM, (ev) => got.push(ev.seq), {
    onReset: (data) => resets.push(data),
    onError: (err) => roomErrors.push(err),
  });
  const cmd = ws.lastFrame();
  assert.deepEqual(cmd, { room: ROOM, id: cmd.id, type: "subscribe" });
  ws.ok(cmd, { room: ROOM, epoch: "e1", seq: 41 });
  const data = await promise;
  assert.deepEqual(data, { room: ROOM, epoch: "e1", seq: 41 });
  return { ...h, ws, got, resets, roomErrors };
}

/** Drop the connection with 1001 and bring up the next one (welcome sent). */
async function reconnect(h) {
  h.socket().serverClose(1001, "server shutting down; reconnect and resume");
  await h.clock.advance(h.states.at(-1).delayMs);
  return h.connectOpen();
}

test("events are delivered in order and duplicates by (room, seq) are dropped", async () => {
  const h = await subscribed();
  const dups = [];
  h.client.on("duplicate", (d) => dups.push(d.seq));
  h.ws.receive(event(42), event(43));
  h.ws.receive(event(43)); // duplicate
  h.ws.receive(event(41)); // older than the subscription position
  h.ws.receive(event(44));
  assert.deepEqual(h.got, [42, 43, 44]);
  assert.deepEqual(dups, [43, 41]);
  assert.equal(h.client.stats.duplicatesDropped, 2);
  assert.deepEqual(h.client.position(ROOM), { epoch: "e1", seq: 44 });
});

test("on reconnect the client resubscribes with since = last epoch/seq seen, and drops replay duplicates", async () => {
  const h = await subscribed();
  h.ws.receive(event(42), event(43));
  const resubscribed = [];
  h.client.on("resubscribed", (d) => resubscribed.push(d));
  const ws2 = await reconnect(h);
  const first = ws2.frames()[0];
  assert.equal(first.type, "subscribe");
  assert.deepEqual(first.since, { epoch: "e1", seq: 43 });
  ws2.ok(first, { room: ROOM, epoch: "e1", seq: 46, recovered: true, replayed: 3 });
  ws2.receive(event(43), event(44), event(45), event(46)); // 43 again: e.g. delivered twice across the reconnect
  ws2.receive(event(47));
  assert.deepEqual(h.got, [42, 43, 44, 45, 46, 47]);
  assert.equal(h.resets.length, 0);
  assert.equal(resubscribed.length, 1);
  assert.equal(resubscribed[0].replayed, 3);
});

test("recovered:false is surfaced through onReset and the 'reset' event, never hidden", async () => {
  const h = await subscribed();
  h.ws.receive(event(42));
  const resetEvents = [];
  h.client.on("reset", (d) => resetEvents.push(d));
  const ws2 = await reconnect(h);
  const cmd = ws2.frames()[0];
  assert.deepEqual(cmd.since, { epoch: "e1", seq: 42 });
  const reply = { room: ROOM, epoch: "e2", seq: 5, recovered: false, reason: "EPOCH_CHANGED" };
  ws2.ok(cmd, reply);
  assert.deepEqual(h.resets, [reply]);
  assert.deepEqual(resetEvents, [reply]);
  assert.deepEqual(h.client.position(ROOM), { epoch: "e2", seq: 5 });
  ws2.receive(event(5, "e2"), event(6, "e2"));
  assert.deepEqual(h.got, [42, 6], "continues from data.seq in the new epoch");
});

for (const reason of ["TOO_FAR_BEHIND", "HISTORY_EXPIRED", "POSITION_AHEAD"]) {
  test(`recovered:false ${reason} in the same epoch also resets the position`, async () => {
    const h = await subscribed();
    const ws2 = await reconnect(h);
    const reply = { room: ROOM, epoch: "e1", seq: 2000, recovered: false, reason };
    ws2.ok(ws2.frames()[0], reply);
    assert.deepEqual(h.resets, [reply]);
    ws2.receive(event(2000), event(2001));
    assert.deepEqual(h.got, [2001]);
  });
}

test("an event in another epoch resets tracking: unsubscribe, subscribe without since, onReset", async () => {
  const h = await subscribed();
  h.ws.receive(event(42));
  const before = h.ws.sent.length;
  h.ws.receive(event(1, "e9"));
  const [unsub, sub] = h.ws.frames().slice(before);
  assert.deepEqual([unsub.type, unsub.room], ["unsubscribe", ROOM]);
  assert.equal(sub.type, "subscribe");
  assert.equal(sub.since, undefined);
  assert.equal(h.client.position(ROOM), null);
  h.ws.receive(event(2, "e9")); // still the old subscription: ignored until the new reply
  h.ws.ok(unsub, { room: ROOM });
  h.ws.ok(sub, { room: ROOM, epoch: "e9", seq: 2 });
  assert.equal(h.resets.length, 1);
  assert.equal(h.resets[0].reason, "EPOCH_CHANGED");
  assert.equal(h.resets[0].recovered, false);
  assert.equal(h.resets[0].epoch, "e9");
  h.ws.receive(event(3, "e9"));
  assert.deepEqual(h.got, [42, 3]);
});

test("a gap inside one subscription is reported and refilled by resubscribing from the last seq", async () => {
  const h = await subscribed();
  h.ws.receive(event(42));
  const before = h.ws.sent.length;
  h.ws.receive(event(45));
  assert.equal(h.errors.at(-1).code, "GAP_DETECTED");
  const [unsub, sub] = h.ws.frames().slice(before);
  assert.equal(unsub.type, "unsubscribe");
  assert.deepEqual(sub.since, { epoch: "e1", seq: 42 });
  h.ws.ok(unsub, { room: ROOM });
  h.ws.ok(sub, { room: ROOM, epoch: "e1", seq: 45, recovered: true, replayed: 3 });
  h.ws.receive(event(43), event(44), event(45));
  assert.deepEqual(h.got, [42, 43, 44, 45]);
  assert.equal(h.resets.length, 0);
});

test("a refused subscribe rejects with the server's code, message and action", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const p = h.client.subscribe("user:bob", () => {});
  ws.receive({
    type: "error",
    code: "FORBIDDEN_ROOM",
    message: "no rule grants you user:bob",
    action: "Do not retry; ask for the permission that grants this room.",
    replyTo: ws.lastFrame().id,
  });
  await assert.rejects(p, (err) => {
    assert.equal(err.name, "RealtimeError");
    assert.equal(err.code, "FORBIDDEN_ROOM");
    assert.equal(err.message, "no rule grants you user:bob");
    assert.equal(err.action, "Do not retry; ask for the permission that grants this room.");
    return true;
  });
  assert.deepEqual(h.client.rooms(), []);
});

test("a resubscribe refused after a reconnect goes to onError and 'subscription-error'", async () => {
  const h = await subscribed();
  const subErrors = [];
  h.client.on("subscription-error", (e) => subErrors.push(e));
  const ws2 = await reconnect(h);
  ws2.receive({ type: "error", code: "FORBIDDEN_ROOM", message: "m", action: "a", replyTo: ws2.frames()[0].id });
  assert.equal(h.roomErrors.length, 1);
  assert.equal(h.roomErrors[0].code, "FORBIDDEN_ROOM");
  assert.equal(subErrors[0].room, ROOM);
  assert.deepEqual(h.client.rooms(), []);
});

for (const code of ["RATE_LIMITED", "SERVER_BUSY"]) test(`a subscribe refused with ${code} is sent again after 1-2 s`, async () => {
  const h = await subscribed();
  const ws2 = await reconnect(h);
  const cmd = ws2.frames()[0];
  ws2.receive({ type: "error", code, message: "m", action: "a", replyTo: cmd.id });
  assert.equal(h.roomErrors.length, 0);
  const before = ws2.sent.length;
  await h.clock.advance(1499); // random 0.5 -> 1000 + 500
  assert.equal(ws2.sent.length, before);
  await h.clock.advance(1);
  const again = ws2.lastFrame();
  assert.equal(again.type, "subscribe");
  assert.deepEqual(again.since, { epoch: "e1", seq: 41 });
  assert.notEqual(again.id, cmd.id);
});

test("subscribe while not open is sent after the welcome, before queued commands", async () => {
  const h = harness();
  const p1 = h.client.request("ping");
  const s1 = h.client.subscribe("user:alice", () => {});
  const s2 = h.client.subscribe("quote:3f1c2b7e-9a4d-4e21-8b0a-5c6d7e8f9a0b", () => {});
  h.client.connect();
  const ws = await h.connectOpen();
  assert.deepEqual(
    ws.frames().map((f) => f.type + (f.room ? ":" + f.room.split(":")[0] : "")),
    ["subscribe:user", "subscribe:quote", "ping"],
  );
  const [a, b, c] = ws.frames();
  ws.ok(a, { room: a.room, epoch: "x", seq: 0 });
  ws.ok(b, { room: b.room, epoch: "y", seq: 3 });
  ws.receive({ type: "pong", replyTo: c.id, ts: 5 });
  assert.deepEqual(await p1, { ts: 5 });
  assert.equal((await s1).epoch, "x");
  assert.equal((await s2).seq, 3);
});

test("subscribing twice to one room is an explicit error", async () => {
  const h = await subscribed();
  await assert.rejects(h.client.subscribe(ROOM, () => {}), { code: "ALREADY_SUBSCRIBED" });
});

test("unsubscribe stops events and is not resubscribed after a reconnect", async () => {
  const h = await subscribed();
  const p = h.client.unsubscribe(ROOM);
  const cmd = h.ws.lastFrame();
  assert.deepEqual([cmd.type, cmd.room], ["unsubscribe", ROOM]);
  h.ws.receive(event(42)); // in flight before the server handled the unsubscribe
  h.ws.ok(cmd, { room: ROOM });
  assert.deepEqual(await p, { room: ROOM });
  assert.deepEqual(h.got, []);
  const ws2 = await reconnect(h);
  assert.equal(ws2.framesOfType("subscribe").length, 0);
  await assert.rejects(h.client.unsubscribe(ROOM), { code: "NOT_SUBSCRIBED" });
});

test("unsubscribe while disconnected just forgets the room", async () => {
  const h = await subscribed();
  h.ws.serverClose(1001, "bye");
  assert.deepEqual(await h.client.unsubscribe(ROOM), { room: ROOM });
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  assert.equal(ws2.sent.length, 0);
});

test("subscribe({since}) resumes from a position stored by the app", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const got = [];
  const p = h.client.subscribe(ROOM, (e) => got.push(e.seq), { since: { epoch: "e1", seq: 10 } });
  const cmd = ws.lastFrame();
  assert.deepEqual(cmd.since, { epoch: "e1", seq: 10 });
  ws.ok(cmd, { room: ROOM, epoch: "e1", seq: 12, recovered: true, replayed: 2 });
  assert.equal((await p).recovered, true);
  ws.receive(event(11), event(12));
  assert.deepEqual(got, [11, 12]);
});

test("ephemeral events are delivered without seq tracking", async () => {
  const h = await subscribed();
  h.ws.receive({ type: "event", room: ROOM, name: "typing", ephemeral: true, ts: 1, data: {} });
  h.ws.receive(event(42));
  assert.deepEqual(h.got, [undefined, 42]);
  assert.deepEqual(h.client.position(ROOM), { epoch: "e1", seq: 42 });
});

test("a throwing onEvent is reported and does not break delivery", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const seen = [];
  const p = h.client.subscribe(ROOM, (e) => {
    seen.push(e.seq);
    if (e.seq === 1) throw new Error("app bug");
  });
  ws.ok(ws.lastFrame(), { room: ROOM, epoch: "e1", seq: 0 });
  await p;
  ws.receive(event(1), event(2));
  assert.deepEqual(seen, [1, 2]);
  assert.equal(h.errors[0].code, "LISTENER_FAILED");
});

test("unsubscribe before the subscribe is confirmed rejects that subscribe with UNSUBSCRIBED", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const p = h.client.subscribe(ROOM, () => {});
  const sub = ws.lastFrame();
  const u = h.client.unsubscribe(ROOM);
  const unsub = ws.lastFrame();
  assert.equal(unsub.type, "unsubscribe");
  ws.ok(sub, { room: ROOM, epoch: "e1", seq: 1 }); // stale reply: ignored
  ws.ok(unsub, { room: ROOM });
  await assert.rejects(p, { code: "UNSUBSCRIBED" });
  assert.deepEqual(await u, { room: ROOM });
  assert.equal(h.client.position(ROOM), null);
  assert.equal(h.errors.length, 0);
});

test("events of rooms the client does not track are ignored", async () => {
  const h = await subscribed();
  h.ws.receive(event(1, "e1", "user:someone-else"));
  assert.deepEqual(h.got, []);
  assert.equal(h.errors.length, 0);
});

test("a snapshot in the subscribe reply is passed through to the promise and to onReset", async () => {
  const h = harness({ random: () => 0 });
  const resets = [];
  h.client.connect();
  const ws = await h.connectOpen();
  const p = h.client.subscribe(ROOM, () => {}, { onReset: (d) => resets.push(d) });
  ws.ok(ws.lastFrame(), { room: ROOM, epoch: "e1", seq: 3, snapshot: { unread: 2 } });
  assert.deepEqual((await p).snapshot, { unread: 2 });
  ws.serverClose(1001, "bye");
  await h.clock.advance(0);
  const ws2 = await h.connectOpen();
  ws2.ok(ws2.frames()[0], { room: ROOM, epoch: "e2", seq: 1, recovered: false, reason: "EPOCH_CHANGED", snapshot: { unread: 0 } });
  assert.deepEqual(resets[0].snapshot, { unread: 0 });
});

test("onSubscribed gets every accepted reply, first and after a reconnect, before the events batched behind it", async () => {
  const h = harness({ random: () => 0 });
  const seen = [];
  h.client.connect();
  const ws = await h.connectOpen();
  const p = h.client.subscribe(ROOM, (e) => seen.push(`event ${e.seq}`), { onSubscribed: (d) => seen.push(`reply ${d.seq}`) });
  ws.receive({ type: "ok", replyTo: ws.lastFrame().id, data: { room: ROOM, epoch: "e1", seq: 3 } }, event(4));
  await p;
  ws.serverClose(1001, "bye");
  await h.clock.advance(0);
  const ws2 = await h.connectOpen();
  ws2.receive({ type: "ok", replyTo: ws2.frames()[0].id, data: { room: ROOM, epoch: "e1", seq: 5, recovered: true, replayed: 1 } }, event(5));
  assert.deepEqual(seen, ["reply 3", "event 4", "reply 5", "event 5"]);
});
