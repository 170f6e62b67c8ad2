// Socket.IO 4.8 room-broadcast peer: one process, default in-memory adapter, no auth, no persistence.
// Client: emit("subscribe", {room, since}, ack) -> ack({room, epoch, seq, recovered, replayed}), then
// the missed events, then live ones. Events: emit("event", {type, room, name, epoch, seq, ts, data})
// through io.to(room).emit, which encodes each broadcast once. Publish: POST /publish/{room}.
//   node --expose-gc peers/socketio-server.mjs --port 9102
import http from "node:http";
import { Server } from "socket.io";
import { Room, EPOCH, readJson, send, stats, portArg } from "./common.mjs";

const port = portArg(9102);
const rooms = new Map();
let connections = 0;
let subscriptions = 0;

const room = (name) => {
  let r = rooms.get(name);
  if (!r) rooms.set(name, (r = new Room(name)));
  return r;
};

const server = http.createServer(async (req, res) => {
  if (req.url.startsWith("/socket.io")) return; // engine.io handles it
  try {
    if (req.method === "POST" && req.url.startsWith("/publish/")) {
      const name = decodeURIComponent(req.url.slice("/publish/".length));
      const body = await readJson(req);
      const r = room(name);
      const seq = ++r.seq;
      const event = { type: "event", room: name, name: body.name, epoch: EPOCH, seq, ts: Date.now(), data: body.data };
      r.append(event, seq);
      io.to(name).emit("event", event);
      return send(res, 201, { room: name, epoch: EPOCH, seq });
    }
    if (req.url.startsWith("/stats")) {
      return send(res, 200, stats(req.url, () => ({ connections, subscriptions, rooms: rooms.size })));
    }
    send(res, 404, { code: "NOT_FOUND" });
  } catch (e) {
    send(res, 400, { code: "BAD_REQUEST", message: String(e) });
  }
});

const io = new Server(server, { serveClient: false, transports: ["websocket"], perMessageDeflate: false });
io.on("connection", (socket) => {
  connections++;
  let mine = 0;
  socket.on("subscribe", (cmd, ack) => {
    if (typeof ack !== "function") return;
    const r = room(cmd.room);
    if (socket.rooms.has(cmd.room)) return ack({ error: "ALREADY_SUBSCRIBED" });
    const data = { room: cmd.room, epoch: EPOCH, seq: r.seq };
    let replay = [];
    if (cmd.since) {
      const missed = r.replaySince(cmd.since);
      if (missed) Object.assign(data, { recovered: true, replayed: missed.length }), (replay = missed);
      else Object.assign(data, { recovered: false, reason: "HISTORY" });
    }
    // Synchronously: the ack, the replay, then the join, so no live event overtakes the replay.
    ack(data);
    for (const event of replay) socket.emit("event", event);
    socket.join(cmd.room);
    mine++;
    subscriptions++;
  });
  socket.on("disconnect", () => {
    connections--;
    subscriptions -= mine;
  });
});

server.listen(port, "127.0.0.1", () => console.log(`socket.io peer listening on 127.0.0.1:${port} pid=${process.pid}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
