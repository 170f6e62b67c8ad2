// Shared pieces of the example pages: demo sign-in (development tokens), URLs relative to the page,
// and the connection-state badge. The realtime work itself is done by ../js/pdprime-realtime.js.
import { ENDPOINTS, realtimeUrl } from "../js/pdprime-realtime.js";

/** URL of a server path, relative to the page (works under any context root). */
export function apiUrl(path) {
  return new URL(path, document.baseURI).toString();
}

/** ws:// (or wss://) URL of a socket endpoint (ENDPOINTS.users or .operators) next to the page. */
export function socketUrl(endpoint = ENDPOINTS.users) {
  return realtimeUrl(new URL(`.${endpoint}`, document.baseURI).pathname);
}

/** Reads a JSON answer; a non-2xx answer becomes an Error with the server's code and action. */
export async function readJson(res) {
  let body = null;
  const text = await res.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = new Error(body?.message ?? `${res.status} ${res.statusText}`);
    err.status = res.status;
    err.code = body?.code ?? `HTTP_${res.status}`;
    err.action = body?.action ?? "";
    throw err;
  }
  return body;
}

/**
 * A demo identity and its development tokens (POST /api/v1/dev/tokens, protocol §11.2). Only the
 * embedded default mints them; in production the identity provider does.
 */
export class DemoSession {
  constructor({ subject, name, permissions }) {
    this.subject = subject;
    this.name = name;
    this.permissions = [...permissions];
    this._rest = null; // {token, expiresAt}
  }

  has(permission) {
    return this.permissions.includes(permission);
  }

  /** A fresh token (the socket asks before every connect, so it never reuses one). */
  async mint(ttlSeconds = 3600) {
    const res = await fetch(apiUrl("api/v1/dev/tokens"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ subject: this.subject, name: this.name, permissions: this.permissions, ttlSeconds }),
    });
    const body = await readJson(res);
    return { token: body.token, expiresAt: Date.parse(body.expiresAt) };
  }

  /** For the socket's tokenProvider: a new token for every connection attempt. */
  async socketToken() {
    return (await this.mint()).token;
  }

  /** For REST calls: reused while it has more than a minute left. */
  async restToken() {
    if (!this._rest || this._rest.expiresAt - Date.now() < 60_000) this._rest = await this.mint();
    return this._rest.token;
  }

  /** fetch() with the bearer token; resolves with the JSON body or throws the server's error. */
  async call(method, path, body) {
    const headers = { Authorization: `Bearer ${await this.restToken()}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(apiUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return readJson(res);
  }
}

const STORAGE_KEY = "pdprime.demo.identity";

/**
 * Wires the sign-in form: role presets fill the permission boxes; submitting mints a first token
 * (so a mistake shows at once) and calls onSignedIn(session). The identity is kept in this tab's
 * sessionStorage, so a reload signs in again and another window can be someone else.
 */
export function setupSignIn({ form, presets, defaults, onSignedIn }) {
  const subject = form.elements.subject;
  const name = form.elements.name;
  const role = form.elements.role;
  const boxes = [...form.querySelectorAll('input[name="permission"]')];
  const error = form.querySelector(".error-text");

  const applyPreset = () => {
    const preset = presets[role.value];
    if (!preset) return;
    for (const box of boxes) box.checked = preset.permissions.includes(box.value);
    if (preset.subject && (!subject.value || subject.dataset.auto === "1")) {
      subject.value = preset.subject;
      subject.dataset.auto = "1";
    }
    if (preset.name && (!name.value || name.dataset.auto === "1")) {
      name.value = preset.name;
      name.dataset.auto = "1";
    }
  };
  subject.addEventListener("input", () => (subject.dataset.auto = "0"));
  name.addEventListener("input", () => (name.dataset.auto = "0"));
  role.addEventListener("change", applyPreset);

  const params = new URLSearchParams(location.search);
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
  } catch {
    stored = null;
  }
  role.value = params.get("role") ?? stored?.role ?? defaults.role;
  applyPreset();
  if (params.get("subject")) subject.value = params.get("subject");
  if (params.get("name")) name.value = params.get("name");

  async function signIn(identity, remember) {
    error.textContent = "";
    const session = new DemoSession(identity);
    try {
      await session.restToken(); // proves the endpoint works and the fields are valid
    } catch (e) {
      error.textContent = `Could not get a demo token: ${e.message}${e.action ? ` — ${e.action}` : ""}`;
      return;
    }
    if (remember) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...identity, role: role.value }));
    onSignedIn(session);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const identity = {
      subject: subject.value.trim(),
      name: name.value.trim() || subject.value.trim(),
      permissions: boxes.filter((b) => b.checked).map((b) => b.value),
    };
    if (!identity.subject) {
      error.textContent = "Enter a subject (the user id the token is issued to).";
      return;
    }
    signIn(identity, true);
  });

  if (stored?.subject && !params.get("subject")) {
    subject.value = stored.subject;
    name.value = stored.name;
    for (const box of boxes) box.checked = stored.permissions.includes(box.value);
    signIn({ subject: stored.subject, name: stored.name, permissions: stored.permissions }, false);
  }
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Shows the client's connection state in `badge` (data-state = the state) with a detail line, and
 * a Retry button for the terminal states. Returns the state history (for the curious and the tests).
 */
export function bindConnectionBadge(client, { badge, detail, retry }) {
  const history = [];
  const render = (ev) => {
    history.push(ev.state);
    badge.dataset.state = ev.state;
    badge.textContent = ev.state;
    badge.title = client.connectionId ? `connection ${client.connectionId}` : "";
    let text = "";
    switch (ev.state) {
      case "connecting":
        text = ev.attempt > 0 ? `attempt ${ev.attempt + 1}` : "";
        break;
      case "open":
        text = ev.reconnected ? `reconnected at ${new Date().toLocaleTimeString()}` : "";
        break;
      case "reconnecting":
        text = `lost${ev.code != null ? ` (${ev.code}${ev.reason ? ` ${ev.reason}` : ""})` : ev.reason ? ` (${ev.reason})` : ""}; next try in ${(ev.delayMs / 1000).toFixed(1)} s`;
        break;
      case "offline":
        text = "the browser is offline; waiting for the network";
        break;
      case "closed":
        text = ev.error ? `${ev.error.message} ${ev.error.action ?? ""}` : "closed";
        break;
      case "gave-up":
        text = "stopped reconnecting";
        break;
    }
    if (detail) detail.textContent = text;
    if (retry) retry.hidden = !(ev.state === "closed" || ev.state === "gave-up");
  };
  client.on("state", render);
  client.on("open", () => {
    badge.title = client.connectionId ? `connection ${client.connectionId}` : "";
  });
  if (retry) retry.addEventListener("click", () => client.connect());
  badge.dataset.history = "";
  client.on("state", () => (badge.dataset.history = history.join(" ")));
  return history;
}

/** Formats a ms timestamp as local time. */
export function clock(ts) {
  return new Date(ts).toLocaleTimeString();
}

/** Element helper: el("li", {class: "x", dataset: {seq: 1}}, "text", child). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
