// Inbox page: the user's notifications (pages/inbox-notifications.js) and, below them, every event
// of the user room user:{subject}, each once and in seq order, across reconnects. The library
// resubscribes with `since` after every reconnect and drops duplicates; when the server cannot
// replay (recovered:false, e.g. a new epoch after a restart of the in-memory default) it calls
// onReset, and the page says so instead of pretending nothing was missed.
import { RealtimeClient } from "../js/pdprime-realtime.js";
import { bindConnectionBadge, clock, el, setupSignIn, signOut, socketUrl } from "./common.js";
import { startNotifications } from "./inbox-notifications.js";

const $ = (id) => document.getElementById(id);
let session = null;
let client = null;
let room = null;
const stats = { events: 0, duplicates: 0, resets: 0, reconnects: 0 };

function renderStats() {
  $("stat-events").textContent = String(stats.events);
  $("stat-duplicates").textContent = String(stats.duplicates);
  $("stat-resets").textContent = String(stats.resets);
  $("stat-reconnects").textContent = String(stats.reconnects);
}

function short(epoch) {
  return epoch ? epoch.slice(0, 6) : "";
}

function setPosition(text) {
  $("position").textContent = text;
}

function prepend(li) {
  $("empty").hidden = true;
  $("events").prepend(li); // newest first
}

function describe(data) {
  if (data && typeof data.text === "string") return data.text;
  if (data && typeof data.title === "string") return data.title; // a notification
  return JSON.stringify(data ?? {});
}

function onEvent(ev) {
  if (ev.ephemeral) {
    // The server also announces this user's own connections (presence.*) in the user room;
    // they are not notifications.
    if (ev.name.startsWith("presence.")) return;
    prepend(el("li", { class: "ephemeral", dataset: { name: ev.name } },
      el("span", { class: "seq" }, "—"),
      el("span", {}, el("div", { class: "name" }, ev.name), el("div", { class: "data" }, describe(ev.data))),
      el("span", { class: "time" }, clock(ev.ts))));
    return;
  }
  stats.events++;
  renderStats();
  prepend(el("li", { class: "event", dataset: { seq: ev.seq, epoch: ev.epoch, name: ev.name, text: ev.data?.text ?? "" } },
    el("span", { class: "seq", title: `epoch ${ev.epoch}` }, `#${ev.seq}`),
    el("span", {}, el("div", { class: "name" }, ev.name), el("div", { class: "data" }, describe(ev.data))),
    el("span", { class: "time" }, clock(ev.ts))));
  setPosition(`At seq ${ev.seq} of epoch ${short(ev.epoch)}.`);
}

/** The server could not replay what was missed; show where the list picks up again. */
function onReset(data) {
  stats.resets++;
  renderStats();
  const why = {
    EPOCH_CHANGED: "the room's history was reset (new epoch; the embedded default keeps history in memory, so a restart resets it)",
    TOO_FAR_BEHIND: "too many events were missed to replay them",
    HISTORY_EXPIRED: "the missed events are no longer in history",
    POSITION_AHEAD: "this server has not yet seen the newest events",
  }[data.reason] ?? "the missed events cannot be replayed";
  prepend(el("li", { class: "reset", dataset: { epoch: data.epoch, seq: data.seq, reason: data.reason ?? "" } },
    `Resynchronised: ${why}. The list continues after seq ${data.seq} of epoch ${short(data.epoch)}; events published while you were away before that point are not shown.`));
  setPosition(`At seq ${data.seq} of epoch ${short(data.epoch)} (after a reset: ${data.reason ?? "unknown reason"}).`);
}

async function start(s) {
  session = s;
  room = `user:${s.subject}`;
  $("signin-card").hidden = true;
  $("inbox-view").hidden = false;
  $("room-name").textContent = room;
  $("publish-card").hidden = !s.has("realtime:publish");
  const who = $("who");
  who.hidden = false;
  who.replaceChildren(
    `${s.name} (${s.subject}) `,
    el("button", { class: "link", type: "button", onclick: () => { client.close("switching user"); signOut(); location.reload(); } }, "switch user"));

  client = new RealtimeClient({ url: socketUrl(), tokenProvider: () => session.socketToken() });
  bindConnectionBadge(client, { badge: $("conn-state"), detail: $("conn-detail"), retry: $("conn-retry") });
  client.on("error", (err) => console.warn("[realtime]", err.code, err.message));
  client.on("duplicate", () => {
    stats.duplicates++;
    renderStats();
  });
  client.on("reconnecting", () => {
    stats.reconnects++;
    renderStats();
  });
  client.on("resubscribed", (data) => {
    if (data.room !== room) return;
    setPosition(`Resumed at seq ${client.position(room)?.seq} of epoch ${short(data.epoch)}${data.replayed ? `; ${data.replayed} missed event(s) replayed` : ""}.`);
    $("events").dataset.resumed = String(Number($("events").dataset.resumed ?? 0) + 1);
  });
  window.pdprime = { client, session };
  client.connect();

  try {
    // Resolves once subscribed; the lists and preferences load after it.
    window.pdprime.inbox = await startNotifications(client, s, { onEvent, onReset });
    $("events").dataset.subscribed = "1";
    const at = client.position(room);
    setPosition(`Subscribed at seq ${at.seq} of epoch ${short(at.epoch)}: events after it appear here.`);
  } catch (err) {
    showBanner(`Cannot subscribe to ${room}: ${err.message}. ${err.action ?? ""}`);
  }
}

function showBanner(text) {
  $("banner").textContent = text;
  $("banner").hidden = false;
}

$("clear").addEventListener("click", () => {
  for (const li of [...$("events").children]) if (li.id !== "empty") li.remove();
  $("empty").hidden = false;
});

$("publish").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  const result = $("pub-result");
  result.textContent = "publishing…";
  try {
    const placed = await session.call("POST", `api/v1/rooms/${encodeURIComponent(room)}/events`, {
      name: form.elements.eventName.value.trim(),
      data: { text: form.elements.text.value },
    });
    result.textContent = `published as seq ${placed.seq} (epoch ${short(placed.epoch)})`;
  } catch (e) {
    result.textContent = `${e.message}${e.action ? ` — ${e.action}` : ""}`;
  }
});

setupSignIn({
  form: $("signin"),
  defaults: { role: "publisher" },
  presets: {
    user: { permissions: [], subject: "alice", name: "Alice" },
    publisher: { permissions: ["realtime:publish"], subject: "alice", name: "Alice" },
    sender: { permissions: ["notifications:send", "realtime:publish"], subject: "alice", name: "Alice" },
  },
  onSignedIn: start,
});
