package com.pdprime.realtime.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The per-minute rate of a monotonic counter between two readings: what a rate-spike monitor
 * compares with its threshold. The first reading gives no rate, as nothing is known before it.
 */
final class CounterRate {
  private long lastTotal;
  private Instant lastAt;

  synchronized OptionalDouble perMinute(long total, Instant now) {
    Instant previousAt = lastAt;
    long previousTotal = lastTotal;
    lastAt = now;
    lastTotal = total;
    if (previousAt == null) {
      return OptionalDouble.empty();
    }
    long millis = Duration.between(previousAt, now).toMillis();
    if (millis <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.max(0, total - previousTotal) * 60_000.0 / millis);
  }
}
