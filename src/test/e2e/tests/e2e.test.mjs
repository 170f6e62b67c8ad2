// End-to-end tests of the example pages in a real browser (Debian's chromium, driven by
// playwright-core) against the built WAR on Payara Micro. Run by ../run.sh.
//
//  1. the start page links to both example pages, /health and /metrics;
//  2. two browser contexts open one quote: edits, editing indicators, a conflict, a calculation;
//  3. the inbox page rides out the browser going offline and a server restart, and ends with every
//     event the protocol promises, in order, none twice; a notification sent over REST shows in two
//     tabs of the user with the unread badge, one sent in quiet hours (saved on the page) is held and
//     listed with its arrival time, a read in one tab is a read in the other, a mute of a security
//     type is refused with the server's code, a critical one alerts a hidden tab (against a server
//     without the notifications API: the page's error); with the notifications REST API and
//     the socket scripted after the contract, the held (with its arrival time), new and read lists,
//     a release, mark read and mark all read, the preferences body and a refusal, a desktop alert;
//  4. the analytics page: an agent's new quote raises that agent's quotes total within seconds; a
//     user without analytics:read sees the refusal; with a scripted socket, a starting stream, a
//     delta and a gap repaired by one snapshot request;
//  5. the admin console: a user token is refused (and /ws/admin refuses it with 403); an admin
//     without audit:read sees the activity feed refused; an operator sees the instance's live figures; a
//     disconnect from the connections table closes another page's socket with 4010 and shows in
//     the activity feed; an alert is acknowledged and resolved; a saved default layout comes back;
//  6. a screenshot of each example page is in target/e2e-screenshots/ (with E2E_UPDATE_DOCS=1 the
//     scripted inbox, analytics and admin ones also replace docs/inbox.png, docs/analytics.png and
//     docs/admin.png).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { launchChromium } from "../lib/browser.mjs";
import { REPO, Server, freePort } from "../lib/server.mjs";

const SHOTS = path.join(REPO, "target/e2e-screenshots");
const LOGS = path.join(REPO, "target/e2e-logs");
const PAGES = ["index", "quote", "inbox", "analytics", "admin"];

let server;
let chrome;

before(async () => {
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  // A capacity of two connections: the connections monitor raises an alert as soon as the admin
  // test holds two sockets, so the console has a real alert to acknowledge and resolve.
  server = new Server({ port, logDir: LOGS, properties: { "realtime.monitor.connections.capacity": "2" } });
  const [startedMs] = await Promise.all([
    server.start(),
    launchChromium({ logDir: LOGS }).then((c) => (chrome = c)),
  ]);
  console.log(`server ${server.base} ready in ${(startedMs / 1000).toFixed(1)} s (log ${server.logFile})`);
}, { timeout: 200_000 });

after(async () => {
  try {
    await chrome?.close();
  } finally {
    await server?.stop();
    server?.cleanup();
  }
});

// If the runner is interrupted, do not leave a server or a browser behind.
process.on("exit", () => {
  server?.kill();
  chrome?.kill();
});

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page, { role, subject, name }) {
  await page.waitForSelector("#signin");
  await page.selectOption("#si-role", role);
  await page.fill("#si-subject", subject);
  await page.fill("#si-name", name);
  await page.click("#si-submit");
  await page.waitForSelector('#conn-state[data-state="open"]', { timeout: 20_000 });
}

/** The page's browser notifications are recorded in window.__alerts, permission "granted". */
async function recordDesktopAlerts(page) {
  await page.addInitScript(() => {
    window.__alerts = [];
    class RecordedNotification {
      constructor(title, options) {
        window.__alerts.push({ title, ...options });
      }
      close() {}
    }
    RecordedNotification.permission = "granted";
    RecordedNotification.requestPermission = async () => "granted";
    window.Notification = RecordedNotification;
  });
}

/**
 * Plays the server's socket for `page`: a welcome for `subject`, a pong for each ping; every other
 * command goes to answer(frame, ws). Resolves with {received (every command), socket (the last)}.
 */
async function scriptSocket(page, subject, answer) {
  const script = { received: [], socket: null };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    script.socket = ws;
    ws.send(JSON.stringify({ type: "welcome", connectionId: "scripted", subject, heartbeatMs: 25000 }));
    ws.onMessage((text) => {
      const f = JSON.parse(text);
      script.received.push(f);
      if (f.type === "ping") ws.send(JSON.stringify({ type: "pong", replyTo: f.id, ts: Date.now() }));
      else answer(f, ws);
    });
  });
  return script;
}

const field = (path) => `[data-field="${path}"]`;
const atVersion = (path, version) => `[data-field="${path}"][data-version="${version}"]`;

async function badgeHistory(page) {
  return (await page.getAttribute("#conn-state", "data-history")).split(" ").filter(Boolean);
}

// ------------------------------------------------------------------------------------------------

test("start page: what this is, links to the example pages, /health and /metrics", async () => {
  const { context, page } = await chrome.newPage();
  try {
    await page.goto(`${server.base}/`);
    await page.waitForSelector("#health:text('UP')");
    for (const id of ["link-quote", "link-inbox", "link-analytics", "link-admin", "link-health", "link-metrics"]) {
      const href = await page.$eval(`#${id}`, (a) => a.href);
      const res = await fetch(href);
      assert.equal(res.status, 200, `${id} -> ${href}`);
    }
    assert.match(await page.textContent("#curl-token"), /\/api\/v1\/dev\/tokens/);
    await shot(page, "index");
  } finally {
    await context.close();
  }
});

test("two windows edit one quote: live fields, who is editing, a conflict, the calculation", { timeout: 120_000 }, async () => {
  const a = await chrome.newPage(); // Ann, an agent: quote:read quote:write (no premium:view)
  const b = await chrome.newPage(); // Uma, an underwriter: also premium:view
  try {
    await a.page.goto(`${server.base}/quote.html`);
    await signIn(a.page, { role: "agent", subject: "ann", name: "Ann Agent" });
    await a.page.fill("#cq-subject", "carl");
    await a.page.fill("#cq-name", "Carl Customer");
    await a.page.click("#cq-submit");
    await a.page.waitForSelector('#quote-view[data-ready="1"]');
    const url = a.page.url();
    assert.match(url, /[?&]quote=[0-9a-f-]{36}$/, "the quote id is in the URL");

    // The second window opens the same URL.
    await b.page.goto(url);
    await signIn(b.page, { role: "underwriter", subject: "uma", name: "Uma Underwriter" });
    await b.page.waitForSelector('#quote-view[data-ready="1"]');
    for (const p of [a.page, b.page]) {
      await p.waitForSelector('#presence li[data-subject="ann"]');
      await p.waitForSelector('#presence li[data-subject="uma"]');
    }

    // An edit in one window appears in the other.
    await a.page.selectOption(field("state"), "CA");
    await b.page.waitForSelector(atVersion("state", 1));
    assert.equal(await b.page.inputValue(field("state")), "CA");

    // Who is editing which field: Uma types, Ann sees it; Uma leaves the field, the value arrives.
    await b.page.click(field("vehicles.1.make"));
    await b.page.keyboard.type("Toyota");
    await a.page.waitForSelector('[data-editors-for="vehicles.1.make"][data-editors="uma"]', { timeout: 5_000 });
    assert.match(await a.page.textContent('[data-editors-for="vehicles.1.make"]'), /Uma Underwriter/);
    await b.page.keyboard.press("Tab");
    await a.page.waitForSelector(atVersion("vehicles.1.make", 1));
    assert.equal(await a.page.inputValue(field("vehicles.1.make")), "Toyota");
    await a.page.waitForSelector('[data-editors-for="vehicles.1.make"][data-editors=""]', { state: "attached", timeout: 5_000 });

    // A conflict: Ann starts typing a driver's name from version 0; Uma saves first.
    await a.page.click(field("drivers.1.name"));
    await a.page.keyboard.type("Carl C. Customer");
    await b.page.fill(field("drivers.1.name"), "Carl Customer");
    await b.page.press(field("drivers.1.name"), "Enter");
    await a.page.waitForSelector(atVersion("drivers.1.name", 1));
    assert.equal(await a.page.inputValue(field("drivers.1.name")), "Carl C. Customer", "typing is not overwritten");
    await a.page.press(field("drivers.1.name"), "Enter"); // sends version 0: the version Ann edited
    const conflict = '[data-conflict-for="drivers.1.name"] .conflict';
    await a.page.waitForSelector(conflict);
    assert.match(await a.page.textContent(conflict), /Uma Underwriter saved “Carl Customer” \(v1\)/);
    assert.equal(await a.page.inputValue(field("drivers.1.name")), "Carl Customer", "the winner's value is shown");
    await shot(a.page, "quote-conflict");
    await a.page.click(`${conflict} button[data-action="retry"]`);
    await b.page.waitForSelector(atVersion("drivers.1.name", 2));
    assert.equal(await b.page.inputValue(field("drivers.1.name")), "Carl C. Customer");
    await a.page.waitForSelector(`${conflict}`, { state: "detached" });

    // The fields rating needs, then a calculation with its progress.
    await a.page.fill(field("vehicles.1.year"), "2021");
    await a.page.press(field("vehicles.1.year"), "Enter");
    await a.page.fill(field("drivers.1.birthDate"), "1985-04-02");
    await a.page.selectOption(field("coverages.liability"), "100/300/100");
    await a.page.selectOption(field("coverages.collisionDeductible"), "500");
    await a.page.click("#calculate"); // moves the focus off the last field
    await b.page.waitForSelector(atVersion("coverages.collisionDeductible", 1));
    await b.page.waitForSelector('#calc-progress[data-outcome="done"]', { timeout: 20_000 });
    await a.page.waitForSelector('#calc-progress[data-outcome="done"]', { timeout: 20_000 });
    assert.equal(
      await b.page.getAttribute("#calc-progress", "data-stages"),
      "validating rating-vehicles rating-drivers applying-coverages finalizing",
      "the progress bar followed every stage",
    );
    await b.page.waitForSelector('#premium[data-state="shown"]');
    assert.ok(Number(await b.page.getAttribute("#premium", "data-total")) > 0, "premium:view sees the amount");
    await a.page.waitForSelector('#quote-status[data-status="QUOTED"]');
    assert.equal(await a.page.getAttribute("#premium", "data-state"), "hidden", "without premium:view: premium hidden");
    assert.match(await a.page.textContent("#premium"), /Premium hidden/);
    await b.page.waitForSelector('#quote-status[data-status="QUOTED"]');
    await shot(b.page, "quote");
    await shot(a.page, "quote-agent");
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test("inbox: offline and a server restart show in the badge; every promised event arrives once, in order", { timeout: 200_000 }, async () => {
  const { context, page } = await chrome.newPage();
  const room = "user:dana";
  try {
    await page.goto(`${server.base}/inbox.html`);
    await signIn(page, { role: "user", subject: "dana", name: "Dana" });
    await page.waitForSelector('#events[data-subscribed="1"]');
    let backend = await server.token("billing-service", ["realtime:publish"]);

    const published = []; // {epoch, seq, text}, as the server placed them
    const publish = async (text) => {
      // Not "notification.…": that prefix is the server's own (protocol, event catalogue).
      const placed = await server.publish(backend, room, "message.posted", { text });
      published.push({ epoch: placed.epoch, seq: placed.seq, text });
      return placed;
    };
    const shows = (n) => page.waitForFunction((n) => document.querySelectorAll("#events li.event").length >= n, n, { timeout: 60_000 });

    for (let i = 1; i <= 3; i++) await publish(`before restart ${i}`);
    await shows(3);
    const epoch0 = published[0].epoch;

    // The browser goes offline: the badge says so; an event published meanwhile is replayed.
    await context.setOffline(true);
    await page.waitForSelector('#conn-state[data-state="offline"]', { timeout: 10_000 });
    await publish("while offline");
    await context.setOffline(false);
    await page.waitForSelector('#conn-state[data-state="open"]', { timeout: 30_000 });
    await shows(4);
    assert.equal(await page.textContent("#stat-resets"), "0", "same epoch: resumed, no reset");

    // Restart the server (same port). Its H2 is in memory: the room's history starts again in a
    // new epoch, so the client must surface a reset (protocol §3.2, recovered:false).
    await server.stop();
    await page.waitForSelector('#conn-state[data-state="reconnecting"]', { timeout: 15_000 });
    await server.start();
    backend = await server.token("billing-service", ["realtime:publish"]);
    // Published as soon as the server is up: the page may or may not have resubscribed yet.
    const early = await publish("right after the restart");
    assert.notEqual(early.epoch, epoch0, "a restarted in-memory server has a new epoch");
    await page.waitForSelector("#events li.reset", { timeout: 60_000 });
    await page.waitForSelector('#conn-state[data-state="open"]');
    for (let i = 1; i <= 3; i++) await publish(`after reconnect ${i}`);

    const history = await badgeHistory(page);
    const restartAt = history.lastIndexOf("reconnecting");
    assert.ok(restartAt > 0 && history.slice(0, restartAt).includes("open"), `badge went open → reconnecting: ${history}`);
    assert.equal(history.at(-1), "open", `badge came back: ${history}`);
    assert.ok(history.includes("offline"), `badge showed offline: ${history}`);

    const reset = await page.$eval("#events li.reset", (li) => ({ ...li.dataset, seq: Number(li.dataset.seq) }));
    assert.equal(reset.reason, "EPOCH_CHANGED");
    assert.equal(reset.epoch, early.epoch);

    // What the protocol promises: every event of the old epoch up to the loss, then, in the new
    // epoch, every event after the reset position — in seq order, each once.
    const promised = [
      ...published.filter((e) => e.epoch === epoch0),
      ...published.filter((e) => e.epoch === reset.epoch && e.seq > reset.seq),
    ];
    await page.waitForFunction(
      (n) => document.querySelectorAll("#events li.event").length >= n,
      promised.length,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(500); // anything extra (a duplicate) would show up now
    const shown = await page.$$eval("#events li", (lis) =>
      lis
        .reverse() // the page lists newest first
        .filter((li) => li.classList.contains("event") || li.classList.contains("reset"))
        .map((li) => (li.classList.contains("reset") ? { reset: true, seq: Number(li.dataset.seq) } : { epoch: li.dataset.epoch, seq: Number(li.dataset.seq), text: li.dataset.text })),
    );
    const events = shown.filter((e) => !e.reset);
    assert.deepEqual(events, promised, "every promised event, in order, none twice");
    assert.equal(shown.filter((e) => e.reset).length, 1, "one reset, between the epochs");
    assert.equal(shown.findIndex((e) => e.reset), published.filter((e) => e.epoch === epoch0).length);
    for (const text of ["after reconnect 1", "after reconnect 2", "after reconnect 3"]) {
      assert.ok(events.some((e) => e.text === text), `${text} arrived`);
    }
    const keys = events.map((e) => `${e.epoch}/${e.seq}`);
    assert.equal(new Set(keys).size, keys.length, "no event twice");
    console.log(`inbox: ${events.length} events shown; reset at seq ${reset.seq} of the new epoch; badge ${history.join(" → ")}`);
    await shot(page, "inbox");
  } finally {
    await context.close();
  }
});

test("inbox notifications: sent over REST, shown in two tabs with the badge; held in quiet hours with its time; read in one tab, read in both; a refused mute; a critical one alerts a hidden tab", { timeout: 120_000 }, async (t) => {
  const subject = "e2e-nina";
  const a = await chrome.newPage();
  const b = await chrome.newPage();
  try {
    // Tab A records desktop alerts instead of showing them, as if the user had allowed them.
    await recordDesktopAlerts(a.page);
    for (const { page } of [a, b]) {
      await page.goto(`${server.base}/inbox.html`);
      await signIn(page, { role: "user", subject, name: "Nina" });
      await page.waitForSelector('#events[data-subscribed="1"]');
    }
    const own = await server.token(subject, []);
    const probe = await fetch(`${server.base}/api/v1/notifications?state=all&limit=1`, { headers: { Authorization: `Bearer ${own}` } });
    if (probe.status === 404) {
      // A server without the notifications backend: the page says so instead of staying blank.
      await a.page.waitForSelector('#notif-error[data-code="NOT_FOUND"]', { timeout: 10_000 });
      assert.match(await a.page.textContent("#notif-error"), /no notifications API/);
      assert.equal(await a.page.getAttribute("#inbox-card", "data-status"), "unavailable");
      await shot(a.page, "inbox-without-notifications");
      t.diagnostic("GET /api/v1/notifications answered 404: this build has no notifications backend; only the page's error was checked");
      return;
    }
    assert.equal(probe.status, 200, await probe.text());

    const badge = async (page) => Number(await page.getAttribute("#unread", "data-count"));
    const badgeIs = (page, n) => page.waitForSelector(`#unread[data-count="${n}"]`, { timeout: 10_000 });
    for (const { page } of [a, b]) {
      await page.waitForSelector('#inbox-card[data-status="ready"]', { timeout: 10_000 });
      await page.waitForSelector('#unread:not([data-count=""])', { timeout: 10_000 });
    }
    let unread = await badge(a.page);
    assert.equal(await badge(b.page), unread);

    const sender = await server.token("e2e-billing", ["notifications:send"]);
    const send = async (body) => {
      const res = await fetch(`${server.base}/api/v1/notifications`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${sender}` },
        body: JSON.stringify({ recipient: subject, ...body }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      return res.json();
    };

    // Tab A goes to the background; a critical notice arrives at once in both tabs.
    await a.page.evaluate(() => Object.defineProperty(document, "visibilityState", { get: () => "hidden", configurable: true }));
    const critical = await send({ type: "security.sign-in", priority: "critical", title: "New sign-in to your account", body: "A browser in Denver signed in as you." });
    assert.equal(critical.state, "delivered", "critical notices are never held");
    unread++;
    for (const { page } of [a, b]) {
      await page.waitForSelector(`#list-delivered li[data-id="${critical.id}"]`, { timeout: 10_000 });
      await badgeIs(page, unread);
    }
    await a.page.waitForSelector('#desk-state[data-shown="1"]');
    assert.deepEqual(await a.page.evaluate(() => window.__alerts.map((x) => [x.title, x.tag])), [["New sign-in to your account", critical.id]]);

    // Quiet hours around now in tab A's chosen zone: a routine notice is held until they end
    // (for anyone; a customer's would also wait for business hours), whatever the time of day.
    const zone = "America/Denver";
    const hhmm = (ms) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
    await a.page.fill("#pref-zone", zone);
    await a.page.check("#pref-quiet-on");
    await a.page.fill("#pref-quiet-start", hhmm(Date.now() - 3_600_000));
    await a.page.fill("#pref-quiet-end", hhmm(Date.now() + 2 * 3_600_000));
    await a.page.click("#pref-save");
    await a.page.waitForSelector('#pref-result[data-code="OK"]', { timeout: 10_000 });
    assert.equal(await a.page.getAttribute("#pref-effective", "data-zone"), zone);
    const routine = await send({ type: "rate.changed", priority: "normal", title: "Your rate changed", body: "The premium of your auto policy was recalculated.", collapseKey: "e2e-rate" });
    assert.equal(routine.state, "held", `a normal notice in quiet hours is held: ${JSON.stringify(routine)}`);
    assert.ok(Date.parse(routine.deliverAfter) > Date.now(), `held until later: ${routine.deliverAfter}`);
    // A hold announces nothing: the list shows it after a reload.
    await a.page.click("#reload");
    const held = `#list-held li[data-id="${routine.id}"]`;
    await a.page.waitForSelector(held, { timeout: 10_000 });
    assert.equal(await a.page.getAttribute(held, "data-deliver-after"), routine.deliverAfter);
    assert.match(await a.page.textContent(held), /Arrives .+M[SD]T \(America\/Denver\)/, "when it arrives, in the effective zone");
    await badgeIs(a.page, unread);

    // Read in tab B: tab A moves it to Read and counts one less.
    await b.page.click(`#list-delivered li[data-id="${critical.id}"] button[data-action="read"]`);
    unread--;
    for (const { page } of [a, b]) {
      await page.waitForSelector(`#list-read li[data-id="${critical.id}"]`, { timeout: 10_000 });
      await badgeIs(page, unread);
    }

    // Muting a security type is refused with the server's code and action.
    await shot(a.page, "inbox-notifications");
    await a.page.fill("#pref-muted", "security.sign-in");
    await a.page.click("#pref-save");
    await a.page.waitForSelector('#pref-result[data-code="NOTIFICATION_TYPE_UNMUTABLE"]', { timeout: 10_000 });
    assert.ok((await a.page.textContent("#pref-result")).length > 30, "the refusal says what to do");

    // Mark all read in tab A: both badges go to zero.
    if (unread > 0) {
      await a.page.click("#read-all");
      for (const { page } of [a, b]) await badgeIs(page, 0);
    }
    assert.equal(await b.page.$$eval("#list-delivered li[data-id]", (lis) => lis.length), 0);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test("inbox page with a scripted notifications backend: the lists, the badge, mark read, preferences, a desktop alert", { timeout: 60_000 }, async () => {
  const { context, page } = await chrome.newPage();
  const room = "user:e2e-olive";
  const puts = []; // the preference bodies the page sent
  let seq = 0;
  const n = (id, state, extra) => ({
    id, type: "rate.changed", priority: "normal", title: `Notification ${id}`, body: "The premium of your auto policy was recalculated.",
    data: {}, createdAt: "2026-11-30T09:00:00Z", deliverAfter: null, deliveredAt: null, readAt: null, state, ...extra,
  });
  const store = {
    held: [
      n("h1", "held", { title: "Your rate changed", deliverAfter: "2026-12-01T15:00:00Z" }),
      n("h2", "held", { type: "quote.reminder", priority: "low", title: "Finish your home quote", body: "Two questions are left on quote Q-1107.", deliverAfter: "2026-12-01T16:30:00Z" }),
    ],
    unread: [
      n("d1", "delivered", { type: "quote.calculated", title: "Quote Q-1042 is ready", body: "Premium $1,284.00 for 12 months.", deliveredAt: "2026-11-30T09:10:00Z" }),
      n("d2", "delivered", { type: "quote.expiring", title: "Quote Q-0977 expires in 24 hours", body: "Bind it before Dec 1, 9:00 AM to keep this premium.", deliveredAt: "2026-11-30T09:05:00Z" }),
    ],
    read: [n("r1", "read", { type: "quote.bound", title: "Policy P-5531 is bound", body: "Your documents are ready.", deliveredAt: "2026-11-29T16:00:00Z", readAt: "2026-11-29T16:30:00Z" })],
  };
  let prefs = { timeZone: null, effectiveTimeZone: "America/Chicago", quietHours: null, mutedTypes: [] };
  const json = (route, status, body) => route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });
  const event = (name, data) => JSON.stringify({ type: "event", room, name, epoch: "e1", seq: ++seq, ts: Date.now(), data });
  try {
    // The page and its tokens come from the server; the notifications REST API and the socket are
    // played by the test, after the contract of docs/protocol.md (they run whether or not the
    // server has the notifications backend).
    await page.route(/\/api\/v1\/notifications(\/preferences)?(\?.*)?$/, async (route) => {
      const req = route.request();
      const url = new URL(req.url());
      assert.match(req.headers().authorization ?? "", /^Bearer /);
      if (url.pathname.endsWith("/preferences")) {
        if (req.method() === "GET") return json(route, 200, prefs);
        const body = req.postDataJSON();
        puts.push(body);
        if (body.mutedTypes.some((t) => t.startsWith("security."))) {
          return json(route, 400, { code: "NOTIFICATION_TYPE_UNMUTABLE", message: `${body.mutedTypes[0]} cannot be muted`, action: "Remove security.* and critical-only types from mutedTypes." });
        }
        prefs = { ...body, effectiveTimeZone: body.timeZone ?? "America/Chicago" };
        return json(route, 200, prefs);
      }
      const state = url.searchParams.get("state");
      const limit = Number(url.searchParams.get("limit"));
      const items = (state === "all" ? [...store.held, ...store.unread, ...store.read] : store[state]).slice(0, limit);
      return json(route, 200, { items, unread: store.unread.length, next: null });
    });
    await recordDesktopAlerts(page);
    const script = await scriptSocket(page, "e2e-olive", (f, ws) => {
      if (f.type === "subscribe") ws.send(JSON.stringify({ type: "ok", replyTo: f.id, data: { room: f.room, epoch: "e1", seq: 0 } }));
      else if (f.type === "notification.read" || f.type === "notification.read-all") {
        const ids = f.type === "notification.read" ? [f.notificationId] : store.unread.map((x) => x.id);
        const readAt = new Date().toISOString();
        for (const id of ids) {
          const i = store.unread.findIndex((x) => x.id === id);
          if (i >= 0) store.read.unshift({ ...store.unread.splice(i, 1)[0], state: "read", readAt });
        }
        const unread = store.unread.length;
        ws.send(JSON.stringify({ type: "ok", replyTo: f.id, data: f.type === "notification.read" ? { id: ids[0], readAt, unread } : { readAt, unread, ids } }));
        ws.send(event("notification.read", { ids, readAt, unread }));
      }
    });
    const { received } = script;
    const socket = { send: (text) => script.socket.send(text) };
    await page.goto(`${server.base}/inbox.html`);
    await signIn(page, { role: "user", subject: "e2e-olive", name: "Olive" });
    await page.waitForSelector('#inbox-card[data-status="ready"]');
    await page.waitForSelector('#unread[data-count="2"]');
    assert.deepEqual(received.filter((f) => f.type === "subscribe").map((f) => f.room), [room]);
    assert.deepEqual(await page.$$eval("#list-delivered li[data-id]", (lis) => lis.map((li) => li.dataset.id)), ["d1", "d2"], "newest first");
    assert.match(await page.textContent('#list-held li[data-id="h1"]'), /Arrives Tue, Dec 1, 9:00\sAM CST \(America\/Chicago\)/);
    assert.equal(await page.$$eval("#list-read li[data-id]", (lis) => lis.length), 1);

    // A critical one arrives while the tab is hidden: listed, counted, and a desktop alert.
    await page.evaluate(() => Object.defineProperty(document, "visibilityState", { get: () => "hidden", configurable: true }));
    const critical = n("c1", "delivered", { type: "security.sign-in", priority: "critical", title: "New sign-in to your account", body: "A browser in Denver signed in as you.", deliveredAt: new Date().toISOString() });
    store.unread.unshift(critical);
    socket.send(event("notification", critical));
    await page.waitForSelector('#unread[data-count="3"]');
    await page.waitForSelector('#list-delivered li[data-id="c1"][data-priority="critical"]');
    await page.waitForSelector('#desk-state[data-shown="1"]');
    assert.deepEqual(await page.evaluate(() => window.__alerts.map((x) => [x.title, x.tag])), [["New sign-in to your account", "c1"]]);
    assert.match(await page.title(), /^\(3\) Inbox/);

    // The held one is released: it moves from Held to New.
    const released = { ...store.held.shift(), state: "delivered", deliveredAt: new Date().toISOString() };
    store.unread.unshift(released);
    socket.send(event("notification", released));
    await page.waitForSelector('#list-delivered li[data-id="h1"]');
    await page.waitForSelector('#unread[data-count="4"]');
    assert.deepEqual(await page.$$eval("#list-held li[data-id]", (lis) => lis.map((li) => li.dataset.id)), ["h2"]);

    // Mark read: the command names the notification; the event moves it to Read.
    await page.click('#list-delivered li[data-id="d2"] button[data-action="read"]');
    await page.waitForSelector('#list-read li[data-id="d2"]');
    await page.waitForSelector('#unread[data-count="3"]');
    assert.deepEqual(received.filter((f) => f.type === "notification.read").map((f) => f.notificationId), ["d2"]);

    // Preferences: the form's body is the contract's; a refusal shows the server's code and action.
    await page.fill("#pref-zone", "America/Denver");
    await page.check("#pref-quiet-on");
    await page.fill("#pref-quiet-start", "21:00");
    await page.fill("#pref-quiet-end", "07:30");
    await page.fill("#pref-muted", "quote.expiring, rate.changed");
    await page.click("#pref-save");
    await page.waitForSelector('#pref-result[data-code="OK"]');
    assert.deepEqual(puts[0], { timeZone: "America/Denver", quietHours: { start: "21:00", end: "07:30" }, mutedTypes: ["quote.expiring", "rate.changed"] });
    assert.equal(await page.getAttribute("#pref-effective", "data-zone"), "America/Denver");
    await page.fill("#pref-muted", "security.sign-in");
    await page.click("#pref-save");
    await page.waitForSelector('#pref-result[data-code="NOTIFICATION_TYPE_UNMUTABLE"]');
    assert.match(await page.textContent("#pref-result"), /Remove security/);
    await page.fill("#pref-muted", "quote.expiring, rate.changed");
    await page.click("#pref-save");
    await page.waitForSelector('#pref-result[data-code="OK"]');

    await shot(page, "inbox-scripted");
    if (process.env.E2E_UPDATE_DOCS === "1") {
      fs.copyFileSync(path.join(SHOTS, "inbox-scripted.png"), path.join(REPO, "docs/inbox.png"));
    }

    // Mark all read: one command, the badge to zero, nothing left under New.
    await page.click("#read-all");
    await page.waitForSelector('#unread[data-count="0"]');
    assert.equal(received.filter((f) => f.type === "notification.read-all").length, 1);
    assert.equal(await page.$$eval("#list-delivered li[data-id]", (lis) => lis.length), 0);
  } finally {
    await context.close();
  }
});

test("analytics: an agent's new quote raises the quotes total of that agent's dashboard; without analytics:read, FORBIDDEN_ROOM", { timeout: 120_000 }, async () => {
  const agent = "e2e-agent-ann";
  const analyst = await chrome.newPage();
  const outsider = await chrome.newPage();
  try {
    const { page } = analyst;
    await page.goto(`${server.base}/analytics.html?dashboard=quotes&hours=1&agent=${agent}`);
    await signIn(page, { role: "analyst", subject: "ada", name: "Ada Analyst" });
    assert.equal(await page.textContent("#room-name"), `analytics:quotes;hours=1;agent=${agent}`);
    // A stream that is just starting shows "starting" first; then the totals (0 quotes: empty).
    await page.waitForSelector('#dash[data-status="live"], #dash[data-status="empty"]', { timeout: 15_000 });
    const total = async () => Number(await page.getAttribute("#tile-quotes", "data-value"));
    const before = await total();
    if (before === 0) assert.match(await page.textContent("#dash-empty"), /No quotes in this window/);

    const token = await server.token(agent, ["quote:read", "quote:write"], "Ann Agent");
    await server.createQuote(token, "e2e-customer-carl", "Carl Customer");
    const startedAt = Date.now();
    await page.waitForFunction((n) => Number(document.querySelector("#tile-quotes").dataset.value) >= n, before + 1, { timeout: 10_000 });
    console.log(`analytics: quotes total ${before} -> ${await total()} in ${Date.now() - startedAt} ms (version ${await page.getAttribute("#dash", "data-version")})`);
    await page.waitForSelector('#dash[data-status="live"]');
    await shot(page, "analytics-agent");

    // The whole last day (the embedded default's demo quotes, spread over a week), for the docs.
    await page.fill("#f-hours", "24");
    await page.fill("#f-agent", "");
    await page.click("#f-apply");
    await page.waitForFunction(() => document.querySelector("#room-name").textContent === "analytics:quotes;hours=24");
    await page.waitForSelector('#dash[data-status="live"]', { timeout: 15_000 });
    assert.ok((await total()) >= 1, "the day's quotes include the one just created");
    assert.match(new URL(page.url()).search, /dashboard=quotes&hours=24$/, "the choice is in the URL");
    await shot(page, "analytics");
    // Only on request, so a test run never modifies the repository.
    if (process.env.E2E_UPDATE_DOCS === "1") {
      fs.copyFileSync(path.join(SHOTS, "analytics.png"), path.join(REPO, "docs/analytics.png"));
    }

    await outsider.page.goto(`${server.base}/analytics.html?dashboard=quotes&hours=24`);
    await signIn(outsider.page, { role: "agent", subject: "ann", name: "Ann Agent" });
    await outsider.page.waitForSelector('#dash[data-status="error"] #dash-error[data-code="FORBIDDEN_ROOM"]', { timeout: 10_000 });
    assert.ok((await outsider.page.textContent("#err-action")).length > 0, "the refusal says what to do");
    await shot(outsider.page, "analytics-forbidden");
  } finally {
    await analyst.context.close();
    await outsider.context.close();
  }
});

test("analytics page with a scripted socket: starting, the figures, a delta, a gap repaired by one snapshot request", { timeout: 60_000 }, async () => {
  const { context, page } = await chrome.newPage();
  const room = "analytics:quotes;hours=24;state=TX";
  const quotes = (n) => ({
    totals: { quotes: n, customers: n, averagePremium: null },
    byStatus: { DRAFT: n },
    timeline: { "2026-11-30T07:00:00Z": 0, "2026-11-30T08:00:00Z": n },
    topStates: { TX: n },
  });
  const event = (name, data) => JSON.stringify({ type: "event", room, name, ephemeral: true, ts: Date.now(), data });
  try {
    // The page and its tokens come from the server; the socket is played by the test, so the
    // states a live server shows only by chance (a stream starting, a lost delta) are certain.
    const script = await scriptSocket(page, "ada", (f, ws) => {
      if (f.type === "subscribe") {
        ws.send(JSON.stringify({ type: "ok", replyTo: f.id, data: { room: f.room, epoch: "e1", seq: 0, snapshot: { version: 0, computedAt: null, state: null } } }));
      } else if (f.type === "snapshot") {
        ws.send(JSON.stringify({ type: "ok", replyTo: f.id, data: { version: 5, computedAt: "2026-11-30T08:00:05Z", state: quotes(7) } }));
      }
    });
    const { received } = script;
    const socket = { send: (text) => script.socket.send(text) };
    await page.goto(`${server.base}/analytics.html?dashboard=quotes&hours=24&state=TX`);
    await signIn(page, { role: "analyst", subject: "ada", name: "Ada Analyst" });
    await page.waitForSelector('#dash[data-status="starting"]');
    assert.deepEqual(received.filter((f) => f.type === "subscribe").map((f) => f.room), [room]);

    const value = () => page.getAttribute("#tile-quotes", "data-value");
    socket.send(event("dashboard.snapshot", { version: 1, computedAt: "2026-11-30T08:00:01Z", state: quotes(3) }));
    await page.waitForSelector('#dash[data-status="live"][data-version="1"]');
    assert.equal(await value(), "3");
    socket.send(event("dashboard.delta", { version: 2, base: 1, computedAt: "2026-11-30T08:00:02Z", patch: { totals: { quotes: 4 }, byStatus: { DRAFT: 4 } } }));
    await page.waitForSelector('#dash[data-version="2"]');
    assert.equal(await value(), "4");
    // Delta 3 is lost: 4 (base 3) and 5 (base 4) cannot be applied to version 2.
    socket.send(event("dashboard.delta", { version: 4, base: 3, computedAt: "2026-11-30T08:00:04Z", patch: { totals: { quotes: 6 } } }));
    socket.send(event("dashboard.delta", { version: 5, base: 4, computedAt: "2026-11-30T08:00:05Z", patch: { totals: { quotes: 7 } } }));
    await page.waitForSelector('#dash[data-version="5"]');
    assert.equal(await value(), "7", "the snapshot answer replaced the state");
    assert.deepEqual(received.filter((f) => f.type === "snapshot").map((f) => f.room), [room], "one snapshot request for the gap");
    socket.send(event("dashboard.delta", { version: 6, base: 5, computedAt: "2026-11-30T08:00:06Z", patch: { totals: { quotes: 0 }, byStatus: { DRAFT: null }, topStates: { TX: null } } }));
    await page.waitForSelector('#dash[data-status="empty"][data-version="6"]');
    assert.match(await page.textContent("#dash-empty"), /No quotes in this window/);
  } finally {
    await context.close();
  }
});

async function signInAs(page, { role, subject, name }) {
  await page.waitForSelector("#signin");
  await page.selectOption("#si-role", role);
  await page.fill("#si-subject", subject);
  await page.fill("#si-name", name);
  await page.click("#si-submit");
}

/** A raw WebSocket upgrade request, as a browser sends it, answered with {status, body}. */
function handshake(socketPath, token) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.base}${socketPath}`, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": crypto.randomBytes(16).toString("base64"),
        "Sec-WebSocket-Protocol": `pdprime.realtime.v1, bearer.${token}`,
        Origin: server.base,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, body: null });
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Whether the admin REST API of this build has `path` (the alerts and ops parts land separately). */
async function adminApiHas(path) {
  const token = await server.token("e2e-probe-admin", ["admin:access"]);
  const res = await fetch(`${server.base}/api/v1/admin/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return res.status === 200;
}

test("admin console: a user token is refused before any socket opens", { timeout: 60_000 }, async () => {
  const { context, page } = await chrome.newPage();
  try {
    await page.goto(`${server.base}/admin.html`);
    await signInAs(page, { role: "user", subject: "e2e-ursula", name: "Ursula User" });
    await page.waitForSelector("#refusal:not([hidden])", { timeout: 10_000 });
    assert.equal(await page.getAttribute("#refusal", "data-status"), "403");
    assert.equal(await page.getAttribute("#refusal", "data-code"), "FORBIDDEN");
    assert.match(await page.textContent("#refusal-message"), /admin:access/);
    assert.ok((await page.textContent("#refusal-action")).length > 0, "the refusal says what to do");
    assert.equal(await page.getAttribute("#conn-state", "data-state"), "idle", "no socket was opened");
    assert.equal(await page.isHidden("#admin-view"), true);
    await shot(page, "admin-refused");

    // What the page says of the socket holds: the same kind of token gets 403 before the upgrade.
    const refused = await handshake("/ws/admin", await server.token("e2e-ursula", ["quote:read"]));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "ADMIN_ACCESS_REQUIRED");
  } finally {
    await context.close();
  }
});

test("admin console: an admin without audit:read sees the activity feed refused, the rest live", { timeout: 60_000 }, async () => {
  const { context, page } = await chrome.newPage();
  try {
    await page.goto(`${server.base}/admin.html`);
    await signIn(page, { role: "admin", subject: "e2e-adam", name: "Adam Admin" });
    await page.waitForSelector('#panel-activity[data-error^="FORBIDDEN"]', { timeout: 10_000 });
    assert.ok((await page.textContent("#panel-activity .panel-error")).length > 0);
    await page.waitForSelector("#instances tbody tr[data-instance]", { timeout: 15_000 });
    assert.equal(await page.getAttribute("#panel-system", "data-error") ?? "", "", "admin:system is open to admin:access alone");
  } finally {
    await context.close();
  }
});

test("admin console: live figures of the instance; a disconnect closes another page's socket with 4010 and shows in the activity feed", { timeout: 120_000 }, async () => {
  const admin = await chrome.newPage();
  const user = await chrome.newPage();
  const victim = "e2e-dora";
  const reason = "e2e: security review of this session";
  try {
    const { page } = admin;
    await page.goto(`${server.base}/admin.html`);
    await signIn(page, { role: "operator", subject: "e2e-olga", name: "Olga Operator" });

    // The instance's live figures: its row, then a newer sample within a few intervals.
    const row = "#instances tbody tr[data-instance]";
    await page.waitForSelector(row, { timeout: 15_000 });
    const instance = await page.getAttribute(row, "data-instance");
    const firstAt = await page.getAttribute(row, "data-at");
    await page.waitForFunction((at) => document.querySelector("#instances tbody tr[data-instance]").dataset.at !== at, firstAt, { timeout: 10_000 });
    assert.ok(Number(await page.getAttribute(row, "data-connections")) >= 1, "the console's own socket is counted");
    assert.ok(Number(await page.getAttribute("#chart-connections", "data-points")) >= 2, "the connections line has points");
    assert.equal(await page.getAttribute("#chart-connections", "data-instances"), instance);
    await page.waitForFunction(() => Number(document.querySelector("#chart-rest").dataset.points) >= 1, null, { timeout: 10_000 });
    console.log(`admin: instance ${instance}, sample ${firstAt} then ${await page.getAttribute(row, "data-at")}`);

    // A second page: a user's inbox, with its own socket.
    await user.page.goto(`${server.base}/inbox.html`);
    await signIn(user.page, { role: "user", subject: victim, name: "Dora" });

    // Its connection in the table (the journal writes it within a second).
    await page.fill("#cf-user", victim);
    await page.selectOption("#cf-state", "OPEN");
    const victimRow = `#connections tr[data-subject="${victim}"][data-state="OPEN"]`;
    const deadline = Date.now() + 10_000;
    while (!(await page.$(victimRow))) {
      assert.ok(Date.now() < deadline, `${victim}'s connection is listed within 10 s`);
      await page.click("#cf-apply");
      await page.waitForTimeout(500);
    }
    assert.equal(await page.$$eval("#connections tbody tr[data-connection-id]", (rows) => rows.length), 1, "filtered to that user");
    const connectionId = await page.getAttribute(victimRow, "data-connection-id");

    // Disconnect: a reason is required before anything is sent.
    await page.click(`${victimRow} button[data-action="disconnect"]`);
    await page.click('tr.reason-row button[data-action="confirm-disconnect"]');
    assert.match(await page.textContent("tr.reason-row .error-text"), /Give a reason/);
    await page.fill('tr.reason-row input[name="reason"]', reason);

    // The table read again meanwhile ("Apply", or the periodic refresh) keeps the reason being typed.
    const loads = await page.getAttribute("#connections", "data-loads");
    await page.click("#cf-apply");
    await page.waitForFunction((before) => document.querySelector("#connections").dataset.loads !== before, loads, { timeout: 10_000 });
    assert.equal(await page.inputValue(`tr.reason-row[data-for="${connectionId}"] input[name="reason"]`), reason, "the reason row survives a reload, below its connection");
    assert.equal(await page.$eval(`tr.reason-row[data-for="${connectionId}"]`, (row) => row.previousElementSibling.dataset.connectionId), connectionId);
    await page.click('tr.reason-row button[data-action="confirm-disconnect"]');
    await page.waitForSelector('#disconnect-result[data-close-code="4010"]');

    // The user's page shows the close and does not reconnect on its own.
    await user.page.waitForSelector('#conn-state[data-state="closed"]', { timeout: 10_000 });
    const detail = await user.page.textContent("#conn-detail");
    assert.match(detail, /4010/);
    assert.ok(detail.includes(reason), `the user sees the reason: ${detail}`);
    await shot(user.page, "admin-disconnected-user");

    // The activity feed shows the disconnect; the table shows the connection closed.
    const entry = `#activity li[data-action="connection.disconnect"][data-resource="connection:${connectionId}"]`;
    await page.waitForSelector(entry, { timeout: 10_000 });
    assert.equal(await page.getAttribute(entry, "data-outcome"), "SUCCEEDED");
    assert.equal(await page.getAttribute(entry, "data-by"), "e2e-olga");
    await page.selectOption("#cf-state", "");
    await page.click("#cf-apply");
    await page.waitForSelector(`#connections tr[data-connection-id="${connectionId}"][data-state="CLOSED"]`, { timeout: 10_000 });
    assert.match(await page.textContent(`#connections tr[data-connection-id="${connectionId}"]`), /4010/);
    await page.fill("#cf-user", "");
    await page.selectOption("#cf-state", "OPEN");
    await page.click("#cf-apply");
  } finally {
    await user.context.close();
    await admin.context.close();
  }
});

test("admin console: an alert is acknowledged and resolved from the list; a saved default layout comes back", { timeout: 120_000 }, async (t) => {
  const admin = await chrome.newPage();
  const second = await chrome.newPage();
  try {
    const { page } = admin;
    await page.goto(`${server.base}/admin.html`);
    await signIn(page, { role: "operator", subject: "e2e-olga", name: "Olga Operator" });

    if (await adminApiHas("alerts?state=open")) {
      // Two sockets on an instance sized (by this test's configuration) for two: an alert.
      await second.page.goto(`${server.base}/inbox.html`);
      await signIn(second.page, { role: "user", subject: "e2e-carl", name: "Carl" });
      const open = '#alerts li.alert[data-state="open"]';
      await page.waitForSelector(open, { timeout: 20_000 });
      const id = await page.getAttribute(open, "data-alert-id");
      const alert = `#alerts li.alert[data-alert-id="${id}"]`;
      await page.click(`${alert} button[data-action="acknowledge"]`);
      await page.waitForSelector(`${alert}[data-state="acknowledged"]`);
      assert.match(await page.textContent(alert), /acknowledged by e2e-olga/);
      await page.waitForSelector(`#activity li[data-by="e2e-olga"][data-action*="acknowledge"]`, { timeout: 10_000 });
      await page.click(`${alert} button[data-action="resolve"]`);
      await page.waitForSelector(`${alert}[data-state="resolved"]`);
      assert.match(await page.textContent(alert), /resolved by e2e-olga/);
      const firstOpen = await page.$eval("#alerts li.alert", (li) => li.dataset.state);
      assert.ok(firstOpen !== "resolved" || (await page.$$('#alerts li.alert:not([data-state="resolved"])')).length === 0, "open alerts are listed first");
    } else {
      t.diagnostic("GET /api/v1/admin/alerts is not in this build: alert part not run");
    }

    // The screenshot for the docs: live charts, the alert list, the feed, the table.
    await page.waitForFunction(() => Number(document.querySelector("#chart-connections").dataset.points) >= 3, null, { timeout: 15_000 });
    await page.click("#cf-apply");
    await page.waitForSelector("#connections tbody tr[data-connection-id]", { timeout: 10_000 });
    await shot(page, "admin");
    if (process.env.E2E_UPDATE_DOCS === "1") {
      fs.copyFileSync(path.join(SHOTS, "admin.png"), path.join(REPO, "docs/admin.png"));
    }

    // Layouts: show system and alerts only, save as the default, reload: the same panels come back.
    const name = `e2e on call ${Date.now()}`;
    for (const p of ["performance", "activity", "connections"]) await page.uncheck(`#panel-picks input[value="${p}"]`);
    await page.fill("#layout-name", name);
    await page.check("#layout-is-default");
    await page.click("#layout-submit");
    await page.waitForFunction((n) => document.querySelector("#layout-status").textContent.includes(n), name, { timeout: 10_000 });
    assert.equal(await page.getAttribute("#layout-status", "data-code"), "");
    await page.reload();
    await page.waitForSelector('#conn-state[data-state="open"]', { timeout: 20_000 });
    await page.waitForFunction((n) => document.querySelector("#layout-status").textContent.includes(n), name, { timeout: 10_000 });
    assert.equal(await page.getAttribute("#panels", "data-shown"), "system alerts");
    assert.equal(await page.isHidden("#panel-connections"), true);
    await page.click("#layout-delete");
    await page.waitForFunction((n) => document.querySelector("#layout-status").textContent === `Deleted “${n}”.`, name, { timeout: 10_000 });
    assert.equal(await page.$$eval("#layout-pick option", (os, n) => os.filter((o) => o.textContent.startsWith(n)).length, name), 0);
  } finally {
    await second.context.close();
    await admin.context.close();
  }
});

test("a screenshot of each example page is saved under target/e2e-screenshots/", () => {
  for (const name of PAGES) {
    const file = path.join(SHOTS, `${name}.png`);
    assert.ok(fs.existsSync(file), `${file} exists`);
    const head = fs.readFileSync(file).subarray(0, 8);
    assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}.png is a PNG`);
    assert.ok(fs.statSync(file).size > 10_000, `${name}.png is not empty`);
  }
});
