package com.pdprime.realtime.websocket;

import jakarta.servlet.ServletConnection;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request that answers only {@code getServletConnection()}, with the connection id it is set to:
 * a value, null, or an exception to throw (a request the container cleared). Counts the questions.
 */
final class ConnectionIdRequest {
  final AtomicReference<Object> current = new AtomicReference<>("17");
  final AtomicInteger asked = new AtomicInteger();

  HttpServletRequest request() {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("getServletConnection")) {
                throw new UnsupportedOperationException(method.getName());
              }
              asked.incrementAndGet();
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
