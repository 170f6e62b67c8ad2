package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleTimerExecutorTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private final ScheduledExecutorService idleTimers = new IdleTimerExecutor(timer);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void aTaskWithNoDelayRunsInTheSchedulingThreadAndNeverReachesTheTimer() {
    Thread[] ranOn = new Thread[1];
    Runnable idleCommand = () -> ranOn[0] = Thread.currentThread();
    ScheduledFuture<?> future = idleTimers.schedule(idleCommand, 0, TimeUnit.MILLISECONDS);
    assertSame(Thread.currentThread(), ranOn[0]);
    assertTrue(future.isDone());
    assertFalse(future.cancel(true), "a task that has run cannot be cancelled");
    assertEquals(0, timer.getCompletedTaskCount() + timer.getQueue().size());
  }

  @Test
  void aTaskWithADelayIsLeftToTheTimerThread() throws Exception {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    Runnable idleCommand = () -> ranOn.complete(Thread.currentThread());
    ScheduledFuture<?> later = idleTimers.schedule(idleCommand, 1, TimeUnit.HOURS);
    assertFalse(later.isDone());
    assertEquals(1, timer.getQueue().size());
    assertFalse(ranOn.isDone());
    assertTrue(later.cancel(false));

    idleTimers.schedule(idleCommand, 1, TimeUnit.MILLISECONDS);
    assertNotSame(Thread.currentThread(), ranOn.get(5, TimeUnit.SECONDS));
  }

  @Test
  void tyrusCannotStopTheEnginesTimer() {
    assertThrows(UnsupportedOperationException.class, idleTimers::shutdown);
    assertThrows(UnsupportedOperationException.class, idleTimers::shutdownNow);
    assertFalse(timer.isShutdown());
  }
}
