import { test } from "node:test";
import assert from "node:assert/strict";
import { RealtimeError } from "../../main/webapp/js/pdprime-realtime.js";
import { harness } from "./fakes.mjs";

async function open(options) {
  const h = harness(options);
  h.client.connect();
  const ws = await h.connectOpen();
  return { ...h, ws };
}

test("request resolves with the ok frame's data; ping with the pong's ts", async () => {
  const h = await open();
  const p = h.client.request("future.command", { field: 1 });
  const cmd = h.ws.lastFrame();
  assert.deepEqual(cmd, { field: 1, id: cmd.id, type: "future.command" });
  h.ws.ok(cmd, { answer: 42 });
  assert.deepEqual(await p, { answer: 42 });
  const ping = h.client.ping();
  h.ws.receive({ type: "pong", replyTo: h.ws.lastFrame().id, ts: 1764000000123 });
  assert.deepEqual(await ping, { ts: 1764000000123 });
});

test("an error frame rejects with a RealtimeError carrying code, message, action and replyTo", async () => {
  const h = await open();
  const p = h.client.request("nope");
  const id = h.ws.lastFrame().id;
  h.ws.receive({
    type: "error",
    code: "UNKNOWN_TYPE",
    message: "unknown type nope",
    action: "Use one of the command types listed in docs/protocol.md.",
    replyTo: id,
  });
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof RealtimeError);
    assert.ok(err instanceof Error);
    assert.equal(err.code, "UNKNOWN_TYPE");
    assert.equal(err.message, "unknown type nope");
    assert.equal(err.action, "Use one of the command types listed in docs/protocol.md.");
    assert.equal(err.replyTo, id);
    return true;
  });
});

test("an error frame with replyTo null is reported on the 'error' event", async () => {
  const h = await open();
  h.ws.receive({ type: "error", code: "MALFORMED_JSON", message: "m", action: "a", replyTo: null });
  assert.equal(h.errors.at(-1).code, "MALFORMED_JSON");
  assert.equal(h.client.state, "open");
});

test("every command gets a unique id, across reconnects", async () => {
  const h = await open({ random: () => 0 });
  for (let i = 0; i < 20; i++) h.client.request("ping").catch(() => {});
  h.client.subscribe("user:alice", () => {});
  h.ws.serverClose(1001, "bye");
  await h.clock.advance(0);
  const ws2 = await h.connectOpen();
  for (let i = 0; i < 5; i++) h.client.request("ping").catch(() => {});
  const ids = [...h.ws.frames(), ...ws2.frames()].map((f) => f.id);
  assert.equal(ids.length, 27);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(typeof id === "string" && id.length >= 1 && id.length <= 64);
});

test("TIMEOUT when no reply arrives in time; a late reply is ignored quietly", async () => {
  const h = await open();
  const p = h.client.request("ping", {}, { timeoutMs: 3000 });
  const id = h.ws.lastFrame().id;
  await h.clock.advance(2999);
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  await h.clock.advance(0);
  assert.equal(settled, false);
  await h.clock.advance(1);
  await assert.rejects(p, (err) => err.code === "TIMEOUT" && err.sent === true && err.id === id && err.action.length > 0);
  h.ws.receive({ type: "pong", replyTo: id, ts: 1 });
  assert.equal(h.errors.length, 0);
});

test("the default request timeout is 10 s and also covers time spent queued", async () => {
  const h = harness({ connectTimeoutMs: 60000 });
  h.client.connect();
  const outcome = h.client.request("ping").then(
    () => null,
    (err) => err,
  );
  await h.clock.advance(9999);
  assert.equal(h.client.state, "connecting"); // never opened: still queued
  await h.clock.advance(1);
  const err = await outcome;
  assert.equal(err.code, "TIMEOUT");
  assert.equal(err.sent, false);
  await h.connectOpen();
  assert.equal(h.socket().sent.length, 0, "a timed-out queued command is never sent");
});

test("commands issued while not open are queued up to maxQueue, then QUEUE_FULL", async () => {
  const h = harness({ requestTimeoutMs: 600000 });
  h.client.connect();
  const accepted = [];
  for (let i = 0; i < 100; i++) accepted.push(h.client.request("cmd", { n: i }));
  await assert.rejects(h.client.request("cmd", { n: 100 }), (err) => {
    assert.equal(err.code, "QUEUE_FULL");
    assert.match(err.message, /maxQueue 100/);
    assert.ok(err.action.length > 0);
    return true;
  });
  const ws = await h.connectOpen();
  // Flushed in order, paced: a burst of 30, then 15 per second.
  assert.equal(ws.sent.length, 30);
  await h.clock.advance(1000);
  assert.equal(ws.sent.length, 44); // one every 67 ms
  await h.clock.advance(5000);
  assert.deepEqual(
    ws.frames().map((f) => f.n),
    Array.from({ length: 100 }, (_, i) => i),
  );
  for (const f of ws.frames()) ws.ok(f, { n: f.n });
  assert.deepEqual((await Promise.all(accepted)).map((d) => d.n), Array.from({ length: 100 }, (_, i) => i));
});

test("a smaller maxQueue is honoured while reconnecting", async () => {
  const h = await open({ maxQueue: 2 });
  h.ws.serverClose(1006, "");
  const a = h.client.request("ping");
  const b = h.client.request("ping");
  await assert.rejects(h.client.request("ping"), { code: "QUEUE_FULL" });
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  assert.equal(ws2.framesOfType("ping").length, 2);
  for (const f of ws2.frames()) ws2.receive({ type: "pong", replyTo: f.id, ts: 1 });
  await Promise.all([a, b]);
});

test("a command sent before the connection dropped is rejected with CONNECTION_LOST", async () => {
  const h = await open();
  const p = h.client.request("ping");
  h.ws.fail();
  await assert.rejects(p, (err) => err.code === "CONNECTION_LOST" && err.closeCode === 1006);
});

test("frames holding several JSON objects separated by \\n are split before parsing", async () => {
  const h = harness();
  h.client.connect();
  await h.clock.advance(0);
  const ws = h.socket();
  ws.open();
  const p = h.client.request("ping");
  const s = h.client.subscribe("user:alice", (e) => got.push(e.seq));
  const got = [];
  ws.receive({ type: "welcome", connectionId: "c", subject: "alice", heartbeatMs: 25000 });
  const [sub, ping] = ws.frames();
  // One text frame: ok, pong, two events, and an error for an unknown id in the middle.
  ws.receive(
    { type: "ok", replyTo: sub.id, data: { room: "user:alice", epoch: "e", seq: 0 } },
    { type: "pong", replyTo: ping.id, ts: 99 },
    { type: "event", room: "user:alice", name: "n", epoch: "e", seq: 1, ts: 1, data: {} },
    { type: "event", room: "user:alice", name: "n", epoch: "e", seq: 2, ts: 2, data: { text: "line1\nline2" } },
  );
  assert.deepEqual(await p, { ts: 99 });
  assert.equal((await s).epoch, "e");
  assert.deepEqual(got, [1, 2]);
  assert.equal(h.errors.length, 0);
});

test("a part that is not JSON is reported; the other parts are still handled", async () => {
  const h = await open();
  const p = h.client.request("ping");
  h.ws.receive("{not json", { type: "pong", replyTo: h.ws.lastFrame().id, ts: 7 });
  assert.deepEqual(await p, { ts: 7 });
  assert.equal(h.errors[0].code, "SERVER_FRAME_INVALID");
});

test("a command larger than maxFrameBytes is refused locally (the server would close with 1009)", async () => {
  const h = await open();
  await assert.rejects(h.client.request("big", { text: "é".repeat(40000) }), { code: "FRAME_TOO_LARGE" });
  assert.equal(h.client.state, "open");
  assert.equal(h.ws.sent.length, 0);
});

test("argument errors are explicit", async () => {
  const h = await open();
  await assert.rejects(h.client.request("subscribe", { room: "user:a" }), { code: "INVALID_ARGUMENT" });
  await assert.rejects(h.client.request("x", { id: "mine" }), { code: "INVALID_ARGUMENT" });
  await assert.rejects(h.client.request(""), { code: "INVALID_ARGUMENT" });
  await assert.rejects(h.client.subscribe("user:a"), { code: "INVALID_ARGUMENT" });
  await assert.rejects(h.client.subscribe("user:a", () => {}, { since: { epoch: 1, seq: 0 } }), {
    code: "INVALID_ARGUMENT",
  });
});

test("sends are paced below the server's rate limit (burst 30, then 15/s)", async () => {
  const h = await open();
  for (let i = 0; i < 40; i++) h.client.request("ping", {}, { timeoutMs: 60000 }).catch(() => {});
  assert.equal(h.ws.sent.length, 30);
  await h.clock.advance(67);
  assert.equal(h.ws.sent.length, 31);
  await h.clock.advance(600);
  assert.equal(h.ws.sent.length, 40);
});

test("an error frame's details object is kept on the error", async () => {
  const h = await open();
  const p = h.client.request("edit", { room: "quote:x", field: "premium", value: 1, version: 3 });
  h.ws.receive({ type: "error", code: "CONFLICT", message: "m", action: "a", replyTo: h.ws.lastFrame().id, details: { version: 4 } });
  await assert.rejects(p, (err) => err.code === "CONFLICT" && err.details.version === 4);
});
