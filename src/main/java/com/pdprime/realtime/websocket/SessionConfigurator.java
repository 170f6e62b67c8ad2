package com.pdprime.realtime.websocket;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Binds the handshake to the session: answers with the one protocol version, and accepts only a
 * handshake that {@link HandshakeFilter} verified. A request that reached the endpoint without the
 * filter's verified principal is a deployment error and fails the handshake.
 */
public class SessionConfigurator extends ServerEndpointConfig.Configurator {
  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    return requested.contains(Subprotocol.VERSION) ? Subprotocol.VERSION : "";
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    if (!(request.getUserPrincipal() instanceof Handshake)) {
      throw new IllegalStateException(
          "handshake reached the endpoint without a verified token; is HandshakeFilter mapped?");
    }
  }
}
