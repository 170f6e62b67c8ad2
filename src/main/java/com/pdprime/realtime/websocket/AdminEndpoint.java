package com.pdprime.realtime.websocket;

import jakarta.websocket.server.ServerEndpoint;

/**
 * {@code /ws/admin}: the operators' socket. The same protocol, limits and heartbeat as {@code /ws};
 * its handshake admits only {@code admin:access}, and only its connections may enter {@code admin:}
 * rooms.
 */
@ServerEndpoint(
    value = Handshake.OPERATORS,
    subprotocols = {Subprotocol.VERSION},
    configurator = SessionConfigurator.class)
public class AdminEndpoint extends EngineEndpoint {}
