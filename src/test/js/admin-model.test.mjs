// The admin console's page state (src/main/webapp/pages/admin-model.js): what the operator sees
// in the charts, the alert list, saved layouts and the disconnect form, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  InstanceSeries,
  MAX_REASON_BYTES,
  PANELS,
  alertOrder,
  laterAlert,
  layoutOf,
  panelsOf,
  reasonProblem,
} from "../../main/webapp/pages/admin-model.js";

const T0 = Date.parse("2026-11-30T09:00:00Z");
const at = (seconds) => new Date(T0 + seconds * 1000).toISOString();
const sample = (instance, seconds, connections) => ({ instance, at: at(seconds), connections });

test("the subscribe snapshot gives each instance its first point; live samples extend its own line", () => {
  const series = new InstanceSeries(60_000);
  const added = series.addSnapshot({ intervalMs: 2000, instances: { "node-2": sample("node-2", 1, 7), "node-1": sample("node-1", 0, 3) } });
  assert.equal(added, 2);
  assert.deepEqual(series.instances(), ["node-1", "node-2"], "sorted: stable colours and legend");
  series.add(sample("node-1", 2, 4));
  series.add(sample("node-2", 3, 8));
  const c = (s) => s.connections;
  assert.deepEqual(series.points("node-1", c, T0 + 3000), [{ x: T0, y: 3 }, { x: T0 + 2000, y: 4 }]);
  assert.deepEqual(series.points("node-2", c, T0 + 3000), [{ x: T0 + 1000, y: 7 }, { x: T0 + 3000, y: 8 }]);
  assert.equal(series.latest("node-2").sample.connections, 8);
});

test("a sample already seen (the snapshot repeats the last live one) is not drawn twice", () => {
  const series = new InstanceSeries(60_000);
  assert.equal(series.add(sample("node-1", 4, 5)), true);
  assert.equal(series.addSnapshot({ intervalMs: 2000, instances: { "node-1": sample("node-1", 4, 5) } }), 0);
  assert.equal(series.add(sample("node-1", 2, 1)), false, "older than the last: out of order");
  assert.equal(series.points("node-1", (s) => s.connections, T0 + 4000).length, 1);
});

test("the window rolls: points older than windowMs leave the line", () => {
  const series = new InstanceSeries(10_000);
  for (let s = 0; s <= 20; s += 2) series.add(sample("node-1", s, s));
  const ys = series.points("node-1", (x) => x.connections, T0 + 20_000).map((p) => p.y);
  assert.deepEqual(ys, [10, 12, 14, 16, 18, 20]);
  // Between samples the page redraws with a later `now`: the line shrinks from the left.
  assert.deepEqual(series.points("node-1", (x) => x.connections, T0 + 25_000).map((p) => p.y), [16, 18, 20]);
});

test("a sample without an instance or a readable time is refused, not drawn somewhere", () => {
  const series = new InstanceSeries(10_000);
  assert.throws(() => series.add({ at: at(0) }), TypeError);
  assert.throws(() => series.add({ instance: "node-1", at: "yesterday" }), /unreadable at/);
  assert.throws(() => series.addSnapshot({ intervalMs: 2000 }), TypeError);
  assert.throws(() => new InstanceSeries(0), RangeError);
});

const alert = (id, fields) => ({ id, type: "relay.down", source: "node-1", severity: "high", state: "open", occurrences: 1, raisedAt: at(id), lastSeenAt: at(id), resolvedAt: null, ...fields });

test("alerts: open ones first, the most severe first, then the newest; resolved ones last, newest first", () => {
  const list = [
    alert(1, { state: "resolved", resolvedAt: at(50) }),
    alert(2, { severity: "low" }),
    alert(3, { severity: "critical", state: "acknowledged" }),
    alert(4, { state: "resolved", resolvedAt: at(60) }),
    alert(5, { severity: "critical" }),
    alert(6, { severity: "medium" }),
  ];
  assert.deepEqual(list.sort(alertOrder).map((a) => a.id), [5, 3, 6, 2, 4, 1]);
});

test("alerts: whichever arrives last, the list keeps the later state of an alert", () => {
  const raised = alert(7, {});
  const repeated = alert(7, { occurrences: 3, lastSeenAt: at(30) });
  const acknowledged = alert(7, { state: "acknowledged", occurrences: 2 });
  const resolved = alert(7, { state: "resolved", resolvedAt: at(40) });
  assert.equal(laterAlert(undefined, raised), raised);
  assert.equal(laterAlert(raised, repeated), repeated);
  assert.equal(laterAlert(repeated, raised), repeated, "a stale list answer after a live repeat");
  assert.equal(laterAlert(acknowledged, repeated), acknowledged, "acknowledged stays acknowledged");
  assert.equal(laterAlert(resolved, acknowledged), resolved, "resolved is final");
  assert.throws(() => laterAlert(raised, alert(8, {})), /not alert 8/);
});

test("a saved layout lists the panels shown, top to bottom, as full-width widgets the server accepts", () => {
  const layout = layoutOf(["alerts", "system", "connections"]);
  assert.deepEqual(layout.widgets.map((w) => w.type), ["alerts", "system", "connections"]);
  for (const w of layout.widgets) {
    assert.deepEqual(Object.keys(w).sort(), ["h", "type", "w", "x", "y"]);
    assert.equal(w.x, 0);
    assert.equal(w.w, 12);
    assert.ok(w.h >= 1 && w.h <= 24);
  }
  assert.ok(layout.widgets[0].y < layout.widgets[1].y && layout.widgets[1].y < layout.widgets[2].y);
  assert.throws(() => layoutOf(["charts"]), /unknown panel charts/);
  assert.deepEqual(panelsOf(layoutOf(PANELS)).map((p) => p.type), [...PANELS], "round trip");
});

test("loading a layout shows its panels in its order (by y, then x), once each, with its titles", () => {
  const panels = panelsOf({
    widgets: [
      { type: "activity", x: 6, y: 4, w: 6, h: 4 },
      { type: "alerts", x: 0, y: 4, w: 6, h: 4, title: "On call" },
      { type: "system", x: 0, y: 0, w: 12, h: 4 },
      { type: "system", x: 0, y: 9, w: 12, h: 4 },
    ],
  });
  assert.deepEqual(panels, [
    { type: "system", title: null },
    { type: "alerts", title: "On call" },
    { type: "activity", title: null },
  ]);
  assert.deepEqual(panelsOf({ widgets: [] }), [], "an empty layout hides every panel");
  assert.throws(() => panelsOf({ widgets: [{ type: "map", x: 0, y: 0, w: 1, h: 1 }] }), /no panel map/);
  assert.throws(() => panelsOf({}), TypeError);
});

test("a disconnect reason must fit a close frame: non-blank, no control characters, at most 123 UTF-8 bytes", () => {
  assert.equal(reasonProblem("maintenance of node-1"), null);
  assert.match(reasonProblem(""), /Give a reason/);
  assert.match(reasonProblem("   "), /Give a reason/);
  assert.match(reasonProblem(undefined), /Give a reason/);
  assert.match(reasonProblem("two\nlines"), /control characters/);
  assert.match(reasonProblem("nel\u0085"), /control characters/);
  assert.match(reasonProblem("sep\u2028"), /control characters/);
  assert.equal(reasonProblem("x".repeat(MAX_REASON_BYTES)), null);
  assert.match(reasonProblem("x".repeat(MAX_REASON_BYTES + 1)), /124 bytes/);
  // 62 two-byte characters: 62 characters, 124 bytes.
  assert.match(reasonProblem("é".repeat(62)), /124 bytes/);
});
