package com.pdprime.realtime.websocket;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What both sockets do, the users' {@code /ws} and the operators' {@code /ws/admin}: thin, every
 * event is handed to the engine's services. Only the handshake (who may enter) and the rooms an
 * operators' connection may enter differ, and those are decided before and after this class.
 */
public abstract class EngineEndpoint {
  private static final Logger LOG = Logger.getLogger(EngineEndpoint.class.getName());

  @Inject ConnectionRegistry registry;
  @Inject ConnectionService service;
  @Inject Heartbeat heartbeat;

  private Connection connection;

  @OnOpen
  public void open(Session session) {
    connection = registry.open(session, (Handshake) session.getUserPrincipal());
  }

  /** In parts, so that the message size is bounded here and not left to the container. */
  @OnMessage
  public void text(String part, boolean last) {
    service.receive(connection, part, last);
  }

  /** In parts, so that the first part closes the socket and no binary message is buffered. */
  @OnMessage
  public void binary(ByteBuffer part, boolean last) {
    service.receiveBinary(connection);
  }

  @OnMessage
  public void pong(PongMessage pong) {
    heartbeat.pong(connection, pong.getApplicationData());
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    ((Handshake) session.getUserPrincipal()).lease().release();
    // From the session, not the field: the close may run before open() has set the field.
    Connection closing = ConnectionRegistry.of(session);
    if (closing != null) {
      registry.closed(closing, reason);
    }
  }

  @OnError
  public void error(Throwable failure) {
    LOG.log(
        Level.WARNING,
        "conn=" + (connection == null ? "-" : connection.id()) + " socket error: " + failure);
  }
}
