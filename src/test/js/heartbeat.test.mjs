import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, settle } from "./fakes.mjs";

async function open(options, welcome) {
  const h = harness({ random: () => 0.5, ...options });
  h.client.connect();
  const ws = await h.connectOpen(welcome);
  return { ...h, ws };
}

function answerPings(ws) {
  for (const f of ws.framesOfType("ping")) {
    if (!ws.answered?.has(f.id)) {
      ws.answered = ws.answered ?? new Set();
      ws.answered.add(f.id);
      ws.receive({ type: "pong", replyTo: f.id, ts: 1 });
    }
  }
}

test("an application ping goes out every heartbeatMs of the welcome frame", async () => {
  const h = await open({}, { heartbeatMs: 1000 });
  assert.equal(h.client.heartbeatMs, 1000);
  await h.clock.advance(999);
  assert.equal(h.ws.framesOfType("ping").length, 0);
  await h.clock.advance(1);
  assert.equal(h.ws.framesOfType("ping").length, 1);
  answerPings(h.ws);
  for (let i = 0; i < 10; i++) {
    await h.clock.advance(1000);
    answerPings(h.ws);
  }
  assert.equal(h.ws.framesOfType("ping").length, 11);
  assert.equal(h.client.state, "open");
});

test("no frame within pongTimeoutMs after a ping: the connection is dead, closed and reconnected", async () => {
  const h = await open({}, { heartbeatMs: 25000 });
  await h.clock.advance(25000);
  assert.equal(h.ws.framesOfType("ping").length, 1);
  await h.clock.advance(9999);
  assert.equal(h.client.state, "open");
  await h.clock.advance(1);
  assert.equal(h.ws.closedWith.code, 4000);
  assert.match(h.ws.closedWith.reason, /HEARTBEAT_TIMEOUT/);
  const ev = h.states.at(-1);
  assert.equal(ev.state, "reconnecting");
  assert.match(ev.reason, /HEARTBEAT_TIMEOUT/);
  await h.clock.advance(ev.delayMs);
  assert.equal(h.WS.sockets.length, 2, "a new socket replaces the dead one without waiting for its close event");
});

test("any frame after the ping proves the connection alive, not only the pong", async () => {
  const h = await open({}, { heartbeatMs: 25000 });
  await h.clock.advance(25000);
  await h.clock.advance(5000);
  h.ws.receive({ type: "event", room: "user:x", name: "n", epoch: "e", seq: 1, ts: 1, data: {} });
  await h.clock.advance(20000);
  assert.equal(h.client.state, "open");
});

test("with pongs answered the connection stays open for an hour", async () => {
  const h = await open({}, { heartbeatMs: 25000 });
  for (let t = 0; t < 3600; t++) {
    await h.clock.advance(1000);
    answerPings(h.ws);
  }
  assert.equal(h.client.state, "open");
  assert.equal(h.WS.sockets.length, 1);
  assert.equal(h.ws.framesOfType("ping").length, 144);
});

test("pingIntervalMs overrides the welcome's heartbeatMs", async () => {
  const h = await open({ pingIntervalMs: 5000 }, { heartbeatMs: 25000 });
  await h.clock.advance(5000);
  assert.equal(h.ws.framesOfType("ping").length, 1);
});

test("a connection that gets no welcome within connectTimeoutMs is dropped and retried with a fresh token", async () => {
  const h = harness({ random: () => 0.5 });
  h.client.connect();
  await settle();
  h.socket().open(); // TCP/HTTP fine, but no welcome
  await h.clock.advance(9999);
  assert.equal(h.client.state, "connecting");
  await h.clock.advance(1);
  assert.match(h.states.at(-1).reason, /CONNECT_TIMEOUT/);
  assert.equal(h.states.at(-1).state, "reconnecting");
  await h.clock.advance(250);
  assert.equal(h.tokenCalls[1].forceRefresh, true);
});

test("a token provider that never answers is covered by connectTimeoutMs", async () => {
  let calls = 0;
  const h = harness({
    random: () => 0,
    tokenProvider: () => {
      calls++;
      return calls === 1 ? new Promise(() => {}) : Promise.resolve("t.t.t");
    },
  });
  h.client.connect();
  await h.clock.advance(10000);
  assert.equal(calls, 2);
  assert.equal(h.WS.sockets.length, 1);
});
