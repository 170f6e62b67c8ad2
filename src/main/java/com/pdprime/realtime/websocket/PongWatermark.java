package com.pdprime.realtime.websocket;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the server has read its clients' pongs, so that a client silent past its deadline is
 * closed only when the server has had the chance to read its answer.
 *
 * <p>Why: the allowance for the server's own delay ({@link ServerDelay}) is measured from pongs
 * already read, so it trails a sudden overload. In a burst of 10,000 handshakes and 20,000
 * subscribes on a slow machine a round allowed 9 s while pongs were read 32 s late, and the
 * heartbeat closed 491 healthy clients with 4002 (bench/RESULTS.md, "Second stop of 2026-12-03"). A
 * silent client's one ping after its last frame went out within an interval of that frame; it is
 * judged silent when
 *
 * <ul>
 *   <li>the server has read a pong to a ping sent after that: clients pinged later have answered
 *       and it has not; or
 *   <li>no other slice has pinged anyone since: with no one else to answer there is no evidence
 *       either way, and the deadline alone decides; or
 *   <li>it is silent past its deadline plus the cap on the server's delay: when no client answers
 *       at all (all of them gone at once, or the server stalled), a close waits at most that long.
 * </ul>
 */
final class PongWatermark {
  private final long intervalNanos;
  private final long capNanos;
  private final AtomicLong newestEchoed;

  /** When each slice last pinged anyone; the heartbeat's timer thread alone reads and writes it. */
  private final long[] slicePingedAt;

  PongWatermark(int slices, long intervalNanos, long capNanos, long startNanos) {
    this.intervalNanos = intervalNanos;
    this.capNanos = capNanos;
    this.newestEchoed = new AtomicLong(startNanos);
    this.slicePingedAt = new long[slices];
    Arrays.fill(slicePingedAt, startNanos);
  }

  /** A tick of {@code slice} pinged at least one connection at {@code nanoTime}. */
  void pinged(int slice, long nanoTime) {
    slicePingedAt[slice] = nanoTime;
  }

  /**
   * A pong read at {@code now} echoed a ping sent at {@code pingSentAt}; called from any thread. An
   * echo from the future is no ping of this server's and is ignored.
   */
  void echoed(long pingSentAt, long now) {
    if (pingSentAt - now <= 0) {
      newestEchoed.accumulateAndGet(pingSentAt, (a, b) -> b - a > 0 ? b : a);
    }
  }

  /**
   * Whether a connection of {@code slice}, last heard at {@code heardAt} and silent for {@code
   * silent}, is to be closed against a deadline of {@code deadline}.
   */
  boolean silentPastDeadline(int slice, long heardAt, long silent, long deadline) {
    if (silent <= deadline) {
      return false;
    }
    if (silent > deadline + capNanos) {
      return true;
    }
    long itsPingBy = heardAt + intervalNanos;
    return newestEchoed.get() - itsPingBy >= 0 || !othersPingedAfter(slice, itsPingBy);
  }

  private boolean othersPingedAfter(int slice, long nanoTime) {
    for (int other = 0; other < slicePingedAt.length; other++) {
      if (other != slice && slicePingedAt[other] - nanoTime > 0) {
        return true;
      }
    }
    return false;
  }
}
