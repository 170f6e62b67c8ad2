package com.pdprime.realtime.websocket;

import com.pdprime.realtime.security.Caller;
import java.security.Principal;

/**
 * What the handshake filter proved and saw: the verified caller, and where the connection came
 * from. It travels to the endpoint as the upgrade request's user principal.
 */
public record Handshake(Caller caller, String remoteAddress, String userAgent, String endpoint)
    implements Principal {
  @Override
  public String getName() {
    return caller.subject();
  }
}
