package com.pdprime.realtime.monitoring;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The threads the monitors and the watchdog run their rounds on, and their stop: no new round
 * starts, and a round under way finishes before the threads end.
 *
 * <p>Why not {@code shutdownNow()}, which they used until 2026-12-07: it interrupts the round under
 * way, and the round's next EJB call fails at once ({@code WFLYEJB0379: Acquire semaphore was
 * interrupted}, WildFly's bean pool refusing an interrupted thread), so a stop that met a round
 * logged an alert write as failed at SEVERE (the README's WildFly run of a clean clone, 7 Dec
 * 2026). A round that outlasts the wait is interrupted all the same, with a warning first: a
 * shutdown does not wait for a database that does not answer.
 */
final class RoundThreads {
  private static final Logger LOG = Logger.getLogger(RoundThreads.class.getName());

  /** A round's own checks give up after 2 s ({@link DatabaseProbe}); its alert writes are quick. */
  static final long STOP_WAIT_MILLIS = 3000;

  private final String name;
  private final long stopWaitMillis;
  private final ScheduledExecutorService executor;

  RoundThreads(String name, int count, ThreadFactory threads, long stopWaitMillis) {
    this.name = name;
    this.stopWaitMillis = stopWaitMillis;
    this.executor = Executors.newScheduledThreadPool(count, threads);
  }

  /** Runs the round every {@code periodMillis} after the previous one ended. */
  void every(long periodMillis, Runnable round) {
    executor.scheduleWithFixedDelay(round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * True when every round under way ended on its own within the wait; a second call waits again.
   */
  boolean stop() {
    executor.shutdown();
    try {
      if (executor.awaitTermination(stopWaitMillis, TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warning(
        name
            + ": a round was still running "
            + stopWaitMillis
            + " ms after the stop began; it is interrupted");
    executor.shutdownNow();
    return false;
  }
}
