package com.pdprime.realtime.websocket;

import com.pdprime.realtime.relay.RoomRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Carries out an operator's disconnect order: this instance's sockets close at once, and the relay
 * takes the order to the others (and back here, where it finds nothing left to close). The local
 * part does not depend on the broker, so the instance the operator talks to always complies.
 */
@ApplicationScoped
public class DisconnectOrders {
  @Inject ConnectionRegistry registry;
  @Inject RoomRelay relay;

  public void issue(DisconnectOrder order) {
    registry.disconnect(order);
    relay.send(order);
  }
}
