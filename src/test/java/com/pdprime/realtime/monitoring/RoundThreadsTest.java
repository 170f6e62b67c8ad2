package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundThreadsTest {
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();

  @Test
  void aRoundUnderWayWhenTheStopComesFinishesUninterruptedAndNoOtherStarts() throws Exception {
    RoundThreads threads = threads(5000);
    threads.every(1, () -> round(300));
    assertTrue(started.await(5, TimeUnit.SECONDS), "a round started");

    assertTrue(threads.stop(), "every round ended on its own");

    assertTrue(finished.get(), "the round under way finished");
    assertFalse(interrupted.get(), "the round under way was not interrupted");
    Thread.sleep(50);
    assertEquals(1, rounds.get(), "rounds run, the stop having come during the first");
  }

  @Test
  void aRoundThatOutlastsTheWaitIsInterrupted() throws Exception {
    RoundThreads threads = threads(50);
    threads.every(1, () -> round(10_000));
    assertTrue(started.await(5, TimeUnit.SECONDS), "a round started");

    assertFalse(threads.stop(), "the round did not end on its own");

    assertTrue(ended.await(5, TimeUnit.SECONDS), "the round ended");
    assertTrue(interrupted.get(), "the round outlasting the wait was interrupted");
  }

  private RoundThreads threads(long stopWaitMillis) {
    return new RoundThreads("test rounds", 1, Executors.defaultThreadFactory(), stopWaitMillis);
  }

  private void round(long millis) {
    rounds.incrementAndGet();
    started.countDown();
    try {
      Thread.sleep(millis);
      finished.set(true);
    } catch (InterruptedException e) {
      interrupted.set(true);
    } finally {
      ended.countDown();
    }
  }
}
