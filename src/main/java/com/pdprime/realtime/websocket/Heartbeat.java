package com.pdprime.realtime.websocket;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.protocol.CloseCode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Pings every open connection each round and closes with 4002 the ones the server has not heard
 * from (any frame counts, not only pongs) for interval + timeout + the server's own delay.
 *
 * <p>The server's delay matters because an overloaded server reads its sockets late: a healthy
 * client's pong can sit unread for seconds. Each ping carries the server's send time and the pong
 * echoes it, so every pong tells how long the round trip really took, unread time included; the
 * longest round trip of the last two rounds, and how late the round itself started, are added to
 * every deadline. A dead client sends no pong and gains nothing from this.
 */
@ApplicationScoped
public class Heartbeat {
  private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

  @Inject EngineSettings settings;
  @Inject ConnectionRegistry registry;
  @Inject RealtimeMetrics metrics;

  private ServerDelay delay;

  @PostConstruct
  void init() {
    long deadline =
        TimeUnit.MILLISECONDS.toNanos(
            settings.heartbeatIntervalMillis() + settings.heartbeatTimeoutMillis());
    delay =
        new ServerDelay(
            TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMillis()), 2 * deadline);
  }

  /** A pong: the client is alive, and the echoed send time measures the server's delay. */
  void pong(Connection connection, ByteBuffer payload) {
    long now = System.nanoTime();
    connection.heard(now);
    if (payload.remaining() == Long.BYTES) {
      delay.roundTrip(now - payload.getLong(payload.position()));
    }
  }

  /** One heartbeat round over every open connection. */
  void round() {
    long now = System.nanoTime();
    long allowance = delay.nextRound(now);
    long deadline =
        TimeUnit.MILLISECONDS.toNanos(
                settings.heartbeatIntervalMillis() + settings.heartbeatTimeoutMillis())
            + allowance;
    if (allowance > TimeUnit.MILLISECONDS.toNanos(settings.heartbeatTimeoutMillis())) {
      LOG.warning(
          "server delay "
              + TimeUnit.NANOSECONDS.toMillis(allowance)
              + " ms (late pongs or a late heartbeat round): silent clients get that much longer"
              + " before 4002");
    }
    metrics.heartbeatDelay(TimeUnit.NANOSECONDS.toMillis(allowance));
    ByteBuffer ping = ByteBuffer.allocate(Long.BYTES).putLong(0, now);
    for (Connection connection : registry.all()) {
      if (connection.state() != ConnectionState.OPEN) {
        continue;
      }
      long silent = connection.nanosSinceHeard(now);
      if (silent > deadline) {
        connection.close(
            CloseCode.HEARTBEAT_TIMEOUT,
            "nothing heard for "
                + TimeUnit.NANOSECONDS.toMillis(silent)
                + " ms (allowed "
                + TimeUnit.NANOSECONDS.toMillis(deadline)
                + " ms, of which server delay "
                + TimeUnit.NANOSECONDS.toMillis(allowance)
                + " ms)");
      } else {
        ping(connection, ping.duplicate());
      }
    }
  }

  private static void ping(Connection connection, ByteBuffer payload) {
    try {
      connection.session().getAsyncRemote().sendPing(payload);
    } catch (IOException | RuntimeException e) {
      connection.close(CloseCode.HEARTBEAT_TIMEOUT, "ping could not be sent: " + e);
    }
  }
}
