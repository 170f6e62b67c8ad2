/**
 * Typed room names, their access rules, the durable event history with per-room sequence numbers
 * (and the recent events kept in memory beside it), and publishing. Depends on security; never on
 * websocket.
 */
package com.pdprime.realtime.rooms;
