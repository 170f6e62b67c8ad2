package com.pdprime.realtime.websocket;

import com.pdprime.realtime.security.Caller;

/**
 * Who sent a feature command, on which connection: all a feature may know of the socket. {@code
 * operators} is true on {@code /ws/admin} (whose handshake required {@code admin:access}); the
 * client address is the one the handshake saw, for audit records.
 */
public record CommandContext(
    String connectionId, Caller caller, boolean operators, String clientAddress) {}
