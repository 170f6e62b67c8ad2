package com.pdprime.realtime.websocket;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Sec-WebSocket-Protocol} entries of a handshake: the protocol version the client
 * speaks, and for browsers (which cannot set headers on a WebSocket) the token as a {@code
 * bearer.<jwt>} entry.
 */
final class Subprotocol {
  /** The one protocol version this server speaks; the server always answers with exactly this. */
  static final String VERSION = "pdprime.realtime.v1";

  static final String TOKEN_PREFIX = "bearer.";

  private Subprotocol() {}

  static List<String> entries(List<String> headerValues) {
    List<String> entries = new ArrayList<>();
    if (headerValues == null) {
      return entries;
    }
    for (String value : headerValues) {
      for (String entry : value.split(",")) {
        String trimmed = entry.trim();
        if (!trimmed.isEmpty()) {
          entries.add(trimmed);
        }
      }
    }
    return entries;
  }

  static String token(List<String> entries) {
    for (String entry : entries) {
      if (entry.startsWith(TOKEN_PREFIX)) {
        return entry.substring(TOKEN_PREFIX.length());
      }
    }
    return null;
  }
}
