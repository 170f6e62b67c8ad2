package com.pdprime.realtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.CapturedLog;
import com.pdprime.realtime.testing.ManagedThreads;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A late answer that cannot be written is said in the log, never dropped without a word; a body's
 * deadline read in time leaves nothing behind.
 */
class RequestTimerTest {
  private final RequestTimer timer = new RequestTimer();
  private CapturedLog captured;
  private List<LogRecord> logged;

  @BeforeEach
  void start() {
    timer.threads = ManagedThreads.playedBy(task -> new Thread(task, "request-timer-test"));
    timer.start();
    captured = CapturedLog.of(RequestTimer.class);
    logged = captured.records();
  }

  @AfterEach
  void stop() {
    captured.close();
    timer.stop();
  }

  @Test
  void aTaskThatThrowsIsLoggedAndTheNextStillRuns() throws Exception {
    CountDownLatch next = new CountDownLatch(1);
    timer.run(
        0,
        () -> {
          throw new IllegalArgumentException("the request was recycled");
        });
    timer.run(1, next::countDown);

    assertTrue(next.await(5, TimeUnit.SECONDS), "the next task never ran");
    assertEquals(1, logged.size(), logged.toString());
    assertEquals(Level.SEVERE, logged.get(0).getLevel());
    assertEquals("the request was recycled", logged.get(0).getThrown().getMessage());
  }

  @Test
  void aTaskAfterTheStopIsLoggedNotThrown() {
    timer.stop();

    timer.run(0, () -> {});
    assertEquals(1, logged.size(), logged.toString());
    assertEquals(Level.WARNING, logged.get(0).getLevel());
  }

  @Test
  void aDeadlinePassesWhenDueAndACancelledOneNever() throws Exception {
    CountDownLatch passed = new CountDownLatch(1);
    AtomicBoolean cancelledRan = new AtomicBoolean();
    Future<?> cancelled = timer.deadline(50, () -> cancelledRan.set(true));
    timer.deadline(100, passed::countDown);
    cancelled.cancel(false);

    assertTrue(passed.await(5, TimeUnit.SECONDS), "the deadline never passed");
    assertFalse(cancelledRan.get(), "a cancelled deadline passed");
  }

  @Test
  void aCancelledDeadlineLeavesTheQueueAtOnce() {
    // A body read in time cancels its deadline: 1,000 publishes a second would otherwise leave
    // 10,000 cancelled tasks in the queue, each until its 10 s are up.
    for (int i = 0; i < 1_000; i++) {
      timer.deadline(10_000, () -> {}).cancel(false);
    }

    assertEquals(0, timer.timer.getQueue().size());
  }

  @Test
  void afterTheStopBodiesGetNoDeadlineAndTheLogSaysSoOnce() {
    timer.stop();

    Future<?> first = timer.deadline(0, () -> {});
    Future<?> second = timer.deadline(0, () -> {});

    assertTrue(first.isCancelled() && second.isCancelled());
    assertEquals(1, logged.size(), logged.toString());
    assertEquals(Level.INFO, logged.get(0).getLevel());
  }
}
