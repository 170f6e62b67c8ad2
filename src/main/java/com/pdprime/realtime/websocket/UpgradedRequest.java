package com.pdprime.realtime.websocket;

import jakarta.servlet.ServletConnection;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * The request a socket was upgraded from, and whether the container still holds it for that
 * socket's TCP connection.
 *
 * <p>Why: Payara recycles an upgraded request when the client's TCP connection goes away, and does
 * not always tell the upgrade handler first (the suspended response is cancelled on the
 * connection's close, and the read listener's error callback can run after the recycle or not at
 * all). The socket then stays open in Tyrus, and the recycled request, response and streams serve
 * the next HTTP connection: a write through them reached another client (a handshake answered with
 * "HTTP 200" and the frames of an aborted socket), and closing them closed that client's upgrade.
 * Checking the connection id before every use turns such a socket into one whose writes fail, so
 * the engine closes it (the heartbeat's ping fails) without touching the container's objects.
 */
final class UpgradedRequest {
  private final HttpServletRequest request;
  private final String connectionId;

  private UpgradedRequest(HttpServletRequest request, String connectionId) {
    this.request = request;
    this.connectionId = connectionId;
  }

  /** Taken before the upgrade, while the request is the handshake's for certain. */
  static UpgradedRequest of(HttpServletRequest request) {
    String id = connectionId(request);
    if (id == null) {
      throw new IllegalStateException("the container gives the handshake no connection id");
    }
    return new UpgradedRequest(request, id);
  }

  /** The TCP connection's id, as the container numbers its connections. */
  String connectionId() {
    return connectionId;
  }

  /**
   * Whether the request still belongs to the TCP connection it was upgraded on. A recycled request
   * belongs to no connection or to the next one; a request the container cleared throws when asked,
   * which answers the question the same way.
   */
  boolean held() {
    try {
      return connectionId.equals(connectionId(request));
    } catch (RuntimeException cleared) {
      return false;
    }
  }

  private static String connectionId(HttpServletRequest request) {
    ServletConnection connection = request.getServletConnection();
    return connection == null ? null : Objects.toString(connection.getConnectionId(), null);
  }
}
