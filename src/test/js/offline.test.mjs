import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeWindow, harness } from "./fakes.mjs";

test("browser offline: the socket is closed, state offline, no attempts until online", async () => {
  const win = new FakeWindow(true);
  const h = harness({ window: win, random: () => 0.5 });
  h.client.connect();
  assert.equal(win.count("offline"), 1);
  const ws = await h.connectOpen();
  const pending = h.client.request("ping");
  win.dispatch("offline");
  assert.equal(h.client.state, "offline");
  assert.equal(ws.closedWith.code, 4000);
  await assert.rejects(pending, { code: "CONNECTION_LOST" });
  const queued = h.client.request("ping", {}, { timeoutMs: 600000 });
  await h.clock.advance(300000);
  assert.equal(h.WS.sockets.length, 1, "no reconnect attempts while offline");
  win.dispatch("online");
  assert.equal(h.client.state, "reconnecting");
  await h.clock.advance(h.states.at(-1).delayMs);
  const ws2 = await h.connectOpen();
  assert.equal(h.client.state, "open");
  ws2.receive({ type: "pong", replyTo: ws2.lastFrame().id, ts: 3 });
  assert.deepEqual(await queued, { ts: 3 });
  assert.deepEqual(
    h.states.map((s) => s.state),
    ["connecting", "open", "offline", "reconnecting", "connecting", "open"],
  );
});

test("offline while waiting to reconnect cancels the attempt", async () => {
  const win = new FakeWindow(true);
  const h = harness({ window: win });
  h.client.connect();
  const ws = await h.connectOpen();
  ws.serverClose(1001, "bye");
  assert.equal(h.client.state, "reconnecting");
  win.dispatch("offline");
  assert.equal(h.client.state, "offline");
  await h.clock.advance(60000);
  assert.equal(h.WS.sockets.length, 1);
});

test("navigator.onLine false at connect() starts offline", async () => {
  const win = new FakeWindow(false);
  const h = harness({ window: win });
  h.client.connect();
  assert.equal(h.client.state, "offline");
  assert.equal(h.WS.sockets.length, 0);
  win.dispatch("online");
  await h.clock.advance(1000);
  assert.equal(h.WS.sockets.length, 1);
});

test("close() removes the window listeners", async () => {
  const win = new FakeWindow(true);
  const h = harness({ window: win });
  h.client.connect();
  h.client.close();
  assert.equal(win.count("offline"), 0);
  assert.equal(win.count("online"), 0);
});
