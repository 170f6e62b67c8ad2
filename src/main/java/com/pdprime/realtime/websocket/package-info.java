/**
 * The engine: handshake (with the per-user and per-address caps), endpoint, the inbound frame check
 * under Tyrus, connections and their limits, room channels (ordering, gap filling, recovery,
 * history from memory or the database), heartbeat and shutdown, and the FeatureCommands seam
 * through which features answer their own socket commands. Depends on protocol, rooms, security,
 * connections, presence and monitoring, and on Tyrus's servlet upgrade handler where the container
 * provides it; never on a feature (EngineKnowsNoFeatureTest).
 */
package com.pdprime.realtime.websocket;
