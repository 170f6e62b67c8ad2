// Bare `ws` room-broadcast peer: one process, no auth, no persistence. Speaks the same JSON shapes as
// PD Prime Realtime (subscribe -> ok {room, epoch, seq, recovered, replayed}; event {room, seq, data})
// so the load generator parses the same frames. Publish: POST /publish/{room} {name, data} -> 201
// {room, epoch, seq}. Every event is serialised once and the same string is sent to each member.
//   node --expose-gc peers/ws-server.mjs --port 9101
import http from "node:http";
import { WebSocketServer } from "ws";
import { Room, EPOCH, readJson, send, stats, eventText, portArg } from "./common.mjs";

const port = portArg(9101);
const rooms = new Map();
let connections = 0;
let subscriptions = 0;

const room = (name) => {
  let r = rooms.get(name);
  if (!r) {
    r = new Room(name);
    r.members = new Set();
    rooms.set(name, r);
  }
  return r;
};

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === "POST" && req.url.startsWith("/publish/")) {
      const name = decodeURIComponent(req.url.slice("/publish/".length));
      const body = await readJson(req);
      const r = room(name);
      const seq = ++r.seq;
      const text = eventText(name, body.name, seq, body.data);
      r.append(text, seq);
      for (const ws of r.members) ws.send(text);
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

const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on("connection", (ws) => {
  connections++;
  const mine = new Set();
  ws.send(JSON.stringify({ type: "welcome", connectionId: String(connections), subject: "peer", heartbeatMs: 25000 }));
  ws.on("message", (raw) => {
    let cmd;
    try {
      cmd = JSON.parse(raw);
    } catch {
      return ws.send(JSON.stringify({ type: "error", code: "MALFORMED_JSON", replyTo: null }));
    }
    if (cmd.type === "subscribe") {
      const r = room(cmd.room);
      if (mine.has(r)) return ws.send(JSON.stringify({ type: "error", code: "ALREADY_SUBSCRIBED", replyTo: cmd.id }));
      const data = { room: cmd.room, epoch: EPOCH, seq: r.seq };
      let replay = [];
      if (cmd.since) {
        const missed = r.replaySince(cmd.since);
        if (missed) Object.assign(data, { recovered: true, replayed: missed.length }), (replay = missed);
        else Object.assign(data, { recovered: false, reason: "HISTORY" });
      }
      ws.send(JSON.stringify({ type: "ok", replyTo: cmd.id, data }));
      for (const text of replay) ws.send(text);
      r.members.add(ws);
      mine.add(r);
      subscriptions++;
    } else if (cmd.type === "ping") {
      ws.send(JSON.stringify({ type: "pong", replyTo: cmd.id, ts: Date.now() }));
    }
  });
  ws.on("close", () => {
    connections--;
    for (const r of mine) r.members.delete(ws), subscriptions--;
  });
  ws.on("error", () => {});
});

server.listen(port, "127.0.0.1", () => console.log(`ws peer listening on 127.0.0.1:${port} pid=${process.pid}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
