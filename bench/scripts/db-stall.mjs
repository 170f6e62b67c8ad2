// What a stalled database does to the sockets of one instance: holds a room's sequence row locked
// (psql, in a transaction of its own), publishes N single events into that room at once, and a second
// later, while they wait, asks an open socket for a pong and opens a new socket, each given 10 s; then
// lets the row go and counts the publishes' answers.
//
//   bash -c 'source scripts/servers.sh; start_pdprime_postgres 18092'   # one instance on PostgreSQL
//   node scripts/db-stall.mjs 18092 300                                 # PORT N
//   node scripts/db-stall.mjs 18092 300 keyed                           # each with an Idempotency-Key
//
// Needs psql on the PATH and the instance's database realtime_bench on 127.0.0.1:5432 (what
// start_pdprime_postgres makes); signs its tokens with the development key, as the embedded
// properties trust.
import http from "node:http";
import { spawn } from "node:child_process";
import WebSocket from "ws";
import { signToken } from "../lib/jwt.mjs";
import { publishOptions } from "../lib/publish.mjs";

const [port, count] = process.argv.slice(2, 4).map(Number);
const keyed = process.argv[4] === "keyed";
if (!port || !count) throw new Error("usage: db-stall.mjs PORT N [keyed]");
const WAIT_MS = 10000;
const room = "user:db-stall-" + Date.now();
const authorization = "Bearer " + signToken({ subject: "db-stall", groups: ["realtime:publish"] });
const agent = new http.Agent({ keepAlive: true, maxSockets: count + 10 });

function publish() {
  const body = '{"name":"test.stall","data":{}}';
  return new Promise((resolve) => {
    const options = publishOptions({ port, agent, authorization, room, body });
    if (keyed) options.headers["idempotency-key"] = "db-stall-" + Math.random().toString(36).slice(2);
    const request = http.request(options, (response) => {
      response.resume();
      response.on("end", () => resolve(String(response.statusCode)));
    });
    request.on("error", (error) => resolve(error.code));
    request.end(body);
  });
}

/** Opens a socket; resolves with it and how long its welcome took, or with open: false after WAIT_MS. */
function connect(subject) {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, ["pdprime.realtime.v1", "bearer." + signToken({ subject })]);
    const timer = setTimeout(() => resolve({ socket, open: false, ms: Date.now() - started }), WAIT_MS);
    socket.on("message", (message) => {
      if (JSON.parse(message).type === "welcome") {
        clearTimeout(timer);
        resolve({ socket, open: true, ms: Date.now() - started });
      }
    });
    socket.on("error", () => {});
  });
}

/** Sends the protocol's ping command; resolves with whether its pong came within WAIT_MS. */
function ping(socket) {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ answered: false, ms: Date.now() - started }), WAIT_MS);
    socket.on("message", (message) => {
      if (JSON.parse(message).replyTo === "stall-ping") {
        clearTimeout(timer);
        resolve({ answered: true, ms: Date.now() - started });
      }
    });
    socket.send('{"type":"ping","id":"stall-ping"}');
  });
}

/** A psql session holding the room's row until release() is called. */
function lockRow() {
  const psql = spawn("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "realtime_bench", "-v", "ON_ERROR_STOP=1"]);
  psql.stdin.write(`BEGIN; SELECT last_seq FROM room_sequences WHERE room = '${room}' FOR UPDATE;\n`);
  return new Promise((resolve, reject) => {
    psql.stdout.on("data", (data) => {
      if (String(data).includes("(1 row)")) resolve(() => psql.stdin.end("COMMIT;\n"));
    });
    psql.on("exit", (code) => reject(new Error("psql ended with " + code)));
  });
}

const bystander = await connect("db-stall-bystander");
console.log("open socket before the stall:", bystander.open, bystander.ms, "ms");
console.log("the room's first publish (makes its row):", await publish());
const release = await lockRow();
console.log("row of", room, "locked; publishing", count, "at once");
const answers = {};
const publishes = Array.from({ length: count }, () =>
  publish().then((status) => (answers[status] = (answers[status] || 0) + 1)),
);
// A second for the publishes to reach the workers, as a stall's backlog would have.
await new Promise((resolve) => setTimeout(resolve, 1000));
const [pong, newcomer] = await Promise.all([ping(bystander.socket), connect("db-stall-newcomer")]);
console.log("while the row is held: ping on the open socket", JSON.stringify(pong), "; a new socket open:", newcomer.open,
  newcomer.ms, "ms; publishes answered by then", JSON.stringify(answers));
release();
await Promise.all(publishes);
const after = await ping(bystander.socket);
console.log("after the row is let go: publishes", JSON.stringify(answers), "; ping on the open socket", JSON.stringify(after));
process.exit(0);
