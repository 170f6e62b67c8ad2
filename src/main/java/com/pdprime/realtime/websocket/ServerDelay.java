package com.pdprime.realtime.websocket;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far behind the server itself is, as the heartbeat sees it: the longest pong round trip of the
 * current and the previous round (a pong that waited unread in a socket buffer counts in full), or
 * how late the current round started, whichever is larger; never more than a cap, so a client that
 * delays its pongs on purpose cannot keep dead connections open for long.
 */
final class ServerDelay {
  private final long intervalNanos;
  private final long capNanos;
  private final AtomicLong longestThisRound = new AtomicLong();
  private volatile long longestLastRound;
  private volatile long lastRoundStart;

  ServerDelay(long intervalNanos, long capNanos) {
    this.intervalNanos = intervalNanos;
    this.capNanos = capNanos;
  }

  /** A measured ping-to-pong time; called from any thread. */
  void roundTrip(long nanos) {
    if (nanos > 0) {
      longestThisRound.accumulateAndGet(nanos, Math::max);
    }
  }

  /** Starts a round at {@code now} and returns the delay to allow its deadlines. */
  long nextRound(long now) {
    long late = lastRoundStart == 0 ? 0 : Math.max(0, now - lastRoundStart - intervalNanos);
    lastRoundStart = now;
    long thisRound = longestThisRound.getAndSet(0);
    long roundTrips = Math.max(thisRound, longestLastRound);
    longestLastRound = thisRound;
    return Math.min(capNanos, Math.max(late, roundTrips));
  }
}
