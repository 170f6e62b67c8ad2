package com.pdprime.realtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.CapturedLog;
import com.pdprime.realtime.testing.ManagedThreads;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A late answer that cannot be written is said in the log, never dropped without a word. */
class DispatchTimerTest {
  private final DispatchTimer timer = new DispatchTimer();
  private CapturedLog captured;
  private List<LogRecord> logged;

  @BeforeEach
  void start() {
    timer.threads = ManagedThreads.playedBy(task -> new Thread(task, "dispatch-timer-test"));
    timer.start();
    captured = CapturedLog.of(DispatchTimer.class);
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
}
