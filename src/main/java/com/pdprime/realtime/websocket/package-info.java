/**
 * The engine: handshake, endpoint, connections and their limits, room channels (ordering, gap
 * filling, recovery), heartbeat and shutdown. Depends on protocol, rooms, security, connections and
 * monitoring.
 */
package com.pdprime.realtime.websocket;
