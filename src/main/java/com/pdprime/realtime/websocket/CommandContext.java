package com.pdprime.realtime.websocket;

import com.pdprime.realtime.security.Caller;

/** Who sent a feature command, on which connection: all a feature may know of the socket. */
public record CommandContext(String connectionId, Caller caller) {}
