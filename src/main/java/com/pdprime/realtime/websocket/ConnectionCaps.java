package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many sockets this instance, each subject and each client address hold, capped. A place is
 * taken at the handshake, before the upgrade, and given back when the socket closes or the upgrade
 * does not happen, so a burst of handshakes cannot overshoot a cap while the first ones are still
 * opening.
 */
@ApplicationScoped
public class ConnectionCaps {
  @Inject EngineSettings settings;

  private final Map<String, Integer> bySubject = new ConcurrentHashMap<>();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicInteger onInstance = new AtomicInteger();

  /** A cap that is full: the refusal's status, code, message and action. */
  static final class Full extends Exception {
    private final int status;
    private final String code;
    private final String action;

    Full(int status, String code, String message, String action) {
      super(message);
      this.status = status;
      this.code = code;
      this.action = action;
    }

    int status() {
      return status;
    }

    String code() {
      return code;
    }

    String action() {
      return action;
    }
  }

  /** One socket's place under both caps, given back once however often it is released. */
  public final class Lease {
    private final String subject;
    private final String address;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(String subject, String address) {
      this.subject = subject;
      this.address = address;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        giveBack(bySubject, subject);
        giveBack(byAddress, address);
        onInstance.decrementAndGet();
      }
    }
  }

  Lease take(String subject, String address) throws Full {
    int perInstance = settings.maxConnectionsPerInstance();
    if (onInstance.incrementAndGet() > perInstance) {
      onInstance.decrementAndGet();
      // 503, not 429: the client did nothing wrong, this instance is full; another instance behind
      // the load balancer, or this one later, can take the socket.
      throw new Full(
          503,
          "SERVER_FULL",
          "this server already holds its maximum of " + perInstance + " sockets",
          "Connect again after the Retry-After delay.");
    }
    int perSubject = settings.maxConnectionsPerSubject();
    if (!takeOne(bySubject, subject, perSubject)) {
      onInstance.decrementAndGet();
      throw new Full(
          429,
          "TOO_MANY_CONNECTIONS_PER_USER",
          subject + " already holds " + perSubject + " sockets on this server",
          "Close sockets you no longer use (one per page is enough), then connect again.");
    }
    int perAddress = settings.maxConnectionsPerAddress();
    if (!takeOne(byAddress, address, perAddress)) {
      giveBack(bySubject, subject);
      onInstance.decrementAndGet();
      throw new Full(
          429,
          "TOO_MANY_CONNECTIONS_PER_ADDRESS",
          "your address already holds " + perAddress + " sockets on this server",
          "Close sockets you no longer use, or connect from another address.");
    }
    return new Lease(subject, address);
  }

  private static boolean takeOne(Map<String, Integer> counts, String key, int max) {
    boolean[] taken = {false};
    counts.compute(
        key,
        (k, held) -> {
          int now = held == null ? 0 : held;
          if (now >= max) {
            return held;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  private static void giveBack(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
  }
}
