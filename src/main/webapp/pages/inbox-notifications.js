// The notifications part of the inbox page: the held, new and read lists, the unread badge,
// mark read / mark all read, the delivery preferences, desktop alerts for critical notifications
// while the tab is hidden, and the send form. The realtime work (the unread count, the user room,
// the REST calls) is the library's notifications() helper (docs/client.md "Notifications").
import { apiUrl, el } from "./common.js";

const $ = (id) => document.getElementById(id);
// Page sizes: everything held or unread is on one page for a demo user; read ones page by 20.
const HELD_PAGE = 100;
const DELIVERED_PAGE = 100;
const READ_PAGE = 20;

let inbox = null;
let session = null;
const byId = new Map(); // id -> Notification, as last heard (REST page or event)
const next = { delivered: null, read: null };
let zone = null; // the effective time zone from the preferences; null until known
// Events heard while the lists are being (re)loaded: applied again on top of the answers, which
// may have been read before them.
let heardWhileLoading = null;
let desktopShown = 0;

// ---------------------------------------------------------------------------------- rendering

/** A time in `timeZone`, else in the user's effective zone, else the browser's (before it is known). */
function when(iso, timeZone = zone) {
  const options = { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" };
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat("en-US", options).format(new Date(iso));
}

function item(n) {
  const li = el("li", { class: `notif priority-${n.priority}`, dataset: { id: n.id, state: n.state, priority: n.priority, type: n.type } },
    el("div", { class: "notif-head" },
      el("span", { class: `pill priority-${n.priority}` }, n.priority),
      el("span", { class: "notif-title" }, n.title),
      el("span", { class: "notif-type mono" }, n.type)),
    el("div", { class: "notif-body" }, n.body));
  const meta = el("div", { class: "notif-meta" });
  if (n.state === "held" && n.deliverAfter === null) {
    meta.append("Arrives when your business hours begin (the server gave no time)");
  } else if (n.state === "held") {
    meta.append(zone
      ? `Arrives ${when(n.deliverAfter, zone)} (${zone})`
      : `Arrives ${when(n.deliverAfter, "UTC")} (UTC: your time zone is not known)`);
    li.dataset.deliverAfter = n.deliverAfter;
  } else if (n.state === "delivered") {
    meta.append(`Delivered ${when(n.deliveredAt ?? n.createdAt)} `,
      el("button", { type: "button", class: "secondary small", dataset: { action: "read" }, onclick: (ev) => markRead(n.id, ev.currentTarget) }, "Mark read"));
  } else {
    meta.append(`Read ${n.readAt ? when(n.readAt) : ""}`);
  }
  meta.append(el("span", { class: "error-text", role: "alert" }));
  li.append(meta);
  return li;
}

const newestFirst = (key) => (a, b) => String(b[key] ?? b.createdAt).localeCompare(String(a[key] ?? a.createdAt));

function render() {
  const all = [...byId.values()];
  const lists = {
    held: all.filter((n) => n.state === "held").sort((a, b) => String(a.deliverAfter).localeCompare(String(b.deliverAfter))),
    delivered: all.filter((n) => n.state === "delivered").sort(newestFirst("deliveredAt")),
    read: all.filter((n) => n.state === "read").sort(newestFirst("readAt")),
  };
  const empty = { held: "Nothing waiting.", delivered: "Nothing unread.", read: "Nothing read yet." };
  for (const [name, items] of Object.entries(lists)) {
    const ul = $(`list-${name}`);
    ul.replaceChildren(...(items.length ? items.map(item) : [el("li", { class: "empty" }, empty[name])]));
    ul.dataset.count = String(items.length);
  }
  $("count-held").textContent = lists.held.length ? `(${lists.held.length})` : "";
  $("more-delivered").hidden = next.delivered === null;
  $("more-read").hidden = next.read === null;
  $("held-zone").textContent = zone ? `Times are in ${zone}, your effective time zone.` : "";
}

function showUnread(count) {
  const badge = $("unread");
  badge.dataset.count = count === null ? "" : String(count);
  badge.textContent = count === null ? "…" : count === 0 ? "all read" : `${count} unread`;
  $("read-all").disabled = !count;
  document.title = `${count ? `(${count}) ` : ""}Inbox — PD Prime Realtime`;
}

/** One banner for what keeps the inbox from working; the room activity below goes on. */
function showProblem(err, what) {
  const box = $("notif-error");
  box.dataset.code = err.code ?? "";
  if (err.code === "NOT_FOUND") {
    box.textContent = `This server has no notifications API: ${what} answered ${err.status ?? 404} NOT_FOUND (${err.message}). ` +
      "The lists, the badge and the preferences need the notifications backend; the room activity below still works.";
    $("inbox-card").dataset.status = "unavailable";
    $("inbox-status").textContent = "Notifications are not available on this server.";
    $("unread").textContent = "unavailable";
  } else {
    box.textContent = `${what} failed: ${err.message} (${err.code}). ${err.action ?? ""}`;
    $("inbox-card").dataset.status = "error";
  }
  box.hidden = false;
}

function clearProblem() {
  $("notif-error").hidden = true;
  $("notif-error").dataset.code = "";
}

// ---------------------------------------------------------------------------------- lists

function remember(items) {
  for (const n of items) byId.set(n.id, n);
}

/** Loads the three lists from the start (first load, and after a reset of the room). */
async function reload() {
  heardWhileLoading = [];
  try {
    const [held, delivered, read] = await Promise.all([
      inbox.list("held", { limit: HELD_PAGE }),
      inbox.list("unread", { limit: DELIVERED_PAGE }),
      inbox.list("read", { limit: READ_PAGE }),
    ]);
    byId.clear();
    remember([...held.items, ...delivered.items, ...read.items]);
    for (const apply of heardWhileLoading) apply();
    next.delivered = delivered.next;
    next.read = read.next;
    clearProblem();
    $("inbox-card").dataset.status = "ready";
    $("inbox-status").textContent = "New notifications appear here at once; held ones move up when their time comes.";
  } catch (err) {
    showProblem(err, "GET /api/v1/notifications");
  }
  heardWhileLoading = null;
  render();
}

async function more(list, state, page) {
  try {
    const answer = await inbox.list(state, { limit: page, before: next[list] });
    remember(answer.items);
    next[list] = answer.next;
    render();
  } catch (err) {
    showProblem(err, "GET /api/v1/notifications");
  }
}

async function markRead(id, button) {
  button.disabled = true;
  try {
    await inbox.read(id); // the list changes with the notification.read event, on every tab alike
  } catch (err) {
    button.disabled = false;
    button.closest("li").querySelector(".error-text").textContent = ` ${err.message} (${err.code}). ${err.action ?? ""}`;
  }
}

// ---------------------------------------------------------------------------------- live events

/** Applies a change now, and again after a reload that is under way. */
function apply(change) {
  change();
  heardWhileLoading?.push(change);
  render();
}

function onNotification(n) {
  apply(() => byId.set(n.id, n)); // a held one that was released comes back delivered, with the same id
  desktopAlert(n);
}

function onRead({ ids, readAt }) {
  apply(() => {
    for (const id of ids) {
      const n = byId.get(id);
      if (n) byId.set(id, { ...n, state: "read", readAt });
    }
  });
}

// ---------------------------------------------------------------------------------- desktop alerts

function permission() {
  return "Notification" in window ? Notification.permission : "unsupported";
}

function renderDesktop() {
  const p = permission();
  const text = {
    granted: "Allowed: critical notifications show as desktop alerts while this tab is hidden.",
    denied: "Blocked in this browser's site settings; change it there to get desktop alerts.",
    default: "Not asked yet.",
    unsupported: "This browser has no desktop notifications.",
  }[p];
  $("desk-state").textContent = text;
  $("desk-state").dataset.permission = p;
  $("desk-state").dataset.shown = String(desktopShown);
  $("desk-allow").hidden = p !== "default";
}

/** Critical ones only, only while the page is hidden (a visible page shows them itself). */
function desktopAlert(n) {
  if (n.priority !== "critical" || document.visibilityState !== "hidden" || permission() !== "granted") return;
  const alert = new Notification(n.title, { body: n.body, tag: n.id });
  alert.onclick = () => {
    window.focus();
    alert.close();
  };
  desktopShown++;
  renderDesktop();
}

// ---------------------------------------------------------------------------------- preferences

function fillPreferences(p) {
  zone = p.effectiveTimeZone;
  const form = $("prefs");
  form.elements.timeZone.value = p.timeZone ?? "";
  form.elements.quietOn.checked = p.quietHours !== null;
  form.elements.quietStart.value = p.quietHours?.start ?? "";
  form.elements.quietEnd.value = p.quietHours?.end ?? "";
  form.elements.quietStart.disabled = form.elements.quietEnd.disabled = p.quietHours === null;
  form.elements.mutedTypes.value = p.mutedTypes.join(", ");
  $("pref-effective").textContent = p.timeZone
    ? `Effective zone: ${p.effectiveTimeZone} (your choice).`
    : `Effective zone: ${p.effectiveTimeZone} (from your state, or the server's default).`;
  $("pref-effective").dataset.zone = p.effectiveTimeZone;
  $("pref-save").disabled = false;
  render();
}

async function loadPreferences() {
  try {
    fillPreferences(await inbox.getPreferences());
  } catch (err) {
    $("pref-effective").textContent = `Preferences could not be read: ${err.message} (${err.code}).`;
    $("pref-result").dataset.code = err.code;
  }
}

async function savePreferences(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const result = $("pref-result");
  const quietOn = form.elements.quietOn.checked;
  const body = {
    timeZone: form.elements.timeZone.value.trim() || null,
    quietHours: quietOn ? { start: form.elements.quietStart.value, end: form.elements.quietEnd.value } : null,
    mutedTypes: form.elements.mutedTypes.value.split(",").map((t) => t.trim()).filter(Boolean),
  };
  result.textContent = "saving…";
  result.dataset.code = "";
  try {
    fillPreferences(await inbox.putPreferences(body));
    result.textContent = "Saved.";
    result.dataset.code = "OK";
    await reload(); // the server may have moved held notifications to the new window
  } catch (err) {
    result.textContent = `${err.message} (${err.code}). ${err.action ?? ""}`;
    result.dataset.code = err.code;
  }
}

// ---------------------------------------------------------------------------------- sending

async function send(ev) {
  ev.preventDefault();
  const f = ev.currentTarget.elements;
  const result = $("send-result");
  const body = { recipient: f.recipient.value.trim(), type: f.type.value.trim(), priority: f.priority.value, title: f.title.value, body: f.body.value };
  if (f.collapseKey.value.trim()) body.collapseKey = f.collapseKey.value.trim();
  result.textContent = "sending…";
  result.dataset.state = "";
  try {
    const sent = await session.call("POST", "api/v1/notifications", body);
    result.dataset.state = sent.state;
    result.textContent = {
      delivered: "Delivered now.",
      held: `Held until ${sent.deliverAfter ? when(sent.deliverAfter, zone ?? "UTC") : "the business window"} (the recipient's business hours).`,
      muted: "Not delivered: the recipient muted this type.",
    }[sent.state] ?? `Answered state ${sent.state}.`;
  } catch (e) {
    result.dataset.state = "error";
    result.textContent = `${e.message} (${e.code}). ${e.action ?? ""}`;
  }
}

// ---------------------------------------------------------------------------------- start

function zones() {
  if (typeof Intl.supportedValuesOf !== "function") return;
  $("zones").replaceChildren(...Intl.supportedValuesOf("timeZone").map((z) => el("option", { value: z })));
}

/**
 * Follows the user's notifications on `client`. `onEvent` and `onReset` get every event of the
 * room and its resets (the page's activity list). Resolves with the helper's handle; rejects with
 * the subscribe refusal.
 */
export async function startNotifications(client, s, { onEvent, onReset }) {
  session = s;
  $("send-card").hidden = !s.has("notifications:send");
  $("send-recipient").value = s.subject;
  zones();
  renderDesktop();
  showUnread(null);
  inbox = await client.notifications({
    apiUrl: apiUrl("api/v1/"),
    subject: s.subject,
    restToken: () => s.restToken(),
    onUnread: showUnread,
    onNotification,
    onRead,
    onEvent,
    onReset: (data) => {
      onReset(data);
      reload();
    },
    // REST errors (status set) come from reloading the count; the others end the subscription.
    onError: (err) => showProblem(err, err.status ? "GET /api/v1/notifications (the unread count)" : "The inbox subscription"),
  });
  loadPreferences(); // each shows its own failure; neither holds up the subscription
  reload();
  return inbox;
}

$("read-all").addEventListener("click", async () => {
  $("read-all").disabled = true;
  try {
    await inbox.readAll();
  } catch (err) {
    $("read-all").disabled = false;
    showProblem(err, "Mark all read");
  }
});
// A notification that is held raises no event (only its delivery does), so new held ones show
// after a reload of the lists: at start, after a reset, after saving preferences, or from here.
$("reload").addEventListener("click", () => reload());
$("more-delivered").addEventListener("click", () => more("delivered", "unread", DELIVERED_PAGE));
$("more-read").addEventListener("click", () => more("read", "read", READ_PAGE));
$("prefs").addEventListener("submit", savePreferences);
$("pref-quiet-on").addEventListener("change", (ev) => {
  $("pref-quiet-start").disabled = $("pref-quiet-end").disabled = !ev.currentTarget.checked;
});
$("desk-allow").addEventListener("click", async () => {
  // Asked only here, on the user's click: browsers refuse (or hide) a request made without one.
  await Notification.requestPermission();
  renderDesktop();
});
$("send").addEventListener("submit", send);
