package com.pdprime.realtime.websocket;

/**
 * Inbound rate limit of one connection: {@code burst} commands at once, refilled at {@code
 * ratePerSecond}. Used only from the connection's own message thread, so it needs no locking.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long refilledAt;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1_000_000_000d;
    this.capacity = burst;
    this.tokens = burst;
    this.refilledAt = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * ratePerNano);
    refilledAt = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
