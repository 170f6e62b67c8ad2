// Checks that every single REST publish is answered as documented, under a closed-loop flood: IN_FLIGHT
// publishes at once over keep-alive sockets, each followed by the next as soon as it is answered, for
// SECONDS after the server's first 201 (earlier answers, while the WAR is still being deployed, are not
// counted). Prints every answer that is not 201 with its headers and body, and the counts by status.
//
//   node scripts/publish-answers.mjs PORT SECONDS IN_FLIGHT [PATH]
//
// With PATH, it posts {} to that path instead, without a token: the container-only reproduction in
// repro/async-complete/ (run.sh there).
//
// Not a latency benchmark (closed loop); it looks for rare wrong answers, which need hundreds of
// thousands of publishes to show: the suspended answer of c2157dd gave a stored publish HTTP 200 instead
// of 201 about once in 220,000 (bench/RESULTS.md, "First stop of 2026-12-04"). Signs its token with the
// development key, so only the embedded default accepts it.
import http from "node:http";
import { signToken } from "../lib/jwt.mjs";
import { publishOptions } from "../lib/publish.mjs";

const [port, seconds, inFlight] = process.argv.slice(2, 5).map(Number);
const fixedPath = process.argv[5];
if (!port || !seconds || !inFlight) throw new Error("usage: publish-answers.mjs PORT SECONDS IN_FLIGHT [PATH]");
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const authorization = "Bearer " + signToken({ subject: "publish-answers", groups: ["realtime:publish"] });
const counts = {};
let sent = 0;
let counting = false;
let end = Infinity;

function publish() {
  if (Date.now() > end) return;
  const room = "user:publish-answers-" + (sent++ % 1000);
  const body = fixedPath ? "{}" : JSON.stringify({ name: "test.answers", data: { n: sent } });
  const options = publishOptions({ port, agent, authorization, room, body });
  if (fixedPath) {
    options.path = fixedPath;
    delete options.headers.authorization;
  }
  const request = http.request(options, (response) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk) => (text += chunk));
    response.on("end", () => {
      if (response.statusCode === 201 && !counting) {
        counting = true;
        end = Date.now() + seconds * 1000;
        setTimeout(finish, seconds * 1000 + 5000);
      }
      if (counting) {
        counts[response.statusCode] = (counts[response.statusCode] || 0) + 1;
        if (response.statusCode !== 201) {
          console.log("answer", response.statusCode, JSON.stringify(response.headers), JSON.stringify(text), room);
        }
      }
      setImmediate(publish);
    });
  });
  request.on("error", (error) => {
    if (counting) counts[error.code] = (counts[error.code] || 0) + 1;
    setTimeout(publish, counting ? 0 : 200);
  });
  request.end(body);
}

function finish() {
  clearInterval(progress);
  console.log("final", JSON.stringify(counts));
  process.exit(0);
}

const progress = setInterval(() => counting && console.log(new Date().toISOString(), JSON.stringify(counts)), 10000);
for (let i = 0; i < inFlight; i++) publish();
