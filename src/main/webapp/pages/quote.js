// Quote collaboration page: every catalog field of one quote, edited by several people at once.
//
// Socket commands used (docs/protocol.md): subscribe quote:{id} (answers with data.snapshot),
// edit {room, field, value, version} (compare-and-set on the field's version; EDIT_CONFLICT carries
// details.current), focus/blur {room, field} (editing indicators, sent through the library's
// Debouncer), calculate {room}, presence {room}. Events: quote.field.changed, quote.status.changed,
// quote.premium.calculated, quote.calculation.failed, and the ephemeral quote.calculation.progress,
// quote.editing, presence.join / presence.leave.
import { RealtimeClient, Debouncer } from "../js/pdprime-realtime.js";
import { bindConnectionBadge, clock, el, setupSignIn, signOut, socketUrl } from "./common.js";

// ---------------------------------------------------------------- the field catalog (quotes/FieldCatalog.java)

const STATES = ["AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN", "KS", "KY",
  "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR",
  "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY"];
const LIABILITY = ["25/50/25", "50/100/50", "100/300/100", "250/500/250"];
const DEDUCTIBLES = [250, 500, 1000, 2000];
const MAX_VEHICLES = 4;
const MAX_DRIVERS = 5;
const THIS_YEAR = new Date().getFullYear();

const VEHICLE_FIELDS = [
  ["vin", "VIN", { kind: "vin" }],
  ["year", "Year", { kind: "int", min: 1981, max: THIS_YEAR + 1 }],
  ["make", "Make", { kind: "text", max: 40 }],
  ["annualMiles", "Annual miles", { kind: "int", min: 0, max: 100000 }],
];
const DRIVER_FIELDS = [
  ["name", "Name", { kind: "text", max: 100 }],
  ["birthDate", "Birth date", { kind: "date" }],
  ["licenseState", "License state", { kind: "select", options: STATES }],
  ["accidents", "Accidents", { kind: "int", min: 0, max: 10 }],
];

function vehicleGroup(n) {
  return { legend: `Vehicle ${n}`, fields: VEHICLE_FIELDS.map(([leaf, label, spec]) => ({ path: `vehicles.${n}.${leaf}`, label, ...spec })) };
}
function driverGroup(n) {
  return { legend: `Driver ${n}`, fields: DRIVER_FIELDS.map(([leaf, label, spec]) => ({ path: `drivers.${n}.${leaf}`, label, ...spec })) };
}

const GROUPS = [
  {
    legend: "Policy",
    fields: [
      { path: "state", label: "State", kind: "select", options: STATES },
      { path: "effectiveDate", label: "Effective date", kind: "date" },
    ],
  },
  vehicleGroup(1),
  driverGroup(1),
  {
    legend: "Coverages",
    fields: [
      { path: "coverages.liability", label: "Liability limits", kind: "select", options: LIABILITY },
      { path: "coverages.collisionDeductible", label: "Collision deductible", kind: "select", options: DEDUCTIBLES, numeric: true },
      { path: "coverages.comprehensiveDeductible", label: "Comprehensive deductible", kind: "select", options: DEDUCTIBLES, numeric: true },
    ],
  },
];
const MORE_GROUPS = [
  ...Array.from({ length: MAX_VEHICLES - 1 }, (_, i) => vehicleGroup(i + 2)),
  ...Array.from({ length: MAX_DRIVERS - 1 }, (_, i) => driverGroup(i + 2)),
];

function labelOf(path) {
  for (const g of [...GROUPS, ...MORE_GROUPS]) {
    const f = g.fields.find((x) => x.path === path);
    if (f) return g.legend === "Policy" || g.legend === "Coverages" ? f.label : `${g.legend} ${f.label.toLowerCase()}`;
  }
  return path;
}

// ---------------------------------------------------------------- page state

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const LIFECYCLE = new Set(["CONNECTION_LOST", "CLOSED", "GAVE_UP", "TIMEOUT", "QUEUE_FULL"]);

let session = null;
let client = null;
let room = null;
let quote = { status: null, customerSubject: null, premium: null, staleReason: null };
let calculating = false;
let canWrite = false;
let members = [];
let lostAccess = false;
const fields = new Map(); // path -> field state
const finishedCalculations = new Set();

// At most one focus/blur per field per 500 ms; the latest state wins (docs/client.md, Debouncer).
const indicator = new Debouncer((field, kind) => {
  if (!room || !canWrite || lostAccess) return;
  client.request(kind, { room, field }).catch((err) => {
    if (!LIFECYCLE.has(err.code)) console.warn(`${kind} ${field}:`, err.code, err.message);
  });
});

// ---------------------------------------------------------------- building the form

function buildFields() {
  const container = $("fields");
  const fieldset = (group) =>
    el("fieldset", {}, el("legend", {}, group.legend), el("div", { class: "fields" }, group.fields.map(buildField)));
  container.append(...GROUPS.map(fieldset));
  container.append(
    el("details", { class: "more", id: "more-fields" },
      el("summary", {}, `More vehicles (up to ${MAX_VEHICLES}) and drivers (up to ${MAX_DRIVERS})`),
      MORE_GROUPS.map(fieldset)),
  );
}

function buildField(spec) {
  const id = `f-${spec.path.replaceAll(".", "-")}`;
  let input;
  if (spec.kind === "select") {
    input = el("select", { id }, el("option", { value: "" }, "—"), spec.options.map((o) => el("option", { value: String(o) }, spec.numeric ? `$${o}` : String(o))));
  } else if (spec.kind === "date") {
    input = el("input", { id, type: "date" });
  } else if (spec.kind === "int") {
    input = el("input", { id, type: "number", min: spec.min, max: spec.max, step: 1, inputmode: "numeric" });
  } else if (spec.kind === "vin") {
    input = el("input", { id, type: "text", maxlength: 17, autocomplete: "off", spellcheck: "false", style: "text-transform:uppercase" });
  } else {
    input = el("input", { id, type: "text", maxlength: spec.max, autocomplete: "off" });
  }
  input.dataset.field = spec.path;
  input.dataset.version = "0";
  input.disabled = true;
  const versionEl = el("span", { class: "version", title: "field version" }, "v0");
  const editorsEl = el("span", { class: "editors", dataset: { editorsFor: spec.path } });
  const noteEl = el("div", { class: "note", dataset: { noteFor: spec.path } });
  const conflictEl = el("div", { dataset: { conflictFor: spec.path } });
  const node = el("div", { class: "field", dataset: { path: spec.path } },
    el("div", { class: "meta" }, el("label", { for: id }, spec.label), editorsEl, versionEl),
    input, noteEl, conflictEl);
  const f = {
    ...spec, node, input, versionEl, editorsEl, noteEl, conflictEl,
    value: null, version: 0, by: null,
    dirty: false, base: null, saving: null, typed: 0,
    editors: new Map(), noteTimer: null,
  };
  fields.set(spec.path, f);

  input.addEventListener("focus", () => {
    if (canEdit()) indicator.call(spec.path, "focus");
  });
  input.addEventListener("input", () => {
    f.typed++;
    if (!f.dirty) {
      f.dirty = true;
      f.base = { version: f.version, value: f.value }; // the version this edit starts from
    }
    if (f.noteEl.classList.contains("saved")) setNote(f, "", "");
    // Renews the focus (the server releases an idle one after 30 s); only while it has the focus,
    // so a value set without focusing the field never leaves an indicator behind.
    if (canEdit() && document.activeElement === input) indicator.call(spec.path, "focus");
  });
  input.addEventListener("change", () => commit(f));
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && input.tagName === "INPUT") {
      ev.preventDefault();
      commit(f);
    } else if (ev.key === "Escape") {
      f.dirty = false;
      f.base = null;
      display(f);
      setNote(f, "", "");
    }
  });
  input.addEventListener("blur", () => {
    if (canEdit()) {
      indicator.call(spec.path, "blur");
      indicator.flush(spec.path);
    }
  });
  return node;
}

// ---------------------------------------------------------------- values

function readInput(f) {
  const raw = f.input.value.trim();
  if (raw === "") return null;
  switch (f.kind) {
    case "int": {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new Error(`${f.label} must be a whole number`);
      return n;
    }
    case "vin":
      return raw.toUpperCase();
    case "select":
      return f.numeric ? Number(raw) : raw;
    default:
      return raw;
  }
}

const show = (v) => (v === null || v === undefined ? "(empty)" : String(v));
const same = (a, b) => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function display(f, value = f.value) {
  f.input.value = value === null || value === undefined ? "" : String(value);
}

/** Records a newer known value/version; returns false for an old or repeated one. */
function learn(f, value, version, by) {
  if (version <= f.version) return false;
  f.value = value;
  f.version = version;
  if (by) f.by = by;
  renderVersion(f);
  if (value !== null) f.node.classList.remove("missing");
  return true;
}

function renderVersion(f) {
  f.versionEl.textContent = `v${f.version}`;
  f.input.dataset.version = String(f.version);
}

function setNote(f, kind, text, { fadeMs = 0, retry = null } = {}) {
  clearTimeout(f.noteTimer);
  f.noteEl.className = `note ${kind}`;
  f.noteEl.replaceChildren(text);
  if (retry) f.noteEl.append(" ", el("button", { class: "link", type: "button", onclick: retry }, "Retry"));
  if (fadeMs) f.noteTimer = setTimeout(() => setNote(f, "", ""), fadeMs);
}

function flash(f) {
  f.node.classList.remove("flash");
  void f.node.offsetWidth; // restart the animation
  f.node.classList.add("flash");
}

// ---------------------------------------------------------------- editing

function canEdit() {
  return Boolean(room) && canWrite && !lostAccess && quote.status !== "BOUND";
}

/**
 * Saves the field: `edit` with the version the user started from (the field's last known version
 * when they began typing). If someone saved in between, the server answers EDIT_CONFLICT.
 */
async function commit(f, retry = null) {
  if (!canEdit() || (!retry && !f.dirty)) return;
  let value;
  try {
    value = retry ? retry.value : readInput(f);
  } catch (e) {
    setNote(f, "error", e.message);
    return;
  }
  const version = retry ? retry.version : f.base?.version ?? f.version;
  if (!retry && same(value, f.value) && version === f.version) {
    f.dirty = false; // typed back to what it was
    f.base = null;
    setNote(f, "", "");
    return;
  }
  const typedAtSend = f.typed;
  f.saving = { value, version };
  clearConflict(f);
  setNote(f, "", "saving…");
  try {
    const data = await client.request("edit", { room, field: f.path, value, version });
    f.saving = null;
    learn(f, data.value, data.version, { subject: session.subject, name: session.name });
    if (f.typed !== typedAtSend && document.activeElement === f.input) {
      f.base = { version: data.version, value: data.value }; // they kept typing: a new edit on top
    } else {
      f.dirty = false;
      f.base = null;
      display(f);
    }
    setNote(f, "saved", `saved (v${data.version})`, { fadeMs: 4000 });
  } catch (err) {
    f.saving = null;
    if (err.code === "EDIT_CONFLICT") {
      const current = err.details?.current;
      if (current) learn(f, current.value, current.version, null);
      f.dirty = false;
      f.base = null;
      display(f); // the winner's value
      setNote(f, "", "");
      showConflict(f, value);
    } else if (LIFECYCLE.has(err.code)) {
      setNote(f, "error", `Not confirmed: ${err.message}.`, { retry: () => commit(f, { value, version }) });
    } else {
      setNote(f, "error", `${err.message}${err.action ? ` — ${err.action}` : ""}`);
    }
  }
}

function showConflict(f, mine) {
  const who = f.by?.name ?? "Someone";
  const box = el("div", { class: "conflict", role: "alert", dataset: { field: f.path, theirs: JSON.stringify(f.value), mine: JSON.stringify(mine) } },
    el("strong", {}, "Conflict: "),
    `${who} saved “${show(f.value)}” (v${f.version}) before your change. Yours, “${show(mine)}”, was not saved.`,
    el("div", { class: "actions" },
      el("button", { type: "button", dataset: { action: "retry" }, onclick: () => commit(f, { value: mine, version: f.version }) }, "Use my value"),
      el("button", { type: "button", class: "secondary", dataset: { action: "keep" }, onclick: () => clearConflict(f) }, `Keep ${who === "Someone" ? "theirs" : `${who}'s`}`)));
  f.conflictEl.replaceChildren(box);
}

function clearConflict(f) {
  f.conflictEl.replaceChildren();
}

function setCalculating(running) {
  calculating = running;
  updateEditable();
}

function updateEditable() {
  const editable = canEdit();
  for (const f of fields.values()) f.input.disabled = !editable;
  // One calculation at a time: the button waits for the running one's result, whoever started it.
  $("calculate").disabled = !editable || calculating;
  const note = $("readonly-note");
  if (lostAccess) {
    note.hidden = true;
  } else if (!canWrite) {
    note.hidden = false;
    note.textContent = "Read only: you are neither this quote's customer nor hold quote:write.";
  } else if (quote.status === "BOUND") {
    note.hidden = false;
    note.textContent = "This quote is bound: no more changes.";
  } else {
    note.hidden = true;
  }
}

// ---------------------------------------------------------------- state from the server

function applySnapshot(s) {
  quote = { status: s.status, customerSubject: s.customerSubject, premium: s.premium ?? null, staleReason: null };
  let moreUsed = false;
  for (const f of fields.values()) {
    const cur = s.fields?.[f.path];
    const value = cur ? cur.value : null;
    const version = cur ? cur.version : 0;
    const changed = version !== f.version;
    f.value = value;
    f.version = version;
    f.by = null;
    renderVersion(f);
    if (f.dirty || f.saving) {
      if (changed) setNote(f, "remote", `Changed to “${show(value)}” while you were away; saving yours will show a conflict.`);
    } else {
      display(f);
    }
    if (value !== null && MORE_GROUPS.some((g) => g.fields.some((x) => x.path === f.path))) moreUsed = true;
  }
  if (moreUsed) $("more-fields").open = true;
  canWrite = session.has("quote:write") || session.subject === s.customerSubject;
  $("quote-customer").textContent = `Customer: ${s.customerName} (${s.customerSubject})`;
  renderStatus();
  renderPremium();
  updateEditable();
}

/** Fallback when a reset comes without a snapshot: read the quote over REST. */
async function loadByRest() {
  const id = room.slice("quote:".length);
  applySnapshot(await session.call("GET", `api/v1/quotes/${encodeURIComponent(id)}`));
}

function renderStatus() {
  const pill = $("quote-status");
  pill.textContent = quote.status ?? "…";
  pill.className = `pill status-${quote.status}`;
  pill.dataset.status = quote.status ?? "";
}

function renderPremium() {
  const box = $("premium");
  const mayView = session.has("premium:view");
  if (!mayView) {
    box.dataset.state = "hidden";
    box.replaceChildren(
      el("div", { class: "premium-hidden" }, "Premium hidden: your token lacks premium:view."),
      el("div", { class: "hint" }, quote.status === "QUOTED" ? "A premium has been calculated for the current fields." : "Not calculated for the current fields."));
    return;
  }
  const p = quote.premium;
  if (!p) {
    box.dataset.state = "none";
    box.replaceChildren(el("span", { class: "premium-hidden" }, quote.staleReason ? `Out of date (${quote.staleReason}). Calculate again.` : "Not calculated yet."));
    return;
  }
  const money = (n) => new Intl.NumberFormat("en-US", { style: "currency", currency: p.breakdown?.currency ?? "USD" }).format(Number(n));
  box.dataset.state = "shown";
  box.dataset.total = String(p.total);
  box.replaceChildren(
    el("div", { class: "premium-total", id: "premium-total" }, money(p.total)),
    el("div", { class: "hint" }, `per year · calculated ${p.calculatedAt ? new Date(p.calculatedAt).toLocaleTimeString() : ""}`),
    el("table", { class: "premium-lines" },
      (p.breakdown?.lines ?? []).map((l) => el("tr", {}, el("td", {}, `Vehicle ${l.vehicle} ${l.coverage}`), el("td", {}, money(l.amount))))));
}

function setProgress(percent, text, outcome = "") {
  const bar = $("calc-progress");
  bar.setAttribute("aria-valuenow", String(percent));
  bar.dataset.outcome = outcome;
  bar.firstElementChild.style.width = `${percent}%`;
  $("calc-stage").textContent = text || "\u00a0";
}

// ---------------------------------------------------------------- room events

function onEvent(ev) {
  const d = ev.data ?? {};
  switch (ev.name) {
    case "quote.field.changed":
      onFieldChanged(ev);
      break;
    case "quote.status.changed":
      quote.status = d.status;
      if (d.status === "DRAFT") {
        quote.premium = null;
        quote.staleReason = d.reason;
      }
      renderStatus();
      renderPremium();
      updateEditable();
      break;
    case "quote.premium.calculated":
      finishedCalculations.add(d.calculationId);
      setCalculating(false);
      quote.status = d.status;
      quote.premium = d.premium ?? null; // only holders of premium:view receive the amounts
      quote.staleReason = null;
      setProgress(100, `done: calculated by ${d.by?.name ?? "someone"}`, "done");
      $("calc-error").textContent = "";
      for (const f of fields.values()) f.node.classList.remove("missing");
      renderStatus();
      renderPremium();
      break;
    case "quote.calculation.failed":
      finishedCalculations.add(d.calculationId);
      setCalculating(false);
      setProgress(100, "failed", "failed");
      $("calc-error").textContent = `Calculation failed: ${d.reason}${d.missingFields?.length ? ` (${d.missingFields.map(labelOf).join(", ")})` : ""}.`;
      for (const path of d.missingFields ?? []) fields.get(path)?.node.classList.add("missing");
      break;
    case "quote.calculation.progress": {
      if (finishedCalculations.has(d.calculationId)) break;
      setCalculating(true);
      const bar = $("calc-progress");
      if (bar.dataset.calculation !== d.calculationId) {
        bar.dataset.calculation = d.calculationId;
        bar.dataset.stages = "";
      }
      bar.dataset.stages = `${bar.dataset.stages} ${d.stage}`.trim();
      $("calc-error").textContent = "";
      setProgress(d.percent, `${d.stage} (${d.step}/${d.of})`);
      break;
    }
    case "quote.editing":
      onEditing(d);
      break;
    case "presence.join":
    case "presence.leave":
      refreshPresenceSoon();
      break;
  }
  if (!ev.ephemeral) logActivity(ev);
}

function onFieldChanged(ev) {
  const { field, value, version, by } = ev.data;
  const f = fields.get(field);
  if (!f) return;
  const ours = by?.subject === session.subject && f.saving && same(f.saving.value, value);
  if (!learn(f, value, version, by)) return;
  if (ours) return; // our own save; the reply settles the field
  if (f.dirty || f.saving) {
    setNote(f, "remote", `${by?.name ?? "Someone"} changed this to “${show(value)}” while you were editing.`);
  } else {
    display(f);
    flash(f);
    setNote(f, "remote", `changed by ${by?.name ?? "someone"}`, { fadeMs: 5000 });
  }
}

function onEditing({ subject, name, field, editing }) {
  if (subject === session.subject) return; // our own indicator
  const f = fields.get(field);
  if (!f) return;
  if (editing) f.editors.set(subject, name);
  else f.editors.delete(subject);
  renderEditors(f);
  renderPresence();
}

function renderEditors(f) {
  const names = [...f.editors.values()];
  f.editorsEl.textContent = names.length ? `✎ ${names.join(", ")}` : "";
  f.editorsEl.dataset.editors = [...f.editors.keys()].join(",");
  f.node.classList.toggle("being-edited", names.length > 0);
}

function clearEditors() {
  for (const f of fields.values()) {
    f.editors.clear();
    renderEditors(f);
  }
}

function logActivity(ev) {
  const d = ev.data ?? {};
  let text;
  switch (ev.name) {
    case "quote.field.changed":
      text = `${d.by?.name ?? "?"} set ${labelOf(d.field)} to “${show(d.value)}”${d.source === "REST" ? " (via REST)" : ""}`;
      break;
    case "quote.status.changed":
      text = `status ${d.status}: ${d.reason}`;
      break;
    case "quote.premium.calculated":
      text = `${d.by?.name ?? "?"} calculated the premium`;
      break;
    case "quote.calculation.failed":
      text = `calculation failed: ${d.reason}`;
      break;
    default:
      text = ev.name;
  }
  addActivity(el("span", { class: "seq" }, `#${ev.seq}`), text, el("span", { class: "hint" }, ` · ${clock(ev.ts)}`));
}

function addActivity(...parts) {
  const list = $("activity");
  list.prepend(el("li", {}, ...parts));
  while (list.children.length > 60) list.lastElementChild.remove();
}

// ---------------------------------------------------------------- presence

let presenceTimer = null;
function refreshPresenceSoon() {
  clearTimeout(presenceTimer);
  presenceTimer = setTimeout(refreshPresence, 150);
}

async function refreshPresence() {
  if (!room || lostAccess) return;
  try {
    const data = await client.request("presence", { room });
    members = data.members ?? [];
    renderPresence();
  } catch (err) {
    if (!LIFECYCLE.has(err.code) && err.code !== "NOT_SUBSCRIBED") console.warn("presence:", err.code, err.message);
  }
}

function renderPresence() {
  const list = $("presence");
  const editingBy = new Map();
  for (const f of fields.values()) for (const subject of f.editors.keys()) editingBy.set(subject, labelOf(f.path));
  list.replaceChildren(
    ...members.map((m) => {
      const initials = m.name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
      const parts = [m.subject];
      if (m.connections > 1) parts.push(`${m.connections} windows`);
      if (editingBy.has(m.subject)) parts.push(`editing ${editingBy.get(m.subject)}`);
      return el("li", { dataset: { subject: m.subject } },
        el("span", { class: "avatar" }, initials),
        el("span", {}, el("div", {}, m.name, m.subject === session.subject ? " (you)" : ""), el("div", { class: "sub" }, parts.join(" · "))));
    }),
  );
  if (members.length === 0) list.replaceChildren(el("li", { class: "hint" }, "nobody yet"));
}

// ---------------------------------------------------------------- opening a quote

function showBanner(text, offerNew = false) {
  const banner = $("banner");
  banner.replaceChildren(text);
  if (offerNew) {
    // e.g. the embedded default was restarted: its in-memory database no longer has the quote.
    banner.append(" ", el("a", { href: new URL("quote.html", document.baseURI).toString() }, "Start or open another quote"));
  }
  banner.hidden = !text;
}

async function openQuote(id) {
  $("pick-card").hidden = true;
  $("quote-view").hidden = false;
  room = `quote:${id.toLowerCase()}`;
  $("quote-id").textContent = id;
  const share = new URL("quote.html", document.baseURI);
  share.searchParams.set("quote", id);
  $("share-link").href = share.toString();
  document.title = `Quote ${id.slice(0, 8)} — PD Prime Realtime`;
  try {
    const data = await client.subscribe(room, onEvent, {
      // recovered:false (history reset, too far behind, …): replace the state with the snapshot.
      onReset: async (reset) => {
        clearEditors();
        addActivity(el("span", { class: "seq" }, "↻"), `resynchronised (${reset.reason ?? "reset"}) at #${reset.seq}`);
        if (reset.snapshot) applySnapshot(reset.snapshot);
        else await loadByRest().catch((e) => showBanner(`Could not reload the quote: ${e.message}`));
        refreshPresenceSoon();
      },
      // A resubscribe after a reconnect was refused (e.g. the quote no longer exists).
      onError: (err) => {
        lostAccess = true;
        members = [];
        clearEditors();
        renderPresence();
        updateEditable();
        showBanner(`This quote is no longer available: ${err.message}. ${err.action ?? ""}`, true);
      },
    });
    if (data.snapshot) applySnapshot(data.snapshot);
    else await loadByRest();
    $("quote-view").dataset.ready = "1";
    refreshPresence();
  } catch (err) {
    $("quote-view").hidden = true;
    room = null;
    showBanner(`Cannot open quote ${id}: ${err.message}. ${err.action ?? ""}`, true);
    $("pick-card").hidden = false;
  }
}

function start(s) {
  session = s;
  $("signin-card").hidden = true;
  const who = $("who");
  who.hidden = false;
  who.replaceChildren(
    `${s.name} (${s.subject})${s.permissions.length ? ` · ${s.permissions.join(" ")}` : ""} `,
    el("button", { class: "link", type: "button", id: "switch-user", onclick: () => { client.close("switching user"); signOut(); location.reload(); } }, "switch user"));

  client = new RealtimeClient({ url: socketUrl(), tokenProvider: () => session.socketToken() });
  bindConnectionBadge(client, { badge: $("conn-state"), detail: $("conn-detail"), retry: $("conn-retry") });
  client.on("error", (err) => console.warn("[realtime]", err.code, err.message));
  client.on("resubscribed", (data) => {
    if (data.room !== room) return;
    clearEditors(); // indicators are ephemeral: anything said while we were away is gone
    refreshPresenceSoon();
  });
  window.pdprime = { client, session };
  client.connect();

  const id = params.get("quote");
  if (id) {
    openQuote(id);
  } else {
    $("pick-card").hidden = false;
    const create = $("create-quote");
    if (!s.has("quote:write")) {
      for (const c of create.elements) c.disabled = true;
      create.querySelector(".error-text").textContent = "Creating a quote needs quote:write (sign in as an agent).";
    }
  }
}

$("create-quote").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  const error = form.querySelector(".error-text");
  error.textContent = "";
  try {
    const created = await session.call("POST", "api/v1/quotes", {
      customerSubject: form.elements.customerSubject.value.trim(),
      customerName: form.elements.customerName.value.trim(),
    });
    const url = new URL(location.href);
    url.searchParams.set("quote", created.id);
    history.pushState(null, "", url);
    openQuote(created.id);
  } catch (e) {
    error.textContent = `${e.message}${e.action ? ` — ${e.action}` : ""}`;
  }
});

$("calculate").addEventListener("click", async () => {
  if (!canEdit()) return;
  $("calc-error").textContent = "";
  setProgress(0, "starting…");
  setCalculating(true);
  try {
    const { calculationId } = await client.request("calculate", { room });
    $("calc-progress").dataset.started = calculationId;
  } catch (err) {
    setCalculating(false);
    setProgress(0, "");
    $("calc-error").textContent = `${err.message}${err.action ? ` — ${err.action}` : ""}`;
  }
});

$("open-quote").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const id = ev.currentTarget.elements.quoteId.value.trim();
  if (!id) return;
  const url = new URL(location.href);
  url.searchParams.set("quote", id);
  location.href = url.toString();
});

window.addEventListener("popstate", () => location.reload());

buildFields();
setupSignIn({
  form: $("signin"),
  defaults: { role: "agent" },
  presets: {
    customer: { permissions: [], subject: "carl", name: "Carl Customer" },
    agent: { permissions: ["quote:read", "quote:write"], subject: "ann", name: "Ann Agent" },
    underwriter: { permissions: ["quote:read", "quote:write", "premium:view"], subject: "uma", name: "Uma Underwriter" },
  },
  onSignedIn: start,
});
