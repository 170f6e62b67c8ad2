import { test } from "node:test";
import assert from "node:assert/strict";
import { jwtExpiryMs } from "../../main/webapp/js/pdprime-realtime.js";
import { FakeClock, harness } from "./fakes.mjs";

const START = 1_700_000_000_000;
// The fake server answers no pings: keep application pings out of these minutes-long tests.
const QUIET = { pingIntervalMs: 3_600_000 };

/** An unsigned token whose payload carries `exp` (the client only reads it, the server verifies). */
function tokenExpiringAt(ms, n = 1) {
  const payload = Buffer.from(JSON.stringify({ sub: "alice", exp: Math.floor(ms / 1000), n })).toString("base64url");
  return `header.${payload}.sig`;
}

test("jwtExpiryMs reads exp, and gives null for a token it cannot read", () => {
  assert.equal(jwtExpiryMs(tokenExpiringAt(START + 120_000)), START + 120_000);
  assert.equal(jwtExpiryMs("not-a-jwt"), null);
  assert.equal(jwtExpiryMs("a.b.c"), null);
});

test("the token is refreshed over the open socket a minute before it expires", async () => {
  const clock = new FakeClock(START);
  let issued = 0;
  const calls = [];
  const h = harness({
    ...QUIET,
    clock,
    tokenProvider: async (ctx) => {
      calls.push(ctx);
      issued++;
      return tokenExpiringAt(clock.now() + 300_000, issued);
    },
  });
  let refreshed = null;
  h.client.on("token-refreshed", (data) => (refreshed = data));
  h.client.connect();
  const ws = await h.connectOpen();
  await clock.advance(239_000);
  assert.equal(ws.framesOfType("refresh").length, 0, "not before exp - 60 s");
  await clock.advance(2_000);
  assert.deepEqual(calls.at(-1), { forceRefresh: true, reason: "expiring" });
  const command = ws.framesOfType("refresh").at(-1);
  assert.ok(command, "a refresh command was sent");
  assert.equal(jwtExpiryMs(command.token), START + 240_000 + 300_000);
  ws.ok(command, { expiresAt: "later", revoked: [] });
  await clock.advance(0);
  assert.deepEqual(refreshed, { expiresAt: "later", revoked: [] });
  assert.equal(h.WS.sockets.length, 1, "no reconnect was needed");
});

test("a short-lived token is refreshed at half its remaining life", async () => {
  const clock = new FakeClock(START);
  const h = harness({ ...QUIET, clock, tokenProvider: async () => tokenExpiringAt(clock.now() + 40_000) });
  h.client.connect();
  const ws = await h.connectOpen();
  await clock.advance(19_000);
  assert.equal(ws.framesOfType("refresh").length, 0);
  await clock.advance(2_000);
  assert.equal(ws.framesOfType("refresh").length, 1);
});

test("a refused refresh is reported; the client keeps the connection until the server's 4001", async () => {
  const clock = new FakeClock(START);
  const h = harness({ ...QUIET, clock, tokenProvider: async () => tokenExpiringAt(clock.now() + 120_000) });
  h.client.connect();
  const ws = await h.connectOpen();
  await clock.advance(61_000);
  const command = ws.framesOfType("refresh").at(-1);
  ws.receive({ type: "error", code: "TOKEN_REJECTED", message: "EXPIRED: expired", action: "Get a fresh token", replyTo: command.id });
  await clock.advance(0);
  assert.equal(h.errors.at(-1).code, "TOKEN_REJECTED");
  assert.equal(h.client.state, "open");
});

test("a refresh refused SERVER_BUSY or RATE_LIMITED is sent again with the same token after 1-2 s", async () => {
  const clock = new FakeClock(START);
  let issued = 0;
  const h = harness({
    ...QUIET,
    clock,
    random: () => 0.5,
    tokenProvider: async () => tokenExpiringAt(clock.now() + 120_000, ++issued),
  });
  let refreshed = null;
  h.client.on("token-refreshed", (data) => (refreshed = data));
  h.client.connect();
  const ws = await h.connectOpen();
  await clock.advance(61_000);
  const first = ws.framesOfType("refresh").at(-1);
  for (const code of ["SERVER_BUSY", "RATE_LIMITED"]) {
    const sent = ws.framesOfType("refresh").at(-1);
    ws.receive({ type: "error", code, message: "not carried out", action: "Send it again", replyTo: sent.id });
    await clock.advance(1_400);
    assert.equal(ws.framesOfType("refresh").at(-1).id, sent.id, `${code}: not sent again before 1.5 s`);
    await clock.advance(200);
    const again = ws.framesOfType("refresh").at(-1);
    assert.notEqual(again.id, sent.id, `${code}: sent again`);
    assert.equal(again.token, first.token, "the token already fetched");
  }
  assert.equal(h.errors.length, 0, "nothing to report while it is being sent again");
  ws.ok(ws.framesOfType("refresh").at(-1), { expiresAt: "later", revoked: [] });
  await clock.advance(0);
  assert.deepEqual(refreshed, { expiresAt: "later", revoked: [] });
  assert.equal(issued, 2, "one token for the connection, one for the refresh");
});

test("a revoked room is no longer tracked and the application hears why", async () => {
  const h = harness();
  h.client.connect();
  const ws = await h.connectOpen();
  const subscribed = h.client.subscribe("quote:q1", () => {});
  const command = ws.framesOfType("subscribe").at(-1);
  ws.ok(command, { room: "quote:q1", epoch: "e1", seq: 0 });
  await subscribed;
  const revocations = [];
  h.client.on("revoked", (f) => revocations.push(f));
  ws.receive({ type: "revoked", room: "quote:q1", code: "FORBIDDEN_ROOM", reason: "no longer granted" });
  assert.equal(revocations.length, 1);
  assert.equal(revocations[0].reason, "no longer granted");
  ws.serverClose(1001, "restart");
  await h.clock.advance(30_000);
  const again = await h.connectOpen();
  assert.equal(again.framesOfType("subscribe").length, 0, "a revoked room is not resubscribed");
});
