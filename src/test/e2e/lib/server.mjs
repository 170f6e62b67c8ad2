// Starts the built server (target/server/payara-micro.jar + target/pdprime-realtime.war) on a
// loopback port, the same way `mvn -Prun package` does, and stops it again. E2E_SERVER=wildfly runs
// the same WAR on the WildFly that the build configured in target/wildfly-* (mvn verify
// -Dserver=wildfly or mvn package -Dwildfly.skip=false), as `mvn -Pwildfly package` does.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const HOST = "127.0.0.1";

/** A TCP port that is free on the loopback interface right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The WildFly the build unpacked and configured (server-config/wildfly/embedded.cli). */
function wildflyHome() {
  const dir = fs.readdirSync(path.join(REPO, "target")).find((f) => f.startsWith("wildfly-"));
  const home = dir && path.join(REPO, "target", dir);
  const config = home && path.join(home, "standalone/configuration/standalone-full.xml");
  if (!config || !fs.existsSync(config) || !fs.readFileSync(config, "utf8").includes("micrometer")) {
    throw new Error("no configured WildFly in target/: run mvn -q package -DskipTests -Dwildfly.skip=false");
  }
  return home;
}

/**
 * One server process on a fixed port. start() may be called again after stop(): the test of a
 * restart uses the same port, so the pages reconnect to the same URL.
 */
export class Server {
  /** `properties`: configuration keys to set on top of the embedded default's (key -> value). */
  constructor({ port, logDir, war = process.env.E2E_WAR ?? path.join(REPO, "target/pdprime-realtime.war"), properties = {} }) {
    this.port = port;
    this.base = `http://${HOST}:${port}`;
    this.war = war;
    this.logDir = logDir;
    this.jar = path.join(REPO, "target/server/payara-micro.jar");
    this.proc = null;
    this.starts = 0;
    this.containerJar = path.join(REPO, "target/server/pdprime-realtime-container.jar");
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pdprime-e2e-server-"));
    // A copy of the configured WildFly, so target/ keeps no deployment of ours: `mvn -Pwildfly
    // package` later deploys the WAR itself, and a second one there failed its boot.
    this.wildfly = null;
    if (process.env.E2E_SERVER === "wildfly") {
      this.wildfly = path.join(this.tmp, "wildfly");
      fs.cpSync(wildflyHome(), this.wildfly, { recursive: true });
    }
    for (const f of [this.jar, this.war, path.join(REPO, "target/server/activemq-rar.rar"), this.containerJar]) {
      if (!fs.existsSync(f)) throw new Error(`${f} is missing: build first (mvn -q package -DskipTests)`);
    }
    // The embedded default allows only the origins of port 8080, and Payara Micro's
    // --systemProperties file overrides -D options given to the JVM. So the test passes a copy of
    // that file with this port's origins (and still sets -D, as operations.md describes).
    const origins = `http://localhost:${port},http://${HOST}:${port}`;
    let props = fs
      .readFileSync(path.join(REPO, "server-config/payara/embedded.properties"), "utf8")
      .replace(/^realtime\.handshake\.allowed-origins=.*$/m, `realtime.handshake.allowed-origins=${origins}`);
    for (const [key, value] of Object.entries(properties)) {
      const line = new RegExp(`^${key.replace(/[.]/g, "\\.")}=.*$`, "m");
      props = line.test(props) ? props.replace(line, `${key}=${value}`) : `${props.trimEnd()}\n${key}=${value}\n`;
    }
    this.props = path.join(this.tmp, "embedded.properties");
    fs.writeFileSync(this.props, props);
    this.origins = origins;
  }

  /** Starts the process and waits until the application answers (tokens, pages). */
  async start({ timeoutMs = 150_000 } = {}) {
    if (this.proc) throw new Error("server already running");
    this.starts++;
    fs.mkdirSync(this.logDir, { recursive: true });
    this.logFile = path.join(this.logDir, `server-${this.port}-${this.starts}.log`);
    const log = fs.openSync(this.logFile, "w");
    // Payara Micro unpacks its runtime under java.io.tmpdir: keep it in our own temp dir.
    const jvmTmp = fs.mkdtempSync(path.join(this.tmp, "jvm-"));
    const proc = this.wildfly ? this.spawnWildFly(jvmTmp, log) : this.spawnPayara(jvmTmp, log);
    fs.closeSync(log);
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
    const started = Date.now();
    let exit = null;
    this.exited.then((e) => (exit = e));
    while (Date.now() - started < timeoutMs) {
      if (exit) throw new Error(`server exited while starting (${JSON.stringify(exit)}); see ${this.logFile}`);
      if (await this.ready()) return Date.now() - started;
      await sleep(500);
    }
    await this.stop();
    throw new Error(`server not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  spawnPayara(jvmTmp, log) {
    const args = [
      `-Djava.io.tmpdir=${jvmTmp}`,
      `-Drealtime.handshake.allowed-origins=${this.origins}`,
      "-jar", this.jar,
      "--nohazelcast",
      "--port", String(this.port),
      "--addLibs", this.containerJar,
      "--prebootcommandfile", "server-config/payara/preboot.asadmin",
      "--postbootcommandfile", "server-config/payara/embedded.asadmin",
      "--systemProperties", this.props,
      "--deploy", this.war,
      "--contextroot", "/",
    ];
    return spawn("java", args, { cwd: REPO, stdio: ["ignore", log, log] });
  }

  /**
   * WildFly with the WAR in its deployments directory. LAUNCH_JBOSS_IN_BACKGROUND makes
   * standalone.sh pass our SIGTERM on to its java process and wait for it, so stop() works the same.
   */
  spawnWildFly(jvmTmp, log) {
    const deployments = path.join(this.wildfly, "standalone/deployments");
    for (const f of fs.readdirSync(deployments)) {
      if (f.startsWith("pdprime-realtime.war")) fs.rmSync(path.join(deployments, f), { force: true });
    }
    fs.copyFileSync(this.war, path.join(deployments, "pdprime-realtime.war"));
    const args = [
      "-c", "standalone-full.xml",
      "-P", this.props,
      `-Djboss.http.port=${this.port}`,
      `-Djava.io.tmpdir=${jvmTmp}`,
      `-Drealtime.handshake.allowed-origins=${this.origins}`,
    ];
    return spawn(path.join(this.wildfly, "bin/standalone.sh"), args, {
      cwd: REPO,
      stdio: ["ignore", log, log],
      env: { ...process.env, LAUNCH_JBOSS_IN_BACKGROUND: "1" },
    });
  }

  /** Ready = the WAR is deployed: the dev token endpoint mints and the pages are served. */
  async ready() {
    try {
      const res = await fetch(`${this.base}/api/v1/dev/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ subject: "e2e-probe", name: "probe", permissions: [], ttlSeconds: 60 }),
        signal: AbortSignal.timeout(2000),
      });
      if (res.status !== 200) return false;
      const page = await fetch(`${this.base}/quote.html`, { signal: AbortSignal.timeout(2000) });
      if (page.status === 404) {
        throw new Error(`${this.war} has no quote.html: rebuild it (mvn -q package -DskipTests)`);
      }
      return page.status === 200;
    } catch (e) {
      if (e.message.includes("rebuild")) throw e;
      return false;
    }
  }

  /** SIGTERM (the server closes sockets with 1001), SIGKILL if it is not gone within graceMs. */
  async stop({ graceMs = 20_000 } = {}) {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last-resort cleanup (process exit). */
  kill() {
    if (this.proc && this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }

  cleanup() {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  async token(subject, permissions, name = subject) {
    const res = await fetch(`${this.base}/api/v1/dev/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ subject, name, permissions, ttlSeconds: 3600 }),
    });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
    return (await res.json()).token;
  }

  /** POST /api/v1/quotes (needs quote:write); returns {id, customerSubject, status}. */
  async createQuote(token, customerSubject, customerName) {
    const res = await fetch(`${this.base}/api/v1/quotes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ customerSubject, customerName }),
    });
    if (res.status !== 201) throw new Error(`create quote: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /** POST /api/v1/rooms/{room}/events; returns {room, epoch, seq}. */
  async publish(token, room, name, data) {
    const res = await fetch(`${this.base}/api/v1/rooms/${encodeURIComponent(room)}/events`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name, data }),
    });
    if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
    return res.json();
  }
}
