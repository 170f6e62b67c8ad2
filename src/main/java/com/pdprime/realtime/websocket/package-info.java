/**
 * The engine: handshake, endpoint, connections and their limits, room channels (ordering, gap
 * filling, recovery), heartbeat and shutdown, and the FeatureCommands seam through which features
 * answer their own socket commands. Depends on protocol, rooms, security, connections, presence and
 * monitoring; never on a feature (EngineKnowsNoFeatureTest).
 */
package com.pdprime.realtime.websocket;
