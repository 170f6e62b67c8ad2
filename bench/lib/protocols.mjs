// Client side of each server under test: how to open a socket, subscribe, and read events.
// `pdprime` and `ws` speak PD Prime Realtime's JSON (pdprime.realtime.v1; frames may hold several
// objects separated by "\n"); `socketio` speaks Engine.IO v4 / Socket.IO v5 directly over `ws`
// (open "0{...}", connect "40", events "42[...]", acks "43<id>[...]", ping "2" -> pong "3"), which is
// what socket.io-client sends with transports: ["websocket"], at a fraction of the client's CPU.

export const PROTOCOLS = {
  pdprime: {
    url: (port) => `ws://127.0.0.1:${port}/ws`,
    subprotocols: (token) => ["pdprime.realtime.v1", "bearer." + token],
    /** Splits one text frame into messages: [{kind:'ready'|'ok'|'error'|'event', ...}] */
    parse(text, out) {
      if (text.indexOf("\n") < 0) return out.push(JSON.parse(text));
      for (const line of text.split("\n")) if (line) out.push(JSON.parse(line));
    },
    subscribe: (id, room, since) =>
      JSON.stringify(since ? { id, type: "subscribe", room, since } : { id, type: "subscribe", room }),
  },
  ws: {
    url: (port) => `ws://127.0.0.1:${port}/`,
    subprotocols: () => undefined,
    parse(text, out) {
      out.push(JSON.parse(text));
    },
    subscribe: (id, room, since) =>
      JSON.stringify(since ? { id, type: "subscribe", room, since } : { id, type: "subscribe", room }),
  },
  socketio: {
    url: (port) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    subprotocols: () => undefined,
    // Maps Engine.IO/Socket.IO packets onto the same message shapes as the JSON protocols.
    parse(text, out, ws) {
      const c0 = text.charCodeAt(0);
      if (c0 === 50 /* '2' ping */) return ws.send("3");
      if (c0 === 48 /* '0' open */) return ws.send("40");
      if (c0 !== 52 /* '4' message */) return;
      const c1 = text.charCodeAt(1);
      if (c1 === 48 /* '40' connected */) return out.push({ type: "welcome" });
      if (c1 === 50 /* '42' event */) {
        const arr = JSON.parse(text.slice(2));
        if (arr[0] === "event") out.push(arr[1]);
        return;
      }
      if (c1 === 51 /* '43<id>' ack */) {
        let i = 2;
        while (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
        const id = text.slice(2, i);
        const data = JSON.parse(text.slice(i))[0];
        if (data && data.error) out.push({ type: "error", replyTo: id, code: data.error });
        else out.push({ type: "ok", replyTo: id, data });
        return;
      }
      if (c1 === 52 /* '44' connect error */) out.push({ type: "error", replyTo: null, code: "CONNECT_ERROR", message: text });
    },
    subscribe: (id, room, since) => `42${id}${JSON.stringify(["subscribe", since ? { room, since } : { room }])}`,
  },
};
