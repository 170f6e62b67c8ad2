import { test } from "node:test";
import assert from "node:assert/strict";
import { dashboardRoom, mergePatch, RealtimeError } from "../../main/webapp/js/pdprime-realtime.js";
import { harness } from "./fakes.mjs";

const ROOM = "analytics:quotes;hours=24;state=TX";

// Four states of the quotes dashboard one after the other, as a server computes them.
const STATES = [
  {
    totals: { quotes: 3, customers: 3, averagePremium: null },
    byStatus: { DRAFT: 3 },
    timeline: { "2026-11-30T06:00:00Z": 1, "2026-11-30T07:00:00Z": 2 },
    topStates: { TX: 3 },
  },
  {
    totals: { quotes: 4, customers: 3, averagePremium: 812.5 },
    byStatus: { DRAFT: 3, QUOTED: 1 },
    timeline: { "2026-11-30T06:00:00Z": 1, "2026-11-30T07:00:00Z": 3 },
    topStates: { TX: 4 },
  },
  {
    totals: { quotes: 4, customers: 3, averagePremium: 900 },
    byStatus: { DRAFT: 2, QUOTED: 1, BOUND: 1 },
    timeline: { "2026-11-30T07:00:00Z": 3, "2026-11-30T08:00:00Z": 0 },
    topStates: { TX: 4 },
  },
  {
    totals: { quotes: 5, customers: 4, averagePremium: 900 },
    byStatus: { DRAFT: 3, BOUND: 1 },
    timeline: { "2026-11-30T07:00:00Z": 3, "2026-11-30T08:00:00Z": 1 },
    topStates: { TX: 5 },
  },
];

/** A merge patch from `a` to `b` (objects compared member by member), as a server would send. */
function diff(a, b) {
  const patch = {};
  for (const k of Object.keys(a)) if (!(k in b)) patch[k] = null;
  for (const [k, v] of Object.entries(b)) {
    const old = a[k];
    if (v !== null && typeof v === "object" && !Array.isArray(v) && old !== null && typeof old === "object" && !Array.isArray(old)) {
      const sub = diff(old, v);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (JSON.stringify(old) !== JSON.stringify(v)) {
      patch[k] = v;
    }
  }
  return patch;
}

const at = (version) => `2026-11-30T08:00:0${version}.000Z`;
const snapshotOf = (version) => ({ version, computedAt: at(version), state: STATES[version - 1] });

function deltaEvent(version, base = version - 1, patch = diff(STATES[base - 1], STATES[version - 1])) {
  return { type: "event", room: ROOM, name: "dashboard.delta", ephemeral: true, ts: 1, data: { version, base, computedAt: at(version), patch } };
}

function snapshotEvent(version) {
  return { type: "event", room: ROOM, name: "dashboard.snapshot", ephemeral: true, ts: 1, data: snapshotOf(version) };
}

/** An open client following the quotes dashboard (hours 24, TX), whose subscribe reply carried `snapshot`. */
async function following(snapshot = snapshotOf(1), options = {}) {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const changes = [];
  const p = h.client.dashboard("quotes", { hours: 24, state: "TX" }, (state, info) => changes.push({ state, ...info }), options);
  const cmd = ws.lastFrame();
  assert.deepEqual(cmd, { room: ROOM, id: cmd.id, type: "subscribe" });
  ws.ok(cmd, { room: ROOM, epoch: "e1", seq: 0, snapshot });
  const handle = await p;
  return { ...h, ws, changes, handle };
}

test("the subscribe reply's snapshot, then deltas, give the state a fresh snapshot of the last version has", async () => {
  const h = await following();
  assert.equal(h.handle.room, ROOM);
  h.ws.receive(deltaEvent(2));
  h.ws.receive(deltaEvent(3), deltaEvent(4)); // two in one frame
  assert.deepEqual(h.handle.state(), STATES[3]);
  assert.equal(h.handle.version(), 4);
  assert.deepEqual(
    h.changes.map((c) => [c.kind, c.version, c.computedAt, c.starting]),
    [["snapshot", 1, at(1), false], ["delta", 2, at(2), false], ["delta", 3, at(3), false], ["delta", 4, at(4), false]],
  );
  assert.deepEqual(h.changes.at(-1).state, snapshotOf(4).state);
  assert.deepEqual(Object.keys(h.handle.state().timeline), ["2026-11-30T07:00:00Z", "2026-11-30T08:00:00Z"], "the hour that left the window is gone");
  assert.equal(h.ws.framesOfType("snapshot").length, 0, "no gap, no snapshot request");
});

test("stale events (version <= current) change nothing and call nothing", async () => {
  const h = await following(snapshotOf(2));
  h.ws.receive(deltaEvent(2), deltaEvent(1 + 1, 1), snapshotEvent(1), snapshotEvent(2));
  assert.equal(h.changes.length, 1);
  assert.deepEqual(h.handle.state(), STATES[1]);
  h.ws.receive(deltaEvent(3));
  h.ws.receive(deltaEvent(3));
  assert.equal(h.changes.length, 2);
  assert.deepEqual(h.handle.state(), STATES[2]);
  assert.equal(h.ws.framesOfType("snapshot").length, 0);
});

test("a gap asks for one snapshot (never two at once) and the answer replaces the state", async () => {
  const h = await following();
  h.ws.receive(deltaEvent(3)); // base 2, but the client holds 1
  h.ws.receive(deltaEvent(4)); // still a gap: the request already out covers it
  const asks = h.ws.framesOfType("snapshot");
  assert.equal(asks.length, 1);
  assert.deepEqual(asks[0], { room: ROOM, id: asks[0].id, type: "snapshot" });
  assert.deepEqual(h.handle.state(), STATES[0], "nothing applied on a gap");
  h.ws.ok(asks[0], snapshotOf(4));
  await h.clock.advance(0);
  assert.deepEqual(h.handle.state(), STATES[3]);
  assert.equal(h.handle.version(), 4);
  assert.deepEqual(h.changes.at(-1), { state: STATES[3], version: 4, kind: "snapshot", computedAt: at(4), starting: false });
  assert.equal(h.changes.length, 2);
  // Deltas continue from the answer; a new gap asks again.
  h.ws.receive(snapshotEvent(4));
  h.ws.receive(deltaEvent(4 + 2, 5, { totals: { quotes: 9 } }));
  assert.equal(h.ws.framesOfType("snapshot").length, 2);
});

test("a snapshot answer older than a dashboard.snapshot event that came meanwhile is dropped", async () => {
  const h = await following();
  h.ws.receive(deltaEvent(3));
  const ask = h.ws.framesOfType("snapshot")[0];
  h.ws.receive(snapshotEvent(4));
  h.ws.ok(ask, snapshotOf(3));
  await h.clock.advance(0);
  assert.equal(h.handle.version(), 4);
  assert.deepEqual(h.handle.state(), STATES[3]);
  assert.deepEqual(h.changes.map((c) => c.version), [1, 4]);
});

test("a refused snapshot request is reported on 'error', and the next gap asks again", async () => {
  const h = await following();
  h.ws.receive(deltaEvent(3));
  const ask = h.ws.framesOfType("snapshot")[0];
  h.ws.receive({ type: "error", code: "NOT_SUBSCRIBED", message: "not subscribed to " + ROOM, action: "Subscribe first.", replyTo: ask.id });
  await h.clock.advance(0);
  assert.equal(h.errors.at(-1).code, "NOT_SUBSCRIBED");
  h.ws.receive(deltaEvent(4));
  assert.equal(h.ws.framesOfType("snapshot").length, 2);
});

test("a starting stream (version 0, state null) is reported with starting: true, then the first snapshot event", async () => {
  const h = await following({ version: 0, computedAt: null, state: null });
  assert.deepEqual(h.changes, [{ state: null, version: 0, kind: "snapshot", computedAt: null, starting: true }]);
  assert.equal(h.handle.state(), null);
  h.ws.receive(snapshotEvent(1));
  assert.deepEqual(h.changes.at(-1), { state: STATES[0], version: 1, kind: "snapshot", computedAt: at(1), starting: false });
  h.ws.receive(deltaEvent(2));
  assert.deepEqual(h.handle.state(), STATES[1]);
});

test("state null at a later version (a stream restarted after its last viewer left) is starting too", async () => {
  const h = await following({ version: 7, computedAt: null, state: null });
  assert.deepEqual(h.changes, [{ state: null, version: 7, kind: "snapshot", computedAt: null, starting: true }]);
  h.ws.receive(snapshotEvent(3)); // older than the stored version: stale
  assert.equal(h.changes.length, 1);
  h.ws.receive({ type: "event", room: ROOM, name: "dashboard.snapshot", ephemeral: true, ts: 1, data: { version: 8, computedAt: at(8), state: STATES[2] } });
  assert.deepEqual(h.changes.at(-1), { state: STATES[2], version: 8, kind: "snapshot", computedAt: at(8), starting: false });
});

test("a delta while the stream is starting has no base to apply to: it asks for a snapshot", async () => {
  const h = await following({ version: 0, computedAt: null, state: null });
  h.ws.receive(deltaEvent(1, 0, { totals: { quotes: 1 } }));
  assert.equal(h.ws.framesOfType("snapshot").length, 1);
  assert.equal(h.changes.length, 1);
});

test("after a reconnect the resubscribe reply's snapshot replaces the state, even at a lower version", async () => {
  const h = await following(snapshotOf(3));
  h.ws.serverClose(1001, "server restarting");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  const sub = ws2.frames()[0];
  assert.equal(sub.type, "subscribe");
  assert.equal(sub.room, ROOM);
  // A restarted stream counts from 1 again.
  ws2.ok(sub, { room: ROOM, epoch: "e2", seq: 0, recovered: false, reason: "EPOCH_CHANGED", snapshot: snapshotOf(1) });
  assert.equal(h.handle.version(), 1);
  assert.deepEqual(h.handle.state(), STATES[0]);
  ws2.receive(deltaEvent(2));
  assert.deepEqual(h.handle.state(), STATES[1]);
  assert.deepEqual(h.changes.map((c) => c.version), [3, 1, 2]);
});

test("a resubscribe reply without a snapshot asks for one", async () => {
  const h = await following(snapshotOf(2));
  h.ws.serverClose(1006, "");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  const sub = ws2.frames()[0];
  ws2.ok(sub, { room: ROOM, epoch: "e1", seq: 0, recovered: true, replayed: 0 });
  const ask = ws2.framesOfType("snapshot");
  assert.equal(ask.length, 1);
  ws2.receive(deltaEvent(4)); // cannot be applied until the answer
  ws2.ok(ask[0], snapshotOf(3));
  await h.clock.advance(0);
  assert.equal(h.handle.version(), 3);
  ws2.receive(deltaEvent(4));
  assert.deepEqual(h.handle.state(), STATES[3]);
});

test("a snapshot request lost with the connection is not reported; the resubscribe brings the state", async () => {
  const h = await following();
  h.ws.receive(deltaEvent(3));
  assert.equal(h.ws.framesOfType("snapshot").length, 1);
  h.ws.serverClose(1001, "bye");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  ws2.ok(ws2.frames()[0], { room: ROOM, epoch: "e1", seq: 0, snapshot: snapshotOf(3) });
  assert.equal(h.errors.length, 0);
  assert.equal(h.handle.version(), 3);
  ws2.receive(deltaEvent(4));
  assert.equal(ws2.framesOfType("snapshot").length, 0, "the answer of the lost request is not awaited");
  assert.deepEqual(h.handle.state(), STATES[3]);
});

test("FORBIDDEN_ROOM and INVALID_FILTER reject the promise with the server's code, message and action", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  for (const [code, message] of [
    ["FORBIDDEN_ROOM", "analytics:quotes;hours=24 needs analytics:read"],
    ["INVALID_FILTER", "hours must be 1..168; canonical name analytics:quotes;hours=24"],
  ]) {
    const changes = [];
    const p = h.client.dashboard("quotes", { hours: 24 }, (s) => changes.push(s));
    ws.receive({ type: "error", code, message, action: "Do what it says.", replyTo: ws.lastFrame().id });
    await assert.rejects(p, (err) => {
      assert.ok(err instanceof RealtimeError);
      assert.deepEqual([err.code, err.message, err.action], [code, message, "Do what it says."]);
      return true;
    });
    assert.deepEqual(changes, []);
    assert.deepEqual(h.client.rooms(), []);
  }
});

test("a resubscribe refused after a reconnect goes to options.onError and stops the updates", async () => {
  const errs = [];
  const h = await following(snapshotOf(1), { onError: (e) => errs.push(e) });
  h.ws.serverClose(1001, "bye");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  ws2.receive({ type: "error", code: "FORBIDDEN_ROOM", message: "m", action: "a", replyTo: ws2.frames()[0].id });
  assert.deepEqual(errs.map((e) => e.code), ["FORBIDDEN_ROOM"]);
  assert.deepEqual(h.client.rooms(), []);
  assert.deepEqual(await h.handle.close(), { room: ROOM });
});

test("a room revoked at a token refresh goes to options.onError and stops the updates", async () => {
  const errs = [];
  const h = await following(snapshotOf(1), { onError: (e) => errs.push(e) });
  h.ws.receive({ type: "revoked", room: ROOM, code: "FORBIDDEN_ROOM", reason: `the refreshed token no longer grants ${ROOM}` });
  h.ws.receive(deltaEvent(2));
  assert.deepEqual(errs.map((e) => [e.code, e.message]), [["FORBIDDEN_ROOM", `the refreshed token no longer grants ${ROOM}`]]);
  assert.ok(errs[0].action.length > 0);
  assert.equal(h.changes.length, 1);
  assert.deepEqual(h.client.rooms(), []);
  assert.deepEqual(await h.handle.close(), { room: ROOM });
  assert.equal(h.ws.framesOfType("unsubscribe").length, 0);
});

test("close() unsubscribes and no onChange follows", async () => {
  const h = await following();
  const p = h.handle.close();
  const unsub = h.ws.lastFrame();
  assert.deepEqual([unsub.type, unsub.room], ["unsubscribe", ROOM]);
  h.ws.receive(deltaEvent(2));
  h.ws.ok(unsub, { room: ROOM });
  assert.deepEqual(await p, { room: ROOM });
  assert.equal(h.changes.length, 1);
});

test("malformed dashboard events are reported as SERVER_FRAME_INVALID and change nothing", async () => {
  const h = await following();
  h.ws.receive({ type: "event", room: ROOM, name: "dashboard.delta", ephemeral: true, ts: 1, data: { version: 2, base: 1 } });
  h.ws.receive({ type: "event", room: ROOM, name: "dashboard.snapshot", ephemeral: true, ts: 1, data: { version: 2, state: [] } });
  assert.deepEqual(h.errors.map((e) => e.code), ["SERVER_FRAME_INVALID", "SERVER_FRAME_INVALID"]);
  assert.equal(h.changes.length, 1);
  assert.equal(h.handle.version(), 1);
});

test("a throwing onChange is reported as LISTENER_FAILED and updates go on", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const seen = [];
  const p = h.client.dashboard("quotes", { hours: 24, state: "TX" }, (state, info) => {
    seen.push(info.version);
    if (info.version === 1) throw new Error("render bug");
  });
  ws.ok(ws.lastFrame(), { room: ROOM, epoch: "e1", seq: 0, snapshot: snapshotOf(1) });
  const handle = await p;
  ws.receive(deltaEvent(2));
  assert.deepEqual(seen, [1, 2]);
  assert.equal(h.errors[0].code, "LISTENER_FAILED");
  assert.deepEqual(handle.state(), STATES[1]);
});

// ------------------------------------------------------------------------------ room names

test("dashboardRoom builds the canonical name: hours, state, agent, in that order", () => {
  assert.equal(dashboardRoom("quotes", { hours: 24 }), "analytics:quotes;hours=24");
  assert.equal(dashboardRoom("quotes", { agent: "ann@corp|1", state: "DC", hours: 1 }), "analytics:quotes;hours=1;state=DC;agent=ann@corp|1");
  assert.equal(dashboardRoom("conversion", { hours: 168, agent: "a.b_c:d-e" }), "analytics:conversion;hours=168;agent=a.b_c:d-e");
  assert.equal(dashboardRoom("performance", { hours: 6 }), "analytics:performance;hours=6");
});

for (const [name, filters, what] of [
  ["sales", { hours: 24 }, /unknown dashboard "sales"; use one of quotes, conversion, performance/],
  ["bench", { hours: 24 }, /unknown dashboard/],
  [undefined, { hours: 24 }, /unknown dashboard/],
  ["quotes", undefined, /filters must be an object/],
  ["quotes", {}, /filters.hours is required/],
  ["quotes", { state: "TX" }, /filters.hours is required/],
  ["quotes", { hours: 0 }, /whole number from 1 to 168, got 0/],
  ["quotes", { hours: 169 }, /got 169/],
  ["quotes", { hours: 1.5 }, /got 1.5/],
  ["quotes", { hours: "24" }, /got "24"/],
  ["quotes", { hours: 24, state: "tx" }, /state code in upper case .* got "tx"/],
  ["quotes", { hours: 24, state: "PR" }, /got "PR"/],
  ["quotes", { hours: 24, state: "" }, /got ""/],
  ["quotes", { hours: 24, agent: "" }, /filters.agent must be/],
  ["quotes", { hours: 24, agent: "a b" }, /filters.agent must be/],
  ["quotes", { hours: 24, agent: "x".repeat(129) }, /filters.agent must be/],
  ["quotes", { hours: 24, agent: "ann;hours=1" }, /filters.agent must be/],
  ["performance", { hours: 24, state: "TX" }, /the performance dashboard takes no state filter \(its filters: hours\)/],
  ["performance", { hours: 24, agent: "ann" }, /takes no agent filter/],
  ["quotes", { hours: 24, region: "west" }, /unknown filter "region" \(the quotes dashboard's filters: hours, state, agent\)/],
]) {
  test(`dashboard(${JSON.stringify(name)}, ${JSON.stringify(filters)?.slice(0, 60)}) is refused before anything is sent`, async () => {
    assert.throws(() => dashboardRoom(name, filters), (err) => err.code === "INVALID_ARGUMENT" && what.test(err.message));
    const h = harness();
    h.client.connect();
    const ws = await h.connectOpen();
    await assert.rejects(h.client.dashboard(name, filters, () => {}), (err) => {
      assert.ok(err instanceof RealtimeError);
      assert.equal(err.code, "INVALID_ARGUMENT");
      assert.match(err.message, what);
      assert.equal(err.action, "Fix the call; see docs/client.md.");
      return true;
    });
    assert.equal(ws.sent.length, 0);
  });
}

test("dashboard() without an onChange function is refused", async () => {
  const h = harness();
  await assert.rejects(h.client.dashboard("quotes", { hours: 24 }), { code: "INVALID_ARGUMENT", message: "onChange must be a function" });
});

// ------------------------------------------------------------------------------ merge patch

test("merge patch: null removes a member, objects merge recursively, arrays and scalars replace", () => {
  const target = { a: { b: 1, c: { d: 2, e: 3 } }, list: [1, 2, 3], keep: "k", gone: 1 };
  const patch = { a: { b: null, c: { e: 4, f: { g: 5 } } }, list: [9], gone: null, missing: null, n: 0 };
  assert.deepEqual(mergePatch(target, patch), { a: { c: { d: 2, e: 4, f: { g: 5 } } }, list: [9], keep: "k", n: 0 });
  assert.deepEqual(target, { a: { b: 1, c: { d: 2, e: 3 } }, list: [1, 2, 3], keep: "k", gone: 1 }, "the target is unchanged");
});

// The examples of RFC 7386, appendix A.
for (const [original, patch, result] of [
  [{ a: "b" }, { a: "c" }, { a: "c" }],
  [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  [{ a: "b" }, { a: null }, {}],
  [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
  [{ a: ["b"] }, { a: "c" }, { a: "c" }],
  [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
  [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  [["a", "b"], ["c", "d"], ["c", "d"]],
  [{ a: "b" }, ["c"], ["c"]],
  [{ a: "foo" }, null, null],
  [{ a: "foo" }, "bar", "bar"],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: "b", c: null }, { a: "b" }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]) {
  test(`RFC 7386 A: ${JSON.stringify(original)} + ${JSON.stringify(patch)} = ${JSON.stringify(result)}`, () => {
    assert.deepEqual(mergePatch(original, patch), result);
  });
}

test("merge patch: a member named __proto__ stays a member and does not change the prototype", () => {
  const patched = mergePatch({}, JSON.parse('{"__proto__": {"polluted": 1}}'));
  assert.equal(Object.getPrototypeOf(patched), Object.prototype);
  assert.equal(patched.polluted, undefined);
  assert.deepEqual(Object.keys(patched), ["__proto__"]);
  assert.equal({}.polluted, undefined);
});

test("merge patch: hour keys leaving and entering the window (the quotes timeline)", () => {
  const state = { timeline: { "2026-11-30T06:00:00Z": 5, "2026-11-30T07:00:00Z": 9 } };
  const patch = { timeline: { "2026-11-30T06:00:00Z": null, "2026-11-30T08:00:00Z": 0 } };
  assert.deepEqual(mergePatch(state, patch), { timeline: { "2026-11-30T07:00:00Z": 9, "2026-11-30T08:00:00Z": 0 } });
});
