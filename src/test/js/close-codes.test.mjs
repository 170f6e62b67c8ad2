import { test } from "node:test";
import assert from "node:assert/strict";
import { closeAction, SUBPROTOCOL } from "../../main/webapp/js/pdprime-realtime.js";
import { harness, settle } from "./fakes.mjs";

test("connects with the subprotocol and a bearer. entry holding the token", async () => {
  const h = harness();
  h.client.connect();
  assert.equal(h.client.state, "connecting");
  const ws = await h.connectOpen();
  assert.equal(ws.url, "ws://localhost:8080/ws");
  assert.deepEqual(ws.protocols, [SUBPROTOCOL, "bearer.header.payload1.sig"]);
  assert.equal(h.client.state, "open");
  assert.equal(h.client.connectionId, "conn-0");
  assert.equal(h.client.subject, "alice");
  assert.equal(h.tokenCalls.length, 1);
  assert.equal(h.tokenCalls[0].forceRefresh, false);
  assert.deepEqual(
    h.states.map((s) => s.state),
    ["connecting", "open"],
  );
});

test("closeAction maps every documented code", () => {
  assert.equal(closeAction(4003), "stop");
  assert.equal(closeAction(1008), "stop");
  assert.equal(closeAction(1009), "stop");
  assert.equal(closeAction(4001), "refresh-token");
  assert.equal(closeAction(4029), "rate-limited");
  for (const code of [1000, 1001, 1005, 1006, 1011, 4002, 4008, null, undefined, 4999]) {
    assert.equal(closeAction(code), "retry", String(code));
  }
});

for (const code of [4003, 4010, 1008, 1009]) {
  test(`${code}: no retry, state closed with the code and reason`, async () => {
    const h = harness();
    h.client.connect();
    const ws = await h.connectOpen();
    const pending = h.client.request("ping");
    ws.serverClose(code, "because");
    const ev = h.states.at(-1);
    assert.equal(ev.state, "closed");
    assert.equal(ev.code, code);
    assert.equal(ev.reason, "because");
    assert.equal(h.errors.at(-1).code, "SERVER_CLOSED");
    await assert.rejects(pending, { code: "CONNECTION_LOST" });
    await assert.rejects(h.client.request("ping"), { code: "CLOSED" });
    await h.clock.advance(10 * 60 * 1000);
    assert.equal(h.WS.sockets.length, 1, "never reconnects");
    assert.equal(h.tokenCalls.length, 1);
  });
}

test("4001: asks the token provider for a fresh token, then reconnects with it", async () => {
  const h = harness({ random: () => 0.5 });
  h.client.connect();
  const ws = await h.connectOpen();
  await h.clock.advance(5000);
  ws.serverClose(4001, "token expired at 2026-11-24T10:00:00Z");
  assert.equal(h.client.state, "reconnecting");
  assert.equal(h.states.at(-1).code, 4001);
  await h.clock.advance(250);
  assert.equal(h.tokenCalls.length, 2);
  assert.equal(h.tokenCalls[1].forceRefresh, true);
  assert.equal(h.tokenCalls[1].lastClose.code, 4001);
  const ws2 = h.socket();
  assert.deepEqual(ws2.protocols, [SUBPROTOCOL, "bearer.header.payload2.sig"]);
  await h.connectOpen();
  assert.equal(h.client.state, "open");
});

for (const code of [1001, 1006, 1011, 4002, 4008, 1000]) {
  test(`${code}: retries with jitter and calls the token provider on every connect`, async () => {
    const h = harness({ random: () => 0.2 });
    h.client.connect();
    const ws = await h.connectOpen();
    await h.clock.advance(15000);
    if (code === 1006) ws.fail();
    else ws.serverClose(code, "x");
    const ev = h.states.at(-1);
    assert.equal(ev.state, "reconnecting");
    assert.equal(ev.code, code);
    assert.equal(ev.delayMs, 100); // 0.2 * 500
    await h.clock.advance(100);
    assert.equal(h.WS.sockets.length, 2);
    assert.equal(h.tokenCalls.length, 2);
    assert.equal(h.tokenCalls[1].forceRefresh, false, "the previous connection was accepted");
    await h.connectOpen();
    assert.equal(h.client.state, "open");
    assert.equal(h.states.at(-1).reconnected, true);
  });
}

test("a socket that fails before its welcome (refused handshake) gets a fresh token next time", async () => {
  const h = harness({ random: () => 0 });
  h.client.connect();
  await settle();
  h.socket().fail();
  await h.clock.advance(0);
  assert.equal(h.tokenCalls[1].forceRefresh, true);
});

test("a failing token provider is an error event and a retry with backoff", async () => {
  let calls = 0;
  const h = harness({
    random: () => 0.5,
    tokenProvider: async () => {
      calls++;
      if (calls === 1) throw new Error("IdP unreachable");
      return "a.b.c";
    },
  });
  h.client.connect();
  await settle();
  assert.equal(h.errors[0].code, "TOKEN_PROVIDER_FAILED");
  assert.match(h.errors[0].message, /IdP unreachable/);
  assert.equal(h.client.state, "reconnecting");
  await h.clock.advance(250);
  assert.equal(calls, 2);
  assert.deepEqual(h.socket().protocols, [SUBPROTOCOL, "bearer.a.b.c"]);
});

test("a token that is not a string is a terminal error, not a silent retry", async () => {
  const h = harness({ tokenProvider: async () => undefined });
  h.client.connect();
  await settle();
  assert.equal(h.client.state, "closed");
  assert.equal(h.errors[0].code, "TOKEN_INVALID");
  assert.equal(h.WS.sockets.length, 0);
});

test("close() closes with 1000, rejects pending commands and never reconnects", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const pending = h.client.request("ping");
  const sub = h.client.subscribe("user:alice", () => {});
  h.client.close("user signed out");
  assert.deepEqual(ws.closedWith, { code: 1000, reason: "user signed out" });
  assert.equal(h.client.state, "closed");
  assert.equal(h.states.at(-1).byClient, true);
  await assert.rejects(pending, { code: "CLOSED" });
  await assert.rejects(sub, { code: "CLOSED" });
  await h.clock.advance(600000);
  assert.equal(h.WS.sockets.length, 1);
  assert.deepEqual(h.client.rooms(), []);
});

test("a server that picks another subprotocol is refused explicitly", async () => {
  const h = harness();
  h.client.connect();
  await settle();
  const ws = h.socket();
  ws.readyState = 1;
  ws.protocol = "other";
  ws.onopen({});
  assert.equal(h.client.state, "closed");
  assert.equal(h.errors[0].code, "SUBPROTOCOL_MISMATCH");
});

test("server-side terminal close keeps confirmed rooms so connect() resumes them", async () => {
  const h = harness();
  h.client.connect();
  let ws = await h.connectOpen();
  const sub = h.client.subscribe("user:alice", () => {});
  ws.ok(ws.lastFrame(), { room: "user:alice", epoch: "e1", seq: 7 });
  await sub;
  ws.serverClose(4003, "forbidden");
  assert.deepEqual(h.client.position("user:alice"), { epoch: "e1", seq: 7 });
  h.client.connect();
  ws = await h.connectOpen();
  assert.deepEqual(ws.lastFrame().since, { epoch: "e1", seq: 7 });
});

test("close() while the token is being fetched: no socket is opened afterwards", async () => {
  let release;
  const h = harness({ tokenProvider: () => new Promise((r) => (release = r)) });
  h.client.connect();
  h.client.close();
  release("a.b.c");
  await h.clock.advance(60000);
  assert.equal(h.WS.sockets.length, 0);
  assert.equal(h.client.state, "closed");
});

test("connect() while already active does nothing", async () => {
  const h = harness();
  h.client.connect();
  h.client.connect();
  await h.connectOpen();
  h.client.connect();
  await h.clock.advance(0);
  assert.equal(h.WS.sockets.length, 1);
  assert.equal(h.tokenCalls.length, 1);
});

test("a send that throws is handled as a lost connection", async () => {
  const h = harness({ random: () => 0 });
  h.client.connect();
  const ws = await h.connectOpen();
  ws.send = () => {
    throw new Error("broken pipe");
  };
  const p = h.client.request("ping");
  assert.equal(h.client.state, "reconnecting");
  assert.match(h.states.at(-1).reason, /broken pipe/);
  await h.clock.advance(0);
  const ws2 = await h.connectOpen();
  ws2.receive({ type: "pong", replyTo: ws2.lastFrame().id, ts: 1 });
  await p;
});
