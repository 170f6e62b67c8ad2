package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.ManagedThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket the server closed lingers until its client ends its side or its deadline: the deadline
 * is a task on the connection timer's one thread, and it leaves the timer when the client is first.
 */
class LingeringSocketsTest {
  private final AtomicInteger threadsMade = new AtomicInteger();
  private final ConnectionTimer timer = new ConnectionTimer();
  private final LingeringSockets lingering = new LingeringSockets();

  LingeringSocketsTest() {
    // The container's managed thread factory, played by one that counts and names its threads.
    ThreadFactory counting =
        task -> {
          Thread thread = new Thread(task, "connection-timer-" + threadsMade.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    timer.threads = ManagedThreads.playedBy(counting);
    timer.start();
    lingering.timer = timer;
  }

  @AfterEach
  void stopTimer() {
    timer.stop();
  }

  @Test
  void manySocketsReachingTheirDeadlineAreEndedOnTheTimersOneThread() throws InterruptedException {
    int sockets = 500;
    CountDownLatch allEnded = new CountDownLatch(sockets);
    Set<String> endingThreads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < sockets; i++) {
      Runnable[] end = new Runnable[1];
      end[0] =
          () -> {
            endingThreads.add(Thread.currentThread().getName());
            lingering.ended(end[0]);
            allEnded.countDown();
          };
      lingering.lingering(end[0], 20);
    }

    assertTrue(allEnded.await(10, TimeUnit.SECONDS), "every socket ended at its deadline");
    assertEquals(Set.of("connection-timer-1"), endingThreads);
    assertEquals(1, threadsMade.get(), "no thread per socket");
    assertEquals(0, lingering.count());
  }

  @Test
  void aSocketWhoseClientEndsFirstLeavesNoDeadlineBehind() throws InterruptedException {
    AtomicInteger endsRun = new AtomicInteger();
    Runnable end = endsRun::incrementAndGet;
    lingering.lingering(end, 200);
    assertEquals(1, timer.pending());

    lingering.ended(end);

    assertEquals(0, timer.pending(), "the deadline left the timer");
    assertEquals(0, lingering.count());
    Thread.sleep(400);
    assertEquals(0, endsRun.get(), "the deadline never ran");
  }

  @Test
  void theEnginesStopEndsWhatStillLingers() {
    AtomicInteger endsRun = new AtomicInteger();
    lingering.lingering(endsRun::incrementAndGet, 60_000);
    lingering.lingering(endsRun::incrementAndGet, 60_000);

    assertEquals(2, lingering.endAll());
    assertEquals(2, endsRun.get());
  }
}
