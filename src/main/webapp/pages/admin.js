// Admin console: the operators' socket /ws/admin with its streams (admin:system and
// admin:performance as per-instance charts, admin:alerts as a list with acknowledge and resolve,
// admin:activity as a feed), the connections table with force-disconnect, and saved layouts.
// Every refusal is shown with the server's code, message and action. The state without the DOM
// lives in admin-model.js.
import { ENDPOINTS, RealtimeClient } from "../js/pdprime-realtime.js";
import { bindConnectionBadge, el, setupSignIn, signOut, socketUrl } from "./common.js";
import { InstanceSeries, PANELS, alertOrder, laterAlert, layoutOf, panelsOf, reasonProblem } from "./admin-model.js";

const $ = (id) => document.getElementById(id);
// Loaded by a classic <script> from the WebJar (admin.html): the UMD build sets window.Chart.
const Chart = globalThis.Chart;
// Five minutes of samples (every 2 s by default): long enough to see a spike come and go.
const WINDOW_MS = 5 * 60_000;
// The connection journal writes up to a second after a socket opens or closes (protocol §11.4):
// the table is read again after that, so a disconnect shows as CLOSED.
const JOURNAL_LAG_MS = 1500;
// The connections table is read again this often (a REST call per admin page; the journal itself
// is written once a second).
const CONNECTIONS_REFRESH_MS = 5000;
// The feed keeps the newest entries only; the full log is GET /api/v1/admin/activity.
const MAX_ACTIVITY = 200;
// Newest resolved alerts listed besides every open one.
const RESOLVED_SHOWN = 50;
const COLORS = ["#0b5cab", "#b3261e", "#1c7c3c", "#9a5b00", "#7b3fc4", "#00838f", "#5c6b7a", "#c2185b"];
const MiB = 1024 * 1024;

const SYSTEM_CHARTS = [
  { id: "chart-connections", lines: [{ figure: (s) => s.connections }] },
  { id: "chart-subscriptions", lines: [{ figure: (s) => s.subscriptions }] },
  { id: "chart-heap", lines: [{ figure: (s) => s.heap.usedBytes / MiB }] },
  { id: "chart-frames-in", lines: [{ figure: (s) => s.framesInPerSecond }] },
  { id: "chart-frames-out", lines: [{ figure: (s) => s.framesOutPerSecond }] },
  {
    id: "chart-publish",
    lines: [{ figure: (s) => s.publishToWriteMs.p50 }, { figure: (s) => s.publishToWriteMs.p99, suffix: " p99", dashed: true }],
  },
];
const PERFORMANCE_CHARTS = [
  {
    id: "chart-rest",
    lines: [{ figure: (s) => s.rest.responseMs.p50 }, { figure: (s) => s.rest.responseMs.p99, suffix: " p99", dashed: true }],
  },
  { id: "chart-rest-rate", lines: [{ figure: (s) => s.rest.requestsPerSecond }] },
  {
    id: "chart-calc",
    lines: [{ figure: (s) => s.calculationMs.p50 }, { figure: (s) => s.calculationMs.p99, suffix: " p99", dashed: true }],
  },
  { id: "chart-errors", lines: [{ figure: (s) => s.errorsPerSecond }] },
  { id: "chart-sessions", lines: [{ figure: (s) => s.sessions }] },
];

let session = null;
let client = null;
const systemSeries = new InstanceSeries(WINDOW_MS);
const performanceSeries = new InstanceSeries(WINDOW_MS);
const intervals = {}; // room -> intervalMs of its snapshot
const colors = new Map(); // instance -> colour, in the order instances were first heard
const alerts = new Map(); // id -> alert
const charts = new Map();
let connectionsNext = null;
let layouts = []; // summaries {id, name, default}

// ---------------------------------------------------------------------------- small things

const num = (v, digits = 0) => (v === null || v === undefined ? "—" : Number(v).toFixed(digits));
const ms = (v) => (v === null || v === undefined ? "—" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "—");
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");

function explain(err) {
  return `${err.code ?? "ERROR"}: ${err.message}${err.action ? ` — ${err.action}` : ""}`;
}

function panel(name) {
  return document.querySelector(`.panel[data-panel="${name}"]`);
}

function panelError(name, err) {
  const section = panel(name);
  section.dataset.error = err ? err.code ?? "ERROR" : "";
  section.querySelector(".panel-error").textContent = err ? explain(err) : "";
}

function colorOf(instance) {
  if (!colors.has(instance)) colors.set(instance, COLORS[colors.size % COLORS.length]);
  return colors.get(instance);
}

// ---------------------------------------------------------------------------- streams and charts

function subscribeStream(room, eventName, series, panelName) {
  const redraw = () => (room === "admin:system" ? renderSystem() : renderPerformance());
  client
    .subscribe(
      room,
      (ev) => {
        if (ev.name !== eventName) {
          console.warn(`[admin] unexpected ${ev.name} on ${room}`);
          return;
        }
        series.add(ev.data);
        redraw();
      },
      {
        onSubscribed: (data) => {
          panelError(panelName, null);
          // The last sample of every live instance: the first point of each line.
          if (data.snapshot) {
            intervals[room] = data.snapshot.intervalMs;
            series.addSnapshot(data.snapshot);
          }
          redraw();
        },
        onError: (err) => panelError(panelName, err),
      },
    )
    .catch((err) => panelError(panelName, err));
}

function renderSystem(now = Date.now()) {
  drawSeries(systemSeries, SYSTEM_CHARTS, now);
  const ids = systemSeries.instances();
  const interval = intervals["admin:system"];
  $("instances-none").hidden = ids.length > 0;
  $("instances").querySelector("tbody").replaceChildren(
    ...ids.map((id) => {
      const { t, sample: s } = systemSeries.latest(id);
      const age = Math.max(0, Math.round((now - t) / 1000));
      // Three intervals without a sample: the server drops the instance from snapshots too.
      const silent = interval !== undefined && now - t > 3 * interval;
      return el(
        "tr",
        { dataset: { instance: id, at: s.at, connections: s.connections, silent: silent ? "1" : "0" }, class: silent ? "silent" : "" },
        el("td", {}, el("span", { class: "swatch", style: `background:${colorOf(id)}` }), " ", el("code", {}, id)),
        el("td", { title: s.at }, silent ? `silent for ${age} s` : `${age} s ago`),
        el("td", {}, String(s.connections)),
        el("td", {}, String(s.subscriptions)),
        el("td", {}, String(s.rooms)),
        el("td", {}, num(s.framesInPerSecond, 1)),
        el("td", {}, num(s.framesOutPerSecond, 1)),
        el("td", {}, `${ms(s.publishToWriteMs.p50)} / ${ms(s.publishToWriteMs.p99)}`),
        el("td", {}, String(s.outboxBacklog)),
        el("td", { title: "slow-consumer closes" }, String(s.slowConsumerCloses)),
        el("td", {}, `${s.relay.queueDepth} / ${s.relay.failures}`),
        el("td", {}, `${num(s.heap.usedBytes / MiB)} of ${num(s.heap.maxBytes / MiB)} MiB`),
        el("td", {}, String(s.threads)),
        el("td", { title: s.database.unavailable || "" }, s.database.unavailable ? "n/a" : `${s.database.connectionsInUse} / ${s.database.connectionsWaiting}`),
      );
    }),
  );
}

function renderPerformance(now = Date.now()) {
  drawSeries(performanceSeries, PERFORMANCE_CHARTS, now);
}

/** One dataset per instance and line; x is the sample's time, the axis the last WINDOW_MS. */
function drawSeries(series, specs, now) {
  const ids = series.instances();
  for (const spec of specs) {
    const datasets = ids.flatMap((id) =>
      spec.lines.map((line) => ({
        label: `${id}${line.suffix ?? ""}`,
        data: series.points(id, line.figure, now),
        borderColor: colorOf(id),
        backgroundColor: colorOf(id),
        borderDash: line.dashed ? [6, 4] : [],
        borderWidth: 2,
        pointRadius: 0,
        spanGaps: false,
      })),
    );
    const canvas = $(spec.id);
    canvas.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
    canvas.dataset.instances = ids.join(" ");
    // The axis starts at the first point while the page has less than a window of samples, so a
    // console opened a minute ago shows that minute across the chart, not squeezed at its edge.
    const first = Math.min(...datasets.filter((d) => d.data.length > 0).map((d) => d.data[0].x));
    drawChart(canvas, datasets, { min: Number.isFinite(first) ? Math.max(first, now - WINDOW_MS) : now - WINDOW_MS, max: now });
  }
}

function drawChart(canvas, datasets, x) {
  if (!Chart) return;
  const chart = charts.get(canvas.id);
  if (chart) {
    chart.data.datasets = datasets;
    Object.assign(chart.options.scales.x, x);
    chart.update("none");
    return;
  }
  charts.set(
    canvas.id,
    new Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        parsing: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: {
            type: "linear",
            ...x,
            ticks: { maxTicksLimit: 6, callback: (v) => new Date(v).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) },
          },
          y: { beginAtZero: true },
        },
      },
    }),
  );
}

// ---------------------------------------------------------------------------- alerts

function subscribeAlerts() {
  client
    .subscribe(
      "admin:alerts",
      (ev) => {
        if (!ev.name.startsWith("alert.")) {
          console.warn(`[admin] unexpected ${ev.name} on admin:alerts`);
          return;
        }
        upsertAlert(ev.data);
        renderAlerts();
      },
      {
        onSubscribed: () => panelError("alerts", null),
        // recovered:false: events may be missing, so the list is read again.
        onReset: () => loadAlerts(),
        onError: (err) => panelError("alerts", err),
      },
    )
    .then(() => loadAlerts())
    .catch((err) => panelError("alerts", err));
}

async function loadAlerts() {
  try {
    const [open, recent] = await Promise.all([
      session.call("GET", "api/v1/admin/alerts?state=open&limit=200"),
      session.call("GET", `api/v1/admin/alerts?state=all&limit=${RESOLVED_SHOWN}`),
    ]);
    for (const a of [...open.alerts, ...recent.alerts]) upsertAlert(a);
    $("alerts").dataset.openTotal = String(open.total);
    renderAlerts();
  } catch (err) {
    panelError("alerts", err);
  }
}

function upsertAlert(alert) {
  alerts.set(alert.id, laterAlert(alerts.get(alert.id), alert));
}

function renderAlerts() {
  const list = [...alerts.values()].sort(alertOrder);
  $("alerts-none").hidden = list.length > 0;
  $("alerts").replaceChildren(
    ...list.map((a) =>
      el(
        "li",
        { class: `alert ${a.state}`, dataset: { alertId: a.id, state: a.state, severity: a.severity, type: a.type } },
        el("div", { class: "alert-head" },
          el("span", { class: `pill severity-${a.severity}` }, a.severity),
          " ",
          el("strong", {}, a.type),
          " ",
          el("code", {}, a.source),
          a.occurrences > 1 ? el("span", { class: "hint" }, ` ×${a.occurrences}`) : null,
          el("span", { class: "spacer" }),
          a.state === "open" ? el("button", { type: "button", class: "secondary", dataset: { action: "acknowledge" }, onclick: (ev) => alertCommand(ev.target, "acknowledge", a.id) }, "Acknowledge") : null,
          a.state !== "resolved" ? el("button", { type: "button", dataset: { action: "resolve" }, onclick: (ev) => alertCommand(ev.target, "resolve", a.id) }, "Resolve") : null,
        ),
        el("div", {}, a.message),
        el("div", { class: "hint" },
          `raised ${when(a.raisedAt)}, last seen ${time(a.lastSeenAt)}`,
          a.acknowledgedBy ? ` · acknowledged by ${a.acknowledgedBy} at ${time(a.acknowledgedAt)}` : "",
          a.state === "resolved" ? ` · resolved ${a.resolution === "AUTO" ? "automatically (the condition cleared)" : `by ${a.resolvedBy}`} at ${time(a.resolvedAt)}` : "",
        ),
      ),
    ),
  );
}

/** acknowledge / resolve over the socket; the reply is the alert as it now is. */
async function alertCommand(button, command, alertId) {
  button.disabled = true;
  try {
    upsertAlert(await client.request(command, { alertId }));
    panelError("alerts", null);
    renderAlerts();
  } catch (err) {
    panelError("alerts", { code: err.code, message: `alert ${alertId}: ${err.message}`, action: err.action });
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------- activity

function subscribeActivity() {
  client
    .subscribe("admin:activity", (ev) => addActivity(ev.data), {
      onSubscribed: () => panelError("activity", null),
      onReset: (data) =>
        prependActivity(el("li", { class: "reset", dataset: { reason: data.reason ?? "" } }, `Entries may be missing here (${data.reason ?? "history reset"}); the full log is GET /api/v1/admin/activity.`)),
      onError: (err) => panelError("activity", err),
    })
    .catch((err) => panelError("activity", err));
}

function addActivity(a) {
  prependActivity(
    el(
      "li",
      { dataset: { action: a.action, outcome: a.outcome, resource: a.resource, by: a.by.subject } },
      el("span", { class: "time" }, time(a.at)),
      " ",
      el("span", { class: `pill outcome-${a.outcome}` }, a.outcome),
      " ",
      el("strong", {}, a.by.name),
      el("span", { class: "hint" }, ` (${a.by.subject}${a.ip ? ` from ${a.ip}` : ""}) `),
      el("code", {}, a.action),
      a.resource ? [" ", el("span", {}, a.resource)] : null,
    ),
  );
}

function prependActivity(li) {
  const list = $("activity");
  list.prepend(li);
  while (list.children.length > MAX_ACTIVITY) list.lastElementChild.remove();
  $("activity-none").hidden = true;
}

// ---------------------------------------------------------------------------- connections

/**
 * Reads the table again every few seconds, so sockets that open and close show up by themselves;
 * not while a reason is being typed below a row, nor once "More" has added pages to it.
 */
function refreshConnectionsNow() {
  const busy = document.querySelector("#connections tr.reason-row") || $("connections").dataset.pages !== "1" || panel("connections").hidden;
  if (!busy) reloadConnections();
}

/** Reads the table (a page more with `more`). Throws the server's error: the caller shows it. */
async function loadConnections({ more = false } = {}) {
  const form = $("conn-filters");
  const params = new URLSearchParams();
  for (const key of ["user", "instance", "state"]) {
    const v = form.elements[key].value.trim();
    if (v) params.set(key, v);
  }
  if (more && connectionsNext) params.set("after", connectionsNext);
  const body = await session.call("GET", `api/v1/admin/connections?${params}`);
  const rows = body.connections.map(connectionRow);
  const tbody = $("connections").querySelector("tbody");
  if (more) tbody.append(...rows);
  else replaceConnectionRows(tbody, rows);
  $("connections").dataset.pages = String(more ? Number($("connections").dataset.pages) + 1 : 1);
  $("connections").dataset.loads = String(Number($("connections").dataset.loads ?? 0) + 1);
  connectionsNext = body.next;
  $("connections-more").hidden = !body.next;
  $("connections-none").hidden = tbody.children.length > 0;
  panelError("connections", null);
}

/**
 * A reason being typed stays below its connection's new row: a read that was already under way when
 * the operator clicked "Disconnect" (the periodic one, or "Apply") answers after the reason row
 * opened, and replacing the rows wiped it, text and all (seen in a browser test on WildFly). It goes
 * only with its connection, when that is no longer in the table.
 */
function replaceConnectionRows(tbody, rows) {
  const open = tbody.querySelector("tr.reason-row");
  tbody.replaceChildren(...rows);
  rows.find((row) => row.dataset.connectionId === open?.dataset.for)?.after(open);
}

function reloadConnections(options) {
  loadConnections(options).catch((err) => panelError("connections", err));
}

function connectionRow(c) {
  const mine = client && c.id === client.connectionId;
  const tr = el(
    "tr",
    { dataset: { connectionId: c.id, subject: c.subject, state: c.state, instance: c.instanceId } },
    el("td", { title: c.id }, el("code", {}, c.id.slice(0, 8)), mine ? el("span", { class: "hint" }, " this console") : null),
    el("td", {}, c.subject, c.admin ? [" ", el("span", { class: "pill" }, "admin")] : null),
    el("td", {}, el("code", {}, c.instanceId)),
    el("td", {}, el("span", { class: `pill state-${c.state}` }, c.state)),
    el("td", {}, when(c.connectedAt)),
    el("td", {}, time(c.lastActivityAt)),
    el("td", { title: c.userAgent ?? "" }, c.ipAddress ?? "—"),
    el("td", {}, c.closeCode ? `${c.closeCode}${c.closeReason ? ` ${c.closeReason}` : ""}` : ""),
    el(
      "td",
      { class: "actions" },
      c.state === "OPEN"
        ? [
            el("button", { type: "button", class: "secondary", dataset: { action: "disconnect" }, onclick: () => askReason(tr, c, "connection") }, "Disconnect"),
            el("button", { type: "button", class: "secondary", dataset: { action: "disconnect-user" }, onclick: () => askReason(tr, c, "user") }, "All of user"),
          ]
        : null,
    ),
  );
  return tr;
}

/** Disconnecting needs a reason (the user sees it in the close frame): asked for below the row. */
function askReason(tr, c, scope) {
  if (tr.nextElementSibling?.classList.contains("reason-row")) tr.nextElementSibling.remove();
  const input = el("input", { type: "text", name: "reason", maxlength: "123", placeholder: "reason, shown to the user", autocomplete: "off" });
  const problem = el("span", { class: "error-text", role: "alert" });
  const confirm = el("button", { type: "button", dataset: { action: "confirm-disconnect" } }, scope === "user" ? `Disconnect every socket of ${c.subject}` : "Disconnect");
  const row = el(
    "tr",
    { class: "reason-row", dataset: { for: c.id, scope } },
    el("td", { colspan: "9" },
      el("div", { class: "row" },
        el("div", { class: "grow" }, el("label", {}, scope === "user" ? `Why close all of ${c.subject}'s sockets, on every instance?` : `Why close ${c.subject}'s connection ${c.id.slice(0, 8)}?`), input),
        el("div", {}, confirm),
        el("div", {}, el("button", { type: "button", class: "secondary", onclick: () => row.remove() }, "Cancel")),
      ),
      problem,
    ),
  );
  confirm.addEventListener("click", async () => {
    const reason = input.value;
    const wrong = reasonProblem(reason);
    problem.textContent = wrong ?? "";
    if (wrong) return;
    confirm.disabled = true;
    try {
      const path = scope === "user" ? `api/v1/admin/users/${encodeURIComponent(c.subject)}/disconnect` : `api/v1/admin/connections/${encodeURIComponent(c.id)}/disconnect`;
      const answer = await session.call("POST", path, { reason });
      row.remove();
      const result = $("disconnect-result");
      result.dataset.closeCode = String(answer.closeCode);
      result.textContent =
        scope === "user"
          ? `Ordered: every socket of ${answer.subject} (${answer.openConnections} open in the journal) closes with ${answer.closeCode} “${answer.reason}”.`
          : `Ordered: ${answer.subject}'s connection ${answer.connectionId.slice(0, 8)} on ${answer.instanceId} closes with ${answer.closeCode} “${answer.reason}”.`;
      setTimeout(() => reloadConnections(), JOURNAL_LAG_MS);
    } catch (err) {
      problem.textContent = explain(err);
      confirm.disabled = false;
    }
  });
  tr.after(row);
  input.focus();
}

// ---------------------------------------------------------------------------- layouts

function panelsShown() {
  return [...$("panels").children].filter((s) => !s.hidden).map((s) => s.dataset.panel);
}

/** Shows the panels listed, in that order; the others are hidden (and kept, after them). */
function showPanels(list) {
  const shown = new Map(list.map((p) => [p.type, p]));
  const order = [...list.map((p) => p.type), ...PANELS.filter((t) => !shown.has(t))];
  for (const type of order) {
    const section = panel(type);
    section.hidden = !shown.has(type);
    const heading = section.querySelector("h2");
    heading.dataset.title ??= heading.firstChild.textContent;
    heading.firstChild.textContent = shown.get(type)?.title ? `${shown.get(type).title} ` : heading.dataset.title;
    $("panels").append(section);
  }
  for (const box of $("panel-picks").querySelectorAll("input")) box.checked = shown.has(box.value);
  $("panels").dataset.shown = panelsShown().join(" ");
}

function layoutStatus(text, err = null) {
  const status = $("layout-status");
  status.textContent = err ? explain(err) : text;
  status.className = err ? "error-text" : "hint";
  status.dataset.code = err ? err.code ?? "ERROR" : "";
}

async function loadLayouts({ applyDefault = false, select = null } = {}) {
  try {
    layouts = (await session.call("GET", "api/v1/admin/dashboards")).dashboards;
  } catch (err) {
    layoutStatus("", err);
    return;
  }
  $("layout-pick").replaceChildren(
    el("option", { value: "" }, layouts.length === 0 ? "— none saved —" : "—"),
    ...layouts.map((l) => el("option", { value: l.id }, l.default ? `${l.name} (default)` : l.name)),
  );
  if (select) $("layout-pick").value = select;
  const preferred = layouts.find((l) => l.default);
  if (applyDefault && preferred) await applyLayout(preferred.id);
}

async function applyLayout(id) {
  try {
    const saved = await session.call("GET", `api/v1/admin/dashboards/${encodeURIComponent(id)}`);
    showPanels(panelsOf(saved.layout));
    $("layout-pick").value = saved.id;
    $("layouts").dataset.loaded = saved.id;
    layoutStatus(`Showing “${saved.name}”${saved.default ? " (your default)" : ""}.`);
  } catch (err) {
    layoutStatus("", err.code ? err : { code: "LAYOUT_UNREADABLE", message: err.message, action: "Save the layout again from this console." });
  }
}

async function saveLayout(ev) {
  ev.preventDefault();
  const name = $("layout-name").value.trim();
  if (!name) {
    layoutStatus("Name the layout first.");
    return;
  }
  const body = { name, layout: layoutOf(panelsShown()), default: $("layout-is-default").checked };
  // The same name again replaces that layout rather than making a second one of that name.
  const existing = layouts.find((l) => l.name === name);
  try {
    const saved = existing
      ? await session.call("PUT", `api/v1/admin/dashboards/${encodeURIComponent(existing.id)}`, body)
      : await session.call("POST", "api/v1/admin/dashboards", body);
    await loadLayouts({ select: saved.id });
    $("layouts").dataset.loaded = saved.id;
    layoutStatus(`${existing ? "Replaced" : "Saved"} “${saved.name}”${saved.default ? " as your default" : ""}.`);
  } catch (err) {
    layoutStatus("", err);
  }
}

async function makeDefault() {
  const id = $("layout-pick").value;
  if (!id) return layoutStatus("Choose a saved layout first.");
  try {
    const saved = await session.call("GET", `api/v1/admin/dashboards/${encodeURIComponent(id)}`);
    await session.call("PUT", `api/v1/admin/dashboards/${encodeURIComponent(id)}`, { name: saved.name, layout: saved.layout, default: true });
    await loadLayouts({ select: id });
    layoutStatus(`“${saved.name}” opens by default now.`);
  } catch (err) {
    layoutStatus("", err);
  }
}

async function deleteLayout() {
  const id = $("layout-pick").value;
  if (!id) return layoutStatus("Choose a saved layout first.");
  const name = layouts.find((l) => l.id === id)?.name ?? id;
  try {
    await session.call("DELETE", `api/v1/admin/dashboards/${encodeURIComponent(id)}`);
    await loadLayouts();
    layoutStatus(`Deleted “${name}”.`);
  } catch (err) {
    layoutStatus("", err);
  }
}

// ---------------------------------------------------------------------------- start

function showRefusal(err) {
  const card = $("refusal");
  card.dataset.code = err.code;
  card.dataset.status = String(err.status);
  $("refusal-code").textContent = `${err.status} ${err.code}`;
  $("refusal-message").textContent = err.message;
  $("refusal-action").textContent = err.action ?? "";
  card.hidden = false;
}

function switchUser() {
  client?.close("switching user");
  signOut();
  location.reload();
}

async function start(s) {
  session = s;
  $("signin-card").hidden = true;
  const who = $("who");
  who.hidden = false;
  who.replaceChildren(`${s.name} (${s.subject}) `, el("button", { class: "link", type: "button", onclick: switchUser }, "switch user"));

  // The access check: the admin REST API answers a token without admin:access with 403 and says
  // why, which the socket's handshake refusal cannot tell a browser.
  try {
    await loadConnections();
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      showRefusal(err);
      return;
    }
    panelError("connections", err);
  }
  $("admin-view").hidden = false;
  for (const span of document.querySelectorAll(".window-minutes")) span.textContent = String(WINDOW_MS / 60_000);
  if (!Chart) {
    $("banner").textContent = "Chart.js did not load from webjars/chart.js/4.5.1/dist/chart.umd.js: the figures are shown without charts. Check that the WAR contains WEB-INF/lib/chart.js-4.5.1.jar.";
    $("banner").hidden = false;
  }

  client = new RealtimeClient({ url: socketUrl(ENDPOINTS.operators), tokenProvider: () => session.socketToken() });
  bindConnectionBadge(client, { badge: $("conn-state"), detail: $("conn-detail"), retry: $("conn-retry") });
  client.on("error", (err) => console.warn("[realtime]", err.code, err.message));
  window.pdprime = { client, session, system: systemSeries, performance: performanceSeries, alerts };
  client.connect();
  subscribeStream("admin:system", "admin.system", systemSeries, "system");
  subscribeStream("admin:performance", "admin.performance", performanceSeries, "performance");
  subscribeAlerts();
  subscribeActivity();
  loadLayouts({ applyDefault: true });
  // Slides the charts' window and ages the instance table between samples.
  setInterval(() => {
    const now = Date.now();
    renderSystem(now);
    renderPerformance(now);
  }, 2000);
  setInterval(refreshConnectionsNow, CONNECTIONS_REFRESH_MS);
}

$("conn-filters").addEventListener("submit", (ev) => {
  ev.preventDefault();
  reloadConnections();
});
$("connections-more").addEventListener("click", () => reloadConnections({ more: true }));
$("panel-picks").addEventListener("change", (ev) => {
  panel(ev.target.value).hidden = !ev.target.checked;
  $("panels").dataset.shown = panelsShown().join(" ");
});
$("layout-save").addEventListener("submit", saveLayout);
$("layout-load").addEventListener("click", () => ($("layout-pick").value ? applyLayout($("layout-pick").value) : layoutStatus("Choose a saved layout first.")));
$("layout-default").addEventListener("click", makeDefault);
$("layout-delete").addEventListener("click", deleteLayout);
$("refusal-switch").addEventListener("click", switchUser);

setupSignIn({
  form: $("signin"),
  defaults: { role: "operator" },
  presets: {
    operator: { permissions: ["admin:access", "audit:read"], subject: "olga", name: "Olga Operator" },
    admin: { permissions: ["admin:access"], subject: "adam", name: "Adam Admin" },
    user: { permissions: ["quote:read"], subject: "ursula", name: "Ursula User" },
  },
  onSignedIn: start,
});
