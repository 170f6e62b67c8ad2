package com.pdprime.realtime.websocket;

import com.pdprime.realtime.security.Caller;
import java.security.Principal;

/**
 * What the handshake filter proved and saw: the verified caller, where the connection came from,
 * and the connection's place under the per-subject and per-address caps, given back at close; and
 * what the upgrade hands over to the endpoint. It travels to the endpoint as the upgrade request's
 * user principal.
 */
public record Handshake(
    Caller caller,
    String remoteAddress,
    String userAgent,
    String endpoint,
    ConnectionCaps.Lease lease,
    UpgradeHandOver handOver)
    implements Principal {
  /** The users' socket. */
  public static final String USERS = "/ws";

  /** The operators' socket: only tokens with {@code admin:access} pass its handshake. */
  public static final String OPERATORS = "/ws/admin";

  boolean operators() {
    return OPERATORS.equals(endpoint);
  }

  @Override
  public String getName() {
    return caller.subject();
  }
}
