package com.pdprime.realtime.websocket;

/**
 * An operator's order to close sockets on every instance: one connection by id, or every socket of
 * one user. Carried by the relay, so each instance closes its own with {@link
 * com.pdprime.realtime.protocol.CloseCode#DISCONNECTED} and the reason given.
 */
public record DisconnectOrder(String connectionId, String subject, String reason) {
  public DisconnectOrder {
    if ((connectionId == null) == (subject == null)) {
      throw new IllegalArgumentException("a disconnect order names a connection or a user");
    }
  }

  public static DisconnectOrder connection(String connectionId, String reason) {
    return new DisconnectOrder(connectionId, null, reason);
  }

  public static DisconnectOrder user(String subject, String reason) {
    return new DisconnectOrder(null, subject, reason);
  }
}
