import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, DEFAULTS } from "../../main/webapp/js/pdprime-realtime.js";
import { FakeClock, harness, seededRandom } from "./fakes.mjs";

test("backoffDelay is random() * min(cap, base * factor^attempt)", () => {
  assert.equal(DEFAULTS.backoffBaseMs, 500);
  assert.equal(DEFAULTS.backoffFactor, 2);
  assert.equal(DEFAULTS.backoffCapMs, 20000);
  const top = () => 0.999999;
  const windows = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000];
  windows.forEach((w, attempt) => {
    assert.ok(Math.abs(backoffDelay(attempt, {}, top) - w * 0.999999) < 1e-6, `attempt ${attempt}`);
    assert.equal(backoffDelay(attempt, {}, () => 0), 0);
  });
  assert.equal(backoffDelay(3, { backoffBaseMs: 100, backoffFactor: 3, backoffCapMs: 1e6 }, () => 0.5), 1350);
});

test("reconnect delays follow the backoff schedule on a fake clock", async () => {
  const h = harness({ random: () => 0.5 });
  h.client.connect();
  const expected = [250, 500, 1000, 2000, 4000, 8000, 10000, 10000];
  for (const delay of expected) {
    await h.clock.advance(0);
    const sockets = h.WS.sockets.length;
    h.socket().fail(); // handshake refused or network down: 1006 before open
    const ev = h.states.at(-1);
    assert.equal(ev.state, "reconnecting");
    assert.equal(ev.delayMs, delay);
    assert.equal(ev.code, 1006);
    await h.clock.advance(delay - 1);
    assert.equal(h.WS.sockets.length, sockets, `no attempt before ${delay} ms`);
    await h.clock.advance(1);
    assert.equal(h.WS.sockets.length, sockets + 1, `attempt at ${delay} ms`);
    assert.equal(h.client.state, "connecting");
  }
});

test("the attempt counter resets only after a connection stayed open for stableAfterMs (10 s)", async () => {
  const h = harness({ random: () => 0.5 });
  h.client.connect();
  let ws = await h.connectOpen();
  await h.clock.advance(9000); // not stable yet
  ws.serverClose(1001, "server shutting down; reconnect and resume");
  assert.equal(h.states.at(-1).delayMs, 250);
  await h.clock.advance(250);
  ws = await h.connectOpen();
  await h.clock.advance(9999);
  ws.serverClose(4008, "slow consumer");
  assert.equal(h.states.at(-1).delayMs, 500, "second short-lived connection backs off further");
  await h.clock.advance(500);
  ws = await h.connectOpen();
  await h.clock.advance(10000); // stable: counter resets
  assert.equal(h.client.attempt, 0);
  ws.serverClose(1001, "bye");
  assert.equal(h.states.at(-1).delayMs, 250);
});

function bucketCounts(delays, windowMs, buckets) {
  const counts = new Array(buckets).fill(0);
  for (const d of delays) counts[Math.floor((d / windowMs) * buckets)]++;
  return counts;
}

test("acceptance: 1,000 clients dropped at once spread their first retry over [0, 500 ms)", async () => {
  const clock = new FakeClock();
  const random = seededRandom(20251124);
  const clients = [];
  for (let i = 0; i < 1000; i++) {
    const h = harness({ clock, random });
    h.client.connect();
    clients.push(h);
  }
  await clock.advance(0);
  for (const h of clients) {
    h.socket().open();
    h.socket().welcome();
  }
  await clock.advance(10000); // every connection is stable: attempt counters are 0
  const droppedAt = clock.now();
  for (const h of clients) h.socket().serverClose(1001, "server shutting down; reconnect and resume");

  // The delay each client announced, and the moment each really opened its next socket.
  const announced = clients.map((h) => h.states.at(-1).delayMs);
  const retriedAt = new Array(clients.length).fill(null);
  clients.forEach((h, i) => {
    const original = h.WS.sockets.length;
    h.client.on("connecting", () => {
      if (retriedAt[i] === null && h.WS.sockets.length === original) retriedAt[i] = clock.now() - droppedAt;
    });
  });
  await clock.advance(1000);
  assert.ok(retriedAt.every((t) => t !== null), "every client retried within the window");
  retriedAt.forEach((t, i) => assert.ok(Math.abs(t - announced[i]) < 0.01, `client ${i} retried when it said`));

  const min = Math.min(...retriedAt);
  const max = Math.max(...retriedAt);
  assert.ok(min >= 0 && min < 10, `earliest retry ${min} ms is near 0`);
  assert.ok(max < 500 && max > 490, `latest retry ${max} ms is near the end of the 500 ms window`);
  const counts = bucketCounts(retriedAt, 500, 10);
  // Uniform: 100 expected per 50 ms bucket, sd ~9.5. Bunching would put most in one bucket.
  for (const [i, c] of counts.entries()) {
    assert.ok(c >= 70 && c <= 130, `bucket ${i * 50}-${i * 50 + 50} ms has ${c} retries: ${counts}`);
  }
  // No instant gets a herd: at most 1% of the clients in any 1 ms slot.
  const perMs = bucketCounts(retriedAt, 500, 500);
  assert.ok(Math.max(...perMs) <= 10, `largest 1 ms slot holds ${Math.max(...perMs)} clients`);
  console.log(`first-retry delays of 1000 clients, 50 ms buckets over [0, 500): ${counts.join(" ")}`);

  // The server is still down: every retry fails; the second retry spreads over [0, 1000 ms).
  const second = [];
  for (const h of clients) {
    h.socket().fail();
    second.push(h.states.at(-1).delayMs);
  }
  assert.ok(Math.min(...second) >= 0 && Math.max(...second) < 1000);
  const counts2 = bucketCounts(second, 1000, 10);
  for (const c of counts2) assert.ok(c >= 70 && c <= 130, `second-retry buckets ${counts2}`);
  for (const h of clients) h.client.close();
});

test("4029 waits at least rateLimitedDelayMs (20 s) before reconnecting", async () => {
  const h = harness({ random: () => 0.5 });
  h.client.connect();
  const ws = await h.connectOpen();
  ws.serverClose(4029, "rate limited");
  const ev = h.states.at(-1);
  assert.equal(ev.state, "reconnecting");
  assert.equal(ev.delayMs, 20000 + 250);
  await h.clock.advance(20249);
  assert.equal(h.WS.sockets.length, 1);
  await h.clock.advance(1);
  assert.equal(h.WS.sockets.length, 2);
});

test("gave-up after maxAttempts failed reconnects; connect() starts again", async () => {
  const h = harness({ random: () => 0, maxAttempts: 3 });
  h.client.connect();
  await h.clock.advance(0);
  const queued = h.client.request("ping");
  h.socket().fail(); // the first connect fails
  for (let i = 0; i < 3; i++) {
    await h.clock.advance(0);
    assert.equal(h.client.state, "connecting");
    h.socket().fail();
  }
  assert.equal(h.client.state, "gave-up");
  assert.equal(h.WS.sockets.length, 4, "one connect and three reconnects");
  await assert.rejects(queued, (err) => err.code === "GAVE_UP" && /connect\(\)/.test(err.action));
  await assert.rejects(h.client.request("ping"), { code: "GAVE_UP" });
  await h.clock.advance(600000);
  assert.equal(h.WS.sockets.length, 4, "nothing happens after gave-up");
  assert.deepEqual(
    h.states.map((s) => s.state),
    ["connecting", "reconnecting", "connecting", "reconnecting", "connecting", "reconnecting", "connecting", "gave-up"],
  );
  h.client.connect();
  await h.connectOpen();
  assert.equal(h.client.state, "open");
});

test("maxAttempts 0 gives up at the first loss", async () => {
  const h = harness({ maxAttempts: 0 });
  h.client.connect();
  const ws = await h.connectOpen();
  ws.serverClose(1001, "bye");
  assert.equal(h.client.state, "gave-up");
});

test("options are validated", () => {
  assert.throws(() => harness({ backoffBaseMs: -1 }), /backoffBaseMs/);
  assert.throws(() => harness({ maxQueue: "10" }), /maxQueue/);
  assert.throws(() => harness({ backoffCapMs: Infinity }), /backoffCapMs/);
  assert.doesNotThrow(() => harness({ maxAttempts: Infinity }));
});
