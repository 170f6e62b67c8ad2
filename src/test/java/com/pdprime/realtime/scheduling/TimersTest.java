package com.pdprime.realtime.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's timers stop together when the engine stops: nothing they hold runs afterwards,
 * and nothing is scheduled any more (on Payara Micro a run after the server's own stop fails).
 */
class TimersTest {
  private final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2);
  private final Timers timers = new Timers();

  TimersTest() {
    // A cancelled timer leaves the queue, so an empty queue shows every timer was cancelled.
    pool.setRemoveOnCancelPolicy(true);
    // The container's managed scheduler, played by a plain JDK one.
    timers.scheduler =
        (ManagedScheduledExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class},
                (proxy, method, args) -> {
                  try {
                    return method.invoke(pool, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }

  @Test
  void noTimerRunsAfterTheStop() throws Exception {
    AtomicInteger periodic = new AtomicInteger();
    AtomicInteger delayed = new AtomicInteger();
    CountDownLatch ticking = new CountDownLatch(3);
    timers.every(
        "ticker",
        5,
        () -> {
          periodic.incrementAndGet();
          ticking.countDown();
        });
    timers.once("later", 60_000, delayed::incrementAndGet);
    assertTrue(ticking.await(5, TimeUnit.SECONDS), "the periodic timer ran 3 times");

    timers.stop();
    int atStop = periodic.get();
    Thread.sleep(100);

    assertTrue(periodic.get() <= atStop + 1, "at most the run under way at the stop finished");
    assertEquals(0, delayed.get());
    assertEquals(0, pool.getQueue().size(), "no timer is left in the scheduler");
  }

  @Test
  void aTimerAskedForAfterTheStopIsCancelledAndNeverRuns() throws Exception {
    timers.stop();
    AtomicInteger runs = new AtomicInteger();

    Future<?> periodic = timers.every("late ticker", 1, runs::incrementAndGet);
    Future<?> once = timers.once("late task", 0, runs::incrementAndGet);
    Thread.sleep(50);

    assertTrue(periodic.isCancelled());
    assertTrue(once.isCancelled());
    assertEquals(0, runs.get());
    assertEquals(0, pool.getQueue().size());
  }

  @Test
  void aRunThatThrowsDoesNotEndItsTimer() throws Exception {
    CountDownLatch runs = new CountDownLatch(3);
    timers.every(
        "failing",
        5,
        () -> {
          runs.countDown();
          throw new IllegalStateException("the database is down");
        });

    assertTrue(runs.await(5, TimeUnit.SECONDS), "the timer ran again after a failed run");
  }
}
