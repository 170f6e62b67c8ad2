// The admin console's state, without the DOM (so node tests can drive it): the rolling window of
// samples per instance, the alert list's order and merge, saved layouts <-> panels shown, and the
// check of a disconnect reason. pages/admin.js renders it.

/** The console's panels, in their default order (the widget types of a saved layout). */
export const PANELS = Object.freeze(["system", "performance", "alerts", "activity", "connections"]);

/** Height (grid rows) each panel is saved with; the console stacks panels full width. */
const PANEL_ROWS = Object.freeze({ system: 8, performance: 6, alerts: 4, activity: 4, connections: 6 });

/** The server closes with the reason in the close frame, which RFC 6455 caps at 123 UTF-8 bytes. */
export const MAX_REASON_BYTES = 123;

/**
 * Samples of one stream (admin:system or admin:performance), per instance, for the last windowMs.
 * A sample is kept at its own `at` (the instance's clock), so instances that report at different
 * moments each draw their own line. The subscribe reply's snapshot gives the first point.
 */
export class InstanceSeries {
  constructor(windowMs) {
    if (!(windowMs > 0)) throw new RangeError("windowMs must be > 0");
    this.windowMs = windowMs;
    this._byInstance = new Map(); // id -> [{t, sample}], oldest first
  }

  /** Adds one sample; false if it is not newer than that instance's last one (a repeat). */
  add(sample) {
    if (!sample || typeof sample.instance !== "string" || typeof sample.at !== "string") {
      throw new TypeError("a sample needs {instance, at}");
    }
    const t = Date.parse(sample.at);
    if (Number.isNaN(t)) throw new TypeError(`sample of ${sample.instance} has an unreadable at: ${sample.at}`);
    let points = this._byInstance.get(sample.instance);
    if (!points) this._byInstance.set(sample.instance, (points = []));
    if (points.length > 0 && points[points.length - 1].t >= t) return false;
    points.push({ t, sample });
    this._trim(points, t);
    return true;
  }

  /** Adds every instance's sample of a snapshot {intervalMs, instances: {id: sample}}. */
  addSnapshot(snapshot) {
    if (!snapshot || typeof snapshot.instances !== "object" || snapshot.instances === null) {
      throw new TypeError("a snapshot needs {instances}");
    }
    let added = 0;
    for (const sample of Object.values(snapshot.instances)) if (this.add(sample)) added++;
    return added;
  }

  /** Instance ids, sorted (a stable colour and legend order). */
  instances() {
    return [...this._byInstance.keys()].sort();
  }

  latest(instance) {
    const points = this._byInstance.get(instance);
    return points && points.length > 0 ? points[points.length - 1] : null;
  }

  /** [{x: t, y}] of one figure for one instance within the window ending at `now`. */
  points(instance, figure, now) {
    const points = this._byInstance.get(instance) ?? [];
    const from = now - this.windowMs;
    return points.filter((p) => p.t >= from).map((p) => ({ x: p.t, y: figure(p.sample) }));
  }

  _trim(points, newest) {
    const from = newest - this.windowMs;
    let drop = 0;
    while (drop < points.length && points[drop].t < from) drop++;
    if (drop > 0) points.splice(0, drop);
  }
}

const SEVERITY_RANK = { critical: 3, high: 2, medium: 1, low: 0 };
const STATE_RANK = { open: 0, acknowledged: 1, resolved: 2 };

/** Open (and acknowledged) alerts first, the most severe first, then the newest; resolved ones after, newest first. */
export function alertOrder(a, b) {
  const aOpen = a.state !== "resolved";
  const bOpen = b.state !== "resolved";
  if (aOpen !== bOpen) return aOpen ? -1 : 1;
  if (aOpen) {
    const bySeverity = (SEVERITY_RANK[b.severity] ?? -1) - (SEVERITY_RANK[a.severity] ?? -1);
    if (bySeverity !== 0) return bySeverity;
    return Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id - a.id;
  }
  return Date.parse(b.resolvedAt) - Date.parse(a.resolvedAt) || b.id - a.id;
}

/**
 * The later of two views of one alert (a list answer and a live event may arrive in either order):
 * an alert only moves forward (open -> acknowledged -> resolved) and its count only grows.
 */
export function laterAlert(known, incoming) {
  if (!known) return incoming;
  if (known.id !== incoming.id) throw new Error(`alert ${known.id} is not alert ${incoming.id}`);
  const byState = (STATE_RANK[incoming.state] ?? 0) - (STATE_RANK[known.state] ?? 0);
  if (byState !== 0) return byState > 0 ? incoming : known;
  if (incoming.occurrences !== known.occurrences) return incoming.occurrences > known.occurrences ? incoming : known;
  return Date.parse(incoming.lastSeenAt) >= Date.parse(known.lastSeenAt) ? incoming : known;
}

/** A saved layout ({widgets}, protocol §11) of the panels shown, in the order shown, full width. */
export function layoutOf(panels) {
  let y = 0;
  const widgets = [];
  for (const type of panels) {
    if (!PANELS.includes(type)) throw new RangeError(`unknown panel ${type}`);
    widgets.push({ type, x: 0, y, w: 12, h: PANEL_ROWS[type] });
    y += PANEL_ROWS[type];
  }
  return { widgets };
}

/**
 * The panels a saved layout shows, top to bottom (by y, then x), each once, with a title if the
 * layout gives one. A widget type this console does not know is an error, not skipped: the layout
 * would otherwise look loaded while showing less than was saved.
 */
export function panelsOf(layout) {
  if (!layout || !Array.isArray(layout.widgets)) throw new TypeError("a layout needs widgets");
  const unknown = layout.widgets.filter((w) => !PANELS.includes(w.type)).map((w) => w.type);
  if (unknown.length > 0) throw new RangeError(`this console has no panel ${unknown.join(", ")}`);
  const sorted = [...layout.widgets].sort((a, b) => a.y - b.y || a.x - b.x);
  const seen = new Set();
  const panels = [];
  for (const w of sorted) {
    if (seen.has(w.type)) continue;
    seen.add(w.type);
    panels.push({ type: w.type, title: w.title ?? null });
  }
  return panels;
}

/** What is wrong with a disconnect reason, or null (the server checks the same, code INVALID_FIELD). */
export function reasonProblem(reason) {
  if (typeof reason !== "string" || reason.trim() === "") return "Give a reason: the user sees it when the socket closes.";
  // The server's rule (security/LogSafe): C0, DEL, C1 and the line and paragraph separators.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(reason)) return "The reason must not contain control characters or line breaks.";
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > MAX_REASON_BYTES) return `The reason is ${bytes} bytes; a close frame carries at most ${MAX_REASON_BYTES}.`;
  return null;
}
