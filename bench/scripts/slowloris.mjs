// Slowloris probe (issue 12): opens N sockets to a server, each sends the start of an upgrade
// request and then one more header line every 5 s, never the empty line that ends the headers.
// Prints how many sockets are still open 20 s and 90 s after they connected, and what they were
// answered. Usage: node bench/scripts/slowloris.mjs PORT [N=300]
import net from "node:net";

const port = Number(process.argv[2]);
const count = Number(process.argv[3] ?? 300);
const open = new Set();
const answers = {};
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, "127.0.0.1", () =>
    socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"),
  );
  open.add(socket);
  socket.on("data", (data) => {
    const status = data.toString("latin1").split("\r\n")[0];
    answers[status] = (answers[status] ?? 0) + 1;
  });
  socket.on("error", () => open.delete(socket));
  socket.on("close", () => open.delete(socket));
}
let line = 0;
const trickle = setInterval(() => {
  for (const socket of open) socket.write(`X-Trickle-${line}: x\r\n`);
  line++;
}, 5000);
for (const seconds of [20, 90]) {
  setTimeout(() => {
    console.log(`after ${seconds} s: ${open.size} of ${count} open; answers: ${JSON.stringify(answers)}`);
    if (seconds === 90) {
      clearInterval(trickle);
      for (const socket of open) socket.destroy();
    }
  }, seconds * 1000);
}
