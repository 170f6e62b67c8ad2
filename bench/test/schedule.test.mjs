// The open-loop schedule and the sustained verdict (lib/schedule.mjs). `npm test` in bench/.
import test from "node:test";
import assert from "node:assert/strict";
import { backlog, dueCount, intendedUs, verdict, windowOf } from "../lib/schedule.mjs";

test("publish i is intended at start + i/rate, independent of when earlier ones went out", () => {
  assert.equal(intendedUs(1_000_000, 0, 500), 1_000_000);
  assert.equal(intendedUs(1_000_000, 1, 500), 1_002_000);
  assert.equal(intendedUs(1_000_000, 1500, 500), 4_000_000);
  assert.equal(intendedUs(0, 1, 3), 333_333);
});

test("due count: everything whose intended time has come, never more than the phase holds", () => {
  assert.equal(dueCount(1_000_000, 999_999, 1000, 30_000), 0);
  assert.equal(dueCount(1_000_000, 1_000_000, 1000, 30_000), 1); // publish 0 is due at the start
  assert.equal(dueCount(1_000_000, 1_000_999, 1000, 30_000), 1);
  assert.equal(dueCount(1_000_000, 1_001_000, 1000, 30_000), 2);
  // A generator that slept through 250 ms owes 250 more publishes, not a shifted schedule.
  assert.equal(dueCount(0, 250_000, 1000, 30_000), 251);
  assert.equal(dueCount(0, 60_000_000, 1000, 30_000), 30_000);
});

test("a publish held back by the in-flight bound carries its wait in its latency", () => {
  // 1,000/s; the server answers nothing for 600 ms and the bound (512) is reached.
  const start = 0;
  const due = dueCount(start, 600_000, 1000, 30_000);
  const b = backlog(due, 512, 0);
  assert.deepEqual(b, { notSent: 89, unanswered: 512 });
  // Publish 512 goes out when the first answer frees a slot, at 650 ms; it was intended at 512 ms.
  const sentAt = 650_000;
  const deliveredAt = sentAt + 3_000; // 3 ms on the wire and in the server
  assert.equal(deliveredAt - intendedUs(start, 512, 1000), 141_000); // counted from the intended time
  assert.equal(deliveredAt - sentAt, 3_000); // what timestamping at the actual send would have shown
});

test("windows of the phase by intended time", () => {
  assert.equal(windowOf(5_000_000, 5_000_000, 10), 0);
  assert.equal(windowOf(5_000_000, 14_999_999, 10), 0);
  assert.equal(windowOf(5_000_000, 15_000_000, 10), 1);
  assert.equal(windowOf(5_000_000, 34_999_000, 10), 2);
});

test("sustained only with 98 % achieved, p99 under the bound in every window, no loss, >= 30 s", () => {
  const ok = { offered: 1000, achieved: 990, durationS: 30, p99: 40, windowP99s: [30, 40, 45], lost: 0 };
  assert.deepEqual(verdict(ok), { sustained: true, reasons: [] });
  assert.deepEqual(verdict({ ...ok, achieved: 979 }).reasons, ["achieved 979/s < 98 % of 1000/s"]);
  assert.deepEqual(verdict({ ...ok, p99: 50 }).reasons, ["p99 50 ms >= 50 ms"]);
  assert.deepEqual(verdict({ ...ok, windowP99s: [30, 40, 80] }).reasons, ["window 2 p99 80 ms >= 50 ms"]);
  assert.deepEqual(verdict({ ...ok, durationS: 10 }).reasons, ["phase 10 s < 30 s"]);
  assert.deepEqual(verdict({ ...ok, lost: 3 }).reasons, ["3 deliveries missing"]);
  assert.deepEqual(verdict({ ...ok, gaps: 1 }).reasons, ["seq gaps 1, duplicates or out of order 0"]);
  assert.deepEqual(verdict({ ...ok, abandoned: 7 }).reasons, ["7 publishes abandoned unsent"]);
  assert.equal(verdict({ ...ok, p99: null }).sustained, false); // nothing measured is not sustained
});
