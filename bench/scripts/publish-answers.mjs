// Checks that every single REST publish is answered as documented, under a closed-loop flood: IN_FLIGHT
// publishes at once over keep-alive sockets, each followed by the next as soon as it is answered, for
// SECONDS after the server's first 201 (earlier answers, while the WAR is still being deployed, are not
// counted). Prints every answer that is not 201 with its headers and body, the counts by status, and
// how many publishes were still unanswered 5 s after the end (how many of them were sent after the
// first 201, and the oldest ages): an answer the server never writes leaves its publish waiting
// forever and takes one of the IN_FLIGHT.
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
const unanswered = new Map(); // request number -> when it was sent
let sent = 0;
let counting = false;
let end = Infinity;

function publish() {
  if (Date.now() > end) return;
  const number = sent;
  const room = "user:publish-answers-" + (sent++ % 1000);
  const body = fixedPath ? "{}" : JSON.stringify({ name: "test.answers", data: { n: sent } });
  const options = publishOptions({ port, agent, authorization, room, body });
  if (fixedPath) {
    options.path = fixedPath;
    delete options.headers.authorization;
  }
  unanswered.set(number, Date.now());
  const request = http.request(options, (response) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk) => (text += chunk));
    response.on("end", () => {
      unanswered.delete(number);
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
    unanswered.delete(number);
    if (counting) counts[error.code] = (counts[error.code] || 0) + 1;
    setTimeout(publish, counting ? 0 : 200);
  });
  request.end(body);
}

function finish() {
  clearInterval(progress);
  const ages = [...unanswered.values()].map((sentAt) => Date.now() - sentAt).sort((a, b) => b - a);
  const whileCounting = ages.filter((age) => age < seconds * 1000 + 5000).length;
  console.log("final", JSON.stringify(counts), "unanswered", ages.length, "of them sent while counting", whileCounting, "ages ms", JSON.stringify(ages.slice(0, 10)));
  process.exit(0);
}

const progress = setInterval(() => counting && console.log(new Date().toISOString(), JSON.stringify(counts)), 10000);
for (let i = 0; i < inFlight; i++) publish();
