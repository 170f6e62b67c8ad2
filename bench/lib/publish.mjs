// The request of one single publish (POST /api/v1/rooms/{room}/events) to a PD Prime on 127.0.0.1.

/** http.request options for publishing `body` (a JSON string) into `room`. */
export function publishOptions({ port, agent, authorization, room, body }) {
  return {
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/api/v1/rooms/" + room + "/events",
    agent,
    headers: { "content-type": "application/json", authorization, "content-length": Buffer.byteLength(body) },
  };
}
