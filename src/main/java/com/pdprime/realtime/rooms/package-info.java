/**
 * Typed room names, their access rules, the durable event history with per-room sequence numbers,
 * and publishing. Depends on security; never on websocket.
 */
package com.pdprime.realtime.rooms;
