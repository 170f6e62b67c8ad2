package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletConnection;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A socket's request is held while the container still serves its TCP connection with it, and
 * released once the recycled request serves another connection, none, or refuses to answer.
 */
class UpgradedRequestTest {
  private final AtomicReference<Object> current = new AtomicReference<>("17");

  @Test
  void heldWhileTheRequestServesTheConnectionOfTheHandshake() {
    UpgradedRequest upgraded = UpgradedRequest.of(request());

    assertEquals("17", upgraded.connectionId());
    assertTrue(upgraded.held());
  }

  @Test
  void releasedOnceTheRecycledRequestServesAnotherConnection() {
    UpgradedRequest upgraded = UpgradedRequest.of(request());

    current.set("18");

    assertFalse(upgraded.held());
  }

  @Test
  void releasedWhenTheRecycledRequestHasNoConnection() {
    UpgradedRequest upgraded = UpgradedRequest.of(request());

    current.set(null);

    assertFalse(upgraded.held());
  }

  @Test
  void releasedWhenTheClearedRequestThrows() {
    UpgradedRequest upgraded = UpgradedRequest.of(request());

    current.set(new IllegalStateException("request object recycled"));

    assertFalse(upgraded.held());
  }

  @Test
  void aHandshakeWithoutAConnectionIdIsRefused() {
    current.set(null);

    assertThrows(IllegalStateException.class, () -> UpgradedRequest.of(request()));
  }

  /** A request whose connection id is {@link #current}: a value, null, or an exception to throw. */
  private HttpServletRequest request() {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("getServletConnection")) {
                throw new UnsupportedOperationException(method.getName());
              }
              Object id = current.get();
              if (id instanceof RuntimeException cleared) {
                throw cleared;
              }
              return id == null ? null : connection((String) id);
            });
  }

  private static ServletConnection connection(String id) {
    return new ServletConnection() {
      @Override
      public String getConnectionId() {
        return id;
      }

      @Override
      public String getProtocol() {
        return "HTTP/1.1";
      }

      @Override
      public String getProtocolConnectionId() {
        return "";
      }

      @Override
      public boolean isSecure() {
        return false;
      }
    };
  }
}
