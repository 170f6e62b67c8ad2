package com.pdprime.realtime.websocket;

import jakarta.websocket.server.ServerEndpoint;

/** {@code /ws}: the users' socket. */
@ServerEndpoint(
    value = Handshake.USERS,
    subprotocols = {Subprotocol.VERSION},
    configurator = SessionConfigurator.class)
public class RealtimeEndpoint extends EngineEndpoint {}
