package com.pdprime.realtime.monitoring;

import java.util.Arrays;
import java.util.Optional;

/**
 * The last {@link #CAPACITY} values of a histogram, for its median and 99th percentile where the
 * metrics library computes none (Micrometer on WildFly, {@link MicrometerMeters}). Recent samples
 * rather than all of them, as MicroProfile Metrics' decaying reservoir on Payara.
 */
final class RecentSamples {
  static final int CAPACITY = 1028;

  private final long[] values = new long[CAPACITY];
  private long added;

  synchronized void add(long value) {
    values[(int) (added % CAPACITY)] = value;
    added++;
  }

  /**
   * Percentiles over the samples kept, reported with {@code count}, the histogram's total count.
   */
  Optional<Percentiles> percentiles(long count) {
    long[] sorted;
    synchronized (this) {
      sorted = Arrays.copyOf(values, (int) Math.min(added, CAPACITY));
    }
    if (sorted.length == 0) {
      return Optional.empty();
    }
    Arrays.sort(sorted);
    return Optional.of(new Percentiles(count, quantile(sorted, 0.5), quantile(sorted, 0.99)));
  }

  private static double quantile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }
}
