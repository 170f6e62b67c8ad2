import { test } from "node:test";
import assert from "node:assert/strict";
import { ENDPOINTS, realtimeUrl } from "../../main/webapp/js/pdprime-realtime.js";
import { harness } from "./fakes.mjs";

const page = (protocol) => ({ protocol, host: "console.example:8443" });

test("the two socket paths are the server's: /ws for everyone, /ws/admin for operators", () => {
  assert.deepEqual({ ...ENDPOINTS }, { users: "/ws", operators: "/ws/admin" });
  assert.ok(Object.isFrozen(ENDPOINTS));
});

test("realtimeUrl builds ws:// or wss:// from the page's scheme, for either endpoint", () => {
  assert.equal(realtimeUrl(ENDPOINTS.users, page("http:")), "ws://console.example:8443/ws");
  assert.equal(realtimeUrl(ENDPOINTS.operators, page("https:")), "wss://console.example:8443/ws/admin");
  assert.equal(realtimeUrl(undefined, page("https:")), "wss://console.example:8443/ws", "default: /ws");
  // Under a context root the page passes the full path.
  assert.equal(realtimeUrl("/realtime/ws/admin", page("http:")), "ws://console.example:8443/realtime/ws/admin");
});

test("realtimeUrl refuses a relative or missing path instead of guessing a root", () => {
  for (const bad of ["ws/admin", "", "admin", 42, null]) {
    assert.throws(() => realtimeUrl(bad, page("http:")), { name: "TypeError", message: /absolute path/ }, String(bad));
  }
  assert.throws(() => realtimeUrl(ENDPOINTS.operators, null), { name: "TypeError", message: /location/ });
});

test("a client given the operators' URL opens its socket there, with the same subprotocol and token entry", async () => {
  const h = harness({ url: realtimeUrl(ENDPOINTS.operators, page("http:")) });
  h.client.connect();
  const ws = await h.connectOpen();
  assert.equal(ws.url, "ws://console.example:8443/ws/admin");
  assert.deepEqual(ws.protocols, ["pdprime.realtime.v1", "bearer.header.payload1.sig"]);
  assert.equal(h.client.state, "open");
});
