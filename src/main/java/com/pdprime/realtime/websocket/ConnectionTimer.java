package com.pdprime.realtime.websocket;

import com.pdprime.realtime.scheduling.TimerThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer for per-connection deadlines: the close at the token's expiry and Tyrus's idle
 * timer ({@link TyrusIdleTimer}). A plain one-thread {@link ScheduledThreadPoolExecutor} on the
 * container's {@link ManagedThreadFactory}, so its tasks run with the application's context.
 *
 * <p>Why not the container's {@code ManagedScheduledExecutorService}: a task cancelled there stays
 * in its queue until its delay runs out. A token-expiry close is cancelled when the connection
 * closes, hours before the token's {@code exp}, and its task holds the connection, and through the
 * session the whole Tyrus and Grizzly state of the socket and its upgrade request: about 35 KB per
 * closed connection kept for the token's lifetime (issue 12). Here a cancelled task leaves the
 * queue at once ({@link TimerThreads#one}).
 */
@ApplicationScoped
public class ConnectionTimer {
  @Resource ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor timer;

  @PostConstruct
  void start() {
    timer = TimerThreads.one(threads);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** The executor itself, for the container code that schedules on it (Tyrus's idle timer). */
  ScheduledExecutorService executor() {
    return timer;
  }

  /** Deadlines still waiting; a closed connection leaves none behind. */
  int pending() {
    return timer.getQueue().size();
  }
}
