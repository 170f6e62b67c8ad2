// Cross-check of the generator's direct Engine.IO/Socket.IO framing against the official client:
// socket.io-client 4.8 connects to the Socket.IO peer, subscribes through an ack, receives events
// published over HTTP, and the seqs must be 1, 2, 3 with the same shapes the generator parses.
//   node scripts/check-socketio-client.mjs [port]      (the peer must be running)
import { io } from "socket.io-client";
import http from "node:http";

const port = Number(process.argv[2] || 19102);
const room = "check-" + Date.now();
const publish = (i) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify({ name: "bench.check", data: { i } });
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: `/publish/${room}`, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(text))));
    });
    req.on("error", reject);
    req.end(body);
  });

const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"] });
const got = [];
const timer = setTimeout(() => (console.error("FAIL: timeout", got), process.exit(1)), 10000);
socket.on("event", (e) => {
  got.push(e.seq);
  if (got.length === 3) {
    clearTimeout(timer);
    const ok = got.join() === "1,2,3" && e.room === room && e.data.i === 3 && typeof e.epoch === "string";
    console.log(ok ? "PASS socket.io-client: subscribe ack and events 1,2,3" : `FAIL ${JSON.stringify(got)} ${JSON.stringify(e)}`);
    socket.close();
    process.exit(ok ? 0 : 1);
  }
});
socket.on("connect", () => {
  socket.emit("subscribe", { room }, async (ack) => {
    if (ack.seq !== 0 || ack.room !== room) throw new Error("bad ack " + JSON.stringify(ack));
    for (let i = 1; i <= 3; i++) await publish(i);
  });
});
