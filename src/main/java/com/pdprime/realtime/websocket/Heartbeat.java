package com.pdprime.realtime.websocket;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.protocol.CloseCode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Pings every open connection each round and closes with 4002 the ones that let a ping go
 * unanswered (any frame counts, not only a pong) for the timeout + the server's own delay.
 *
 * <p>A round is spread over its interval: a connection's id puts it in one of {@link #SLICES}
 * slices, and each {@link #tick} (interval / {@link #SLICES} apart) takes the next slice, so every
 * connection is still pinged and judged once an interval. Pinging all of them at once made 10,000
 * pings, and then 10,000 pongs to read, every 25 s: the deliveries queued behind them, and the p99
 * of workload b at 1,000 publishes/s was set by those bursts (bench/RESULTS.md).
 *
 * <p>A client is judged from when its ping was written, not from when its slice asked for it: the
 * ping waits for the connection's writer ({@link Outbox#ping}), and that wait is the server's. On a
 * saturated server the time from a slice's ping to its pong reached tens of seconds for some
 * connections while others were prompt, and a deadline counted from the slice closed healthy
 * clients (bench/RESULTS.md, "Second stop of 2026-12-03"). A ping that cannot be written closes the
 * connection with 4002. One stuck behind a write that never completes is not judged and need not
 * be: that write ends the connection with 4008 after the send timeout ({@link StalledWrites}).
 *
 * <p>The server's delay covers the rest: an overloaded server reads its sockets late, so a healthy
 * client's pong can sit unread for seconds. Each ping carries the time it was written and the pong
 * echoes it; the longest round trip of the last two rounds, and how late the round itself started,
 * are added to every deadline. A dead client sends no pong and gains nothing from this.
 */
@ApplicationScoped
public class Heartbeat {
  private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

  @Inject EngineSettings settings;
  @Inject ConnectionRegistry registry;
  @Inject RealtimeMetrics metrics;

  /** How many ticks a round is spread over. */
  static final int SLICES = 25;

  private ServerDelay delay;

  /** Used by the timer's one thread only; a tick never overlaps the previous one. */
  private int nextSlice;

  /** The current round's: set by its first tick, read by its others (the same thread). */
  private long deadline;

  private long allowance;

  @PostConstruct
  void init() {
    long allowed =
        TimeUnit.MILLISECONDS.toNanos(
            settings.heartbeatIntervalMillis() + settings.heartbeatTimeoutMillis());
    delay =
        new ServerDelay(
            TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMillis()), 2 * allowed);
  }

  /** A pong: the client is alive, and the echoed send time measures the server's delay. */
  void pong(Connection connection, ByteBuffer payload) {
    long now = System.nanoTime();
    connection.heard(now);
    if (payload.remaining() == Long.BYTES) {
      delay.roundTrip(now - payload.getLong(payload.position()));
    }
  }

  /** How far apart the ticks are: a round's interval over its slices. */
  long tickMillis() {
    return Math.max(1, settings.heartbeatIntervalMillis() / SLICES);
  }

  /** The slice a connection belongs to, for the whole of its life. */
  static int sliceOf(String connectionId) {
    return Math.floorMod(connectionId.hashCode(), SLICES);
  }

  /**
   * One slice of a round: pings the open connections of the next slice, or closes those whose ping
   * went unanswered past the deadline. The first slice starts a new round, which sets the deadline
   * for the whole round.
   */
  void tick() {
    long now = System.nanoTime();
    int slice = nextSlice;
    nextSlice = (slice + 1) % SLICES;
    if (slice == 0) {
      startRound(now);
    }
    for (Connection connection : registry.all()) {
      if (connection.state() != ConnectionState.OPEN || sliceOf(connection.id()) != slice) {
        continue;
      }
      long unanswered = connection.liveness().nanosPingUnanswered(now);
      if (unanswered > deadline) {
        connection.close(
            CloseCode.HEARTBEAT_TIMEOUT,
            "no frame since a ping written "
                + TimeUnit.NANOSECONDS.toMillis(unanswered)
                + " ms ago (allowed "
                + TimeUnit.NANOSECONDS.toMillis(deadline)
                + " ms, of which server delay "
                + TimeUnit.NANOSECONDS.toMillis(allowance)
                + " ms; last frame "
                + TimeUnit.NANOSECONDS.toMillis(connection.liveness().nanosSinceHeard(now))
                + " ms ago)");
      } else {
        connection.ping();
      }
    }
  }

  private void startRound(long now) {
    allowance = delay.nextRound(now);
    deadline = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatTimeoutMillis()) + allowance;
    if (allowance > TimeUnit.MILLISECONDS.toNanos(settings.heartbeatTimeoutMillis())) {
      LOG.warning(
          "server delay "
              + TimeUnit.NANOSECONDS.toMillis(allowance)
              + " ms (late pongs or a late heartbeat round): silent clients get that much longer"
              + " before 4002");
    }
    metrics.heartbeatDelay(TimeUnit.NANOSECONDS.toMillis(allowance));
  }
}
