// Debian's chromium (no browser download), started by the test with fixed flags and a fresh
// profile, and driven by playwright-core over the DevTools protocol.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium({ logDir, timeoutMs = 30_000 } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pdprime-e2e-chromium-"));
  const args = [
    ...FLAGS,
    `--user-data-dir=${profile}`,
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "about:blank",
  ];
  const proc = spawn(CHROMIUM, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  if (logDir) fs.mkdirSync(logDir, { recursive: true });
  const consoleLog = logDir ? fs.createWriteStream(path.join(logDir, "browser-console.log")) : null;
  const logStream = logDir ? fs.createWriteStream(path.join(logDir, "chromium.log")) : null;
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    proc.stderr.on("data", (chunk) => {
      logStream?.write(chunk);
      if (stderr.length < 20000) stderr += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}:\n${stderr}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    /** A new, isolated browser context (own cookies, storage): one "window" of one person. */
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on("pageerror", (err) => console.error(`[page error] ${page.url()}: ${err.message}`));
      page.on("console", (msg) => consoleLog?.write(`${new Date().toISOString()} [${msg.type()}] ${page.url()} ${msg.text()}\n`));
      return { context, page };
    },
    async close() {
      const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((r) => proc.once("exit", r));
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
      logStream?.end();
      consoleLog?.end();
      try {
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch (e) {
        console.error(`# could not remove ${profile}: ${e.message}`);
      }
    },
    kill() {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    },
  };
}
