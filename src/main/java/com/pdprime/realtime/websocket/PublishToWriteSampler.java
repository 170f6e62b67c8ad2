package com.pdprime.realtime.websocket;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Feeds the publish-to-write histogram from one in {@value #ONE_IN} of the writes that carried
 * events, chosen at random; one sampler serves every connection.
 *
 * <p>Why not every write: a histogram update takes the reservoir's lock and inserts into a skip
 * list, and in a broadcast to 10,000 sockets it was 8 % of the writer threads' time, the threads
 * that set how long the last socket waits (bench/RESULTS.md, "First stop of 2026-12-03", part 3).
 * At random rather than every n-th write, so the connections that get the same broadcast are not
 * all sampled or all skipped together. At 10,000 writes a second, 1,250 values a second still
 * refill the reservoir (1,028 values) more than once a second; an instance with a handful of writes
 * shows its percentiles later, and empty until its first sampled write.
 */
final class PublishToWriteSampler implements Outbox.WriteListener {
  static final int ONE_IN = 8;

  private final BooleanSupplier chosen;
  private final LongSupplier clockMillis;
  private final LongConsumer histogram;

  /** The engine's sampler: a random one write in {@value #ONE_IN}, timed by the wall clock. */
  static PublishToWriteSampler feeding(LongConsumer histogram) {
    return new PublishToWriteSampler(
        () -> ThreadLocalRandom.current().nextInt(ONE_IN) == 0,
        System::currentTimeMillis,
        histogram);
  }

  PublishToWriteSampler(BooleanSupplier chosen, LongSupplier clockMillis, LongConsumer histogram) {
    this.chosen = chosen;
    this.clockMillis = clockMillis;
    this.histogram = histogram;
  }

  @Override
  public void eventsWritten(long oldestPublishedAtMillis) {
    if (chosen.getAsBoolean()) {
      histogram.accept(clockMillis.getAsLong() - oldestPublishedAtMillis);
    }
  }
}
