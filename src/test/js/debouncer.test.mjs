import { test } from "node:test";
import assert from "node:assert/strict";
import { Debouncer } from "../../main/webapp/js/pdprime-realtime.js";
import { FakeClock } from "./fakes.mjs";

function setup(intervalMs) {
  const clock = new FakeClock(0);
  const calls = [];
  const d = new Debouncer((key, value) => calls.push({ t: clock.now(), key, value }), { clock, intervalMs });
  return { clock, calls, d };
}

test("the first call goes out at once; calls inside 500 ms collapse into one trailing call with the last value", async () => {
  const { clock, calls, d } = setup();
  assert.equal(d.call("premium", "a"), true);
  await clock.advance(100);
  assert.equal(d.call("premium", "ab"), false);
  await clock.advance(100);
  d.call("premium", "abc");
  assert.equal(d.pending("premium"), true);
  await clock.advance(299);
  assert.equal(calls.length, 1);
  await clock.advance(1);
  assert.deepEqual(calls, [
    { t: 0, key: "premium", value: "a" },
    { t: 500, key: "premium", value: "abc" },
  ]);
  assert.equal(d.pending("premium"), false);
});

test("at most one call per key per 500 ms under continuous typing, and keys are independent", async () => {
  const { clock, calls, d } = setup();
  for (let t = 0; t < 3000; t += 50) {
    d.call("field:a", t);
    d.call("field:b", t);
    await clock.advance(50);
  }
  await clock.advance(1000);
  for (const key of ["field:a", "field:b"]) {
    const times = calls.filter((c) => c.key === key).map((c) => c.t);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 500, `${key}: ${times}`);
    assert.ok(times.length >= 6 && times.length <= 7, `${key}: ${times.length} calls in 3 s`);
    assert.equal(calls.filter((c) => c.key === key).at(-1).value, 2950, "the last value is never lost");
  }
});

test("a call after a quiet interval goes out at once again", async () => {
  const { clock, calls, d } = setup();
  d.call("k", 1);
  await clock.advance(600);
  d.call("k", 2);
  assert.deepEqual(calls.map((c) => c.t), [0, 600]);
});

test("flush sends the waiting call now; cancel drops it", async () => {
  const { clock, calls, d } = setup();
  d.call("a", 1);
  d.call("a", 2);
  d.flush("a");
  assert.deepEqual(calls.map((c) => c.value), [1, 2]);
  d.call("b", 1);
  d.call("b", 2);
  d.cancel("b");
  await clock.advance(1000);
  assert.deepEqual(calls.map((c) => c.value), [1, 2, 1]);
});

test("the interval is configurable and validated", () => {
  assert.throws(() => new Debouncer(() => {}, { intervalMs: -1 }), /intervalMs/);
  assert.throws(() => new Debouncer("x"), /function/);
});
