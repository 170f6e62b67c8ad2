// Analytics page: one live dashboard (quotes, conversion or performance) for a filter chosen on the
// page. The library's dashboard() keeps the state (snapshot, then merge-patch deltas, a snapshot
// request on a gap); this page only renders each new state. A refused subscription (no
// analytics:read, a filter the server does not accept) is shown with its code, message and action.
import { RealtimeClient, US_STATES, dashboardRoom } from "../js/pdprime-realtime.js";
import { bindConnectionBadge, el, setupSignIn, signOut, socketUrl } from "./common.js";

const $ = (id) => document.getElementById(id);
// Loaded by a classic <script> from the WebJar (analytics.html): the UMD build sets window.Chart.
const Chart = globalThis.Chart;
// Points of the client-side delivery latency line: at one update a second, the last two minutes.
const DELIVERY_POINTS = 120;
const STATUS_ORDER = ["DRAFT", "QUOTED", "BOUND", "EXPIRED"];
const STATUS_COLORS = { DRAFT: "#9a5b00", QUOTED: "#1c7c3c", BOUND: "#0b5cab", EXPIRED: "#6b7785" };
const CLOSE_NAMES = {
  1000: "normal",
  1001: "going away",
  1006: "abnormal",
  1008: "policy",
  1009: "too big",
  1011: "server error",
  4001: "token expired",
  4002: "heartbeat",
  4003: "forbidden",
  4008: "slow consumer",
  4029: "rate limited",
};

let session = null;
let client = null;
// The dashboard on screen: {gen, room, handle}. gen tells callbacks of an earlier choice to stop.
let current = { gen: 0, room: null, handle: null };
let delivery = []; // {label, p50, p99}, accumulated here: the server sends only the latest figures
const charts = new Map();

// ---------------------------------------------------------------------------- choosing

function selection() {
  const form = $("filters");
  const dashboard = form.elements.dashboard.value;
  const hoursText = form.elements.hours.value.trim();
  const filters = { hours: hoursText === "" ? undefined : Number(hoursText) };
  if (dashboard !== "performance") {
    if (form.elements.state.value) filters.state = form.elements.state.value;
    if (form.elements.agent.value.trim()) filters.agent = form.elements.agent.value.trim();
  }
  return { dashboard, filters };
}

function syncFilterControls() {
  const perf = $("f-dashboard").value === "performance";
  $("f-state").disabled = perf;
  $("f-agent").disabled = perf;
}

/** Put the choice into the URL, so a reload or a copied link shows the same dashboard. */
function rememberInUrl({ dashboard, filters }) {
  const params = new URLSearchParams(location.search);
  params.set("dashboard", dashboard);
  for (const key of ["hours", "state", "agent"]) {
    if (filters[key] === undefined || Number.isNaN(filters[key])) params.delete(key);
    else params.set(key, String(filters[key]));
  }
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function setStatus(status) {
  $("dash").dataset.status = status;
}

async function show(choice) {
  const gen = current.gen + 1;
  const previous = current;
  current = { gen, room: null, handle: null };
  if (previous.handle) {
    previous.handle.close().catch((err) => console.warn("[analytics] unsubscribe", err.code, err.message));
  } else if (previous.room && client.rooms().includes(previous.room)) {
    // Still waiting for its reply: unsubscribing rejects that dashboard() with UNSUBSCRIBED.
    client.unsubscribe(previous.room).catch((err) => console.warn("[analytics] unsubscribe", err.code, err.message));
  }
  rememberInUrl(choice);
  delivery = [];
  $("dash").dataset.dashboard = choice.dashboard;
  $("room-name").textContent = "";
  $("dash-updated").textContent = "";
  setStatus("subscribing");
  const stillCurrent = () => current.gen === gen;
  const promise = client.dashboard(
    choice.dashboard,
    choice.filters,
    (state, info) => {
      if (stillCurrent()) render(choice.dashboard, state, info);
    },
    { onError: (err) => stillCurrent() && showError(err) },
  );
  try {
    current.room = dashboardRoom(choice.dashboard, choice.filters);
    $("room-name").textContent = current.room;
  } catch {
    current.room = null; // refused by the client: `promise` rejects with the reason, shown below
  }
  try {
    const handle = await promise;
    if (!stillCurrent()) {
      handle.close().catch(() => {});
      return;
    }
    current.handle = handle;
    current.room = handle.room;
  } catch (err) {
    if (stillCurrent() && err.code !== "UNSUBSCRIBED") showError(err);
  }
}

function showError(err) {
  $("dash-error").dataset.code = err.code;
  $("err-code").textContent = err.code;
  $("err-message").textContent = err.message;
  $("err-action").textContent = err.action ?? "";
  setStatus("error");
}

// ---------------------------------------------------------------------------- rendering

function render(dashboard, state, info) {
  if (info.starting) {
    setStatus("starting");
    $("dash-updated").textContent = "";
    return;
  }
  const at = info.computedAt ? new Date(info.computedAt).toLocaleTimeString() : "unknown time";
  $("dash-updated").textContent = `— version ${info.version} (${info.kind}), computed ${at}`;
  $("dash").dataset.version = String(info.version);
  if (dashboard === "quotes") renderQuotes(state);
  else if (dashboard === "conversion") renderConversion(state);
  else renderPerformance(state, info);
}

function tile(id, value, text = String(value)) {
  $(id).textContent = text;
  $(id).dataset.value = value === null ? "" : String(value);
}

const money = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const ms = (v) => (v === null ? "—" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

function byValueDesc(map) {
  return Object.entries(map).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function hourLabel(key, spansDays) {
  const d = new Date(key);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return spansDays ? `${d.toLocaleDateString([], { weekday: "short" })} ${time}` : time;
}

function renderQuotes(s) {
  tile("tile-quotes", s.totals.quotes);
  tile("tile-customers", s.totals.customers);
  const avg = s.totals.averagePremium;
  tile("tile-premium", avg, avg === null ? "—" : money.format(avg));
  $("tile-premium").title = avg === null ? "no quote in this window has a premium yet" : "";

  const hours = Object.keys(s.timeline).sort();
  const spansDays = hours.length > 24;
  drawChart("chart-timeline", "bar", hours.map((h) => hourLabel(h, spansDays)), [
    { label: "quotes", data: hours.map((h) => s.timeline[h]), backgroundColor: "#0b5cab" },
  ], { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });

  const statuses = [...STATUS_ORDER.filter((k) => k in s.byStatus), ...Object.keys(s.byStatus).filter((k) => !STATUS_ORDER.includes(k)).sort()];
  drawChart("chart-status", "doughnut", statuses, [
    { data: statuses.map((k) => s.byStatus[k]), backgroundColor: statuses.map((k) => STATUS_COLORS[k] ?? "#7b3fc4") },
  ], { plugins: { legend: { position: "right" } } });

  const top = byValueDesc(s.topStates);
  $("states-none").hidden = top.length > 0;
  drawChart("chart-states", "bar", top.map(([k]) => k), [
    { label: "quotes", data: top.map(([, v]) => v), backgroundColor: "#7b3fc4" },
  ], { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });

  $("empty-text").textContent = "No quotes in this window.";
  setStatus(s.totals.quotes === 0 ? "empty" : "live");
}

function duration(seconds) {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return `${h} h ${minutes % 60} min`;
}

function renderConversion(s) {
  tile("tile-created", s.funnel.created);
  tile("tile-rate-quoted", s.rates.quoted, s.rates.quoted === null ? "—" : percent.format(s.rates.quoted));
  tile("tile-rate-bound", s.rates.bound, s.rates.bound === null ? "—" : percent.format(s.rates.bound));
  tile("tile-median-bind", s.medianTimeToBindSeconds, s.medianTimeToBindSeconds === null ? "nothing bound" : duration(s.medianTimeToBindSeconds));
  const steps = ["created", "quoted", "bound"];
  drawChart("chart-funnel", "bar", steps, [
    { label: "quotes", data: steps.map((k) => s.funnel[k]), backgroundColor: ["#5c6b7a", "#1c7c3c", "#0b5cab"] },
  ], { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
  $("empty-text").textContent = "No quotes created in this window.";
  setStatus(s.funnel.created === 0 ? "empty" : "live");
}

function renderPerformance(s, info) {
  tile("tile-calcs", s.calculations.count);
  $("tile-calc-ms").textContent = `${ms(s.calculations.p50Ms)} / ${ms(s.calculations.p95Ms)}`;
  tile("tile-connections", s.connections.open);
  $("tile-delivery").textContent = `${ms(s.delivery.p50Ms)} / ${ms(s.delivery.p99Ms)}`;
  $("tile-instance").textContent = s.delivery.instance ? `measured on ${s.delivery.instance}` : "";

  const codes = Object.keys(s.closes).sort((a, b) => Number(a) - Number(b));
  drawChart("chart-closes", "bar", codes.map((c) => (CLOSE_NAMES[c] ? `${c} ${CLOSE_NAMES[c]}` : c)), [
    { label: "closes", data: codes.map((c) => s.closes[c]), backgroundColor: "#b3261e" },
  ], { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });

  delivery.push({
    label: info.computedAt ? new Date(info.computedAt).toLocaleTimeString() : `v${info.version}`,
    p50: s.delivery.p50Ms,
    p99: s.delivery.p99Ms,
  });
  if (delivery.length > DELIVERY_POINTS) delivery.splice(0, delivery.length - DELIVERY_POINTS);
  drawChart("chart-delivery", "line", delivery.map((p) => p.label), [
    { label: "p50", data: delivery.map((p) => p.p50), borderColor: "#1c7c3c", backgroundColor: "#1c7c3c", spanGaps: false },
    { label: "p99", data: delivery.map((p) => p.p99), borderColor: "#b3261e", backgroundColor: "#b3261e", spanGaps: false },
  ], { scales: { y: { beginAtZero: true } } });

  const rows = byValueDesc(s.errors);
  $("errors-table").replaceChildren(
    el("tr", {}, el("th", {}, "Code"), el("th", {}, "Count")),
    ...rows.map(([code, n]) => el("tr", { dataset: { code } }, el("td", {}, el("code", {}, code)), el("td", {}, String(n)))),
  );
  $("errors-table").hidden = rows.length === 0;
  $("errors-none").hidden = rows.length > 0;
  setStatus("live");
}

/** Creates the chart on first use, then replaces its data without animation. */
function drawChart(id, type, labels, datasets, options) {
  if (!Chart) return;
  const chart = charts.get(id);
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.update("none");
    return;
  }
  charts.set(id, new Chart($(id), {
    type,
    data: { labels, datasets },
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
  }));
}

// ---------------------------------------------------------------------------- start

function start(s) {
  session = s;
  $("signin-card").hidden = true;
  $("analytics-view").hidden = false;
  const who = $("who");
  who.hidden = false;
  who.replaceChildren(
    `${s.name} (${s.subject}) `,
    el("button", { class: "link", type: "button", onclick: () => { client.close("switching user"); signOut(); location.reload(); } }, "switch user"));
  if (!Chart) {
    $("banner").textContent = "Chart.js did not load from webjars/chart.js/4.5.1/dist/chart.umd.js: the figures are shown without charts. Check that the WAR contains WEB-INF/lib/chart.js-4.5.1.jar.";
    $("banner").hidden = false;
  }

  client = new RealtimeClient({ url: socketUrl(), tokenProvider: () => session.socketToken() });
  bindConnectionBadge(client, { badge: $("conn-state"), detail: $("conn-detail"), retry: $("conn-retry") });
  client.on("error", (err) => console.warn("[realtime]", err.code, err.message));
  window.pdprime = { client, session, dashboard: () => current.handle };
  client.connect();
  show(selection());
}

function prefillFromUrl() {
  const params = new URLSearchParams(location.search);
  const form = $("filters");
  for (const code of US_STATES) form.elements.state.append(el("option", { value: code }, code));
  if (params.get("dashboard")) form.elements.dashboard.value = params.get("dashboard");
  if (params.get("hours")) form.elements.hours.value = params.get("hours");
  if (params.get("state")) form.elements.state.value = params.get("state");
  if (params.get("agent")) form.elements.agent.value = params.get("agent");
  syncFilterControls();
}

$("f-dashboard").addEventListener("change", () => {
  syncFilterControls();
  if (client) show(selection());
});
$("filters").addEventListener("submit", (ev) => {
  ev.preventDefault();
  if (client) show(selection());
});

prefillFromUrl();
setupSignIn({
  form: $("signin"),
  defaults: { role: "analyst" },
  presets: {
    analyst: { permissions: ["analytics:read"], subject: "ada", name: "Ada Analyst" },
    agent: { permissions: ["quote:read", "quote:write"], subject: "ann", name: "Ann Agent" },
  },
  onSignedIn: start,
});
