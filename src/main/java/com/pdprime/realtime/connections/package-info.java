/**
 * The connection journal: `websocket_connections` rows written in batches, and this instance's
 * identity. Depends on monitoring; knows nothing of sockets.
 */
package com.pdprime.realtime.connections;
