package com.pdprime.realtime.websocket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The timer for per-connection deadlines: the close at the token's expiry, a closed socket's
 * lingering ({@link LingeringSockets}) and Tyrus's idle timer ({@link TyrusIdleTimer}). Plain
 * one-thread {@link ScheduledThreadPoolExecutor}s on the container's {@link ManagedThreadFactory},
 * so their tasks run with the application's context.
 *
 * <p>Why not the container's {@code ManagedScheduledExecutorService}: a task cancelled there stays
 * in its queue until its delay runs out. A token-expiry close is cancelled when the connection
 * closes, hours before the token's {@code exp}, and its task holds the connection, and through the
 * session the whole Tyrus and Grizzly state of the socket and its upgrade request: about 35 KB per
 * closed connection kept for the token's lifetime (issue 12). Here a cancelled task leaves the
 * queue at once ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}).
 *
 * <p>Why {@value #SHARDS} executors, each task on one picked at random: every open schedules and
 * every close cancels under the executor's one queue lock, and in a reconnect storm the HTTP
 * workers queued for it: 241 s parked in a recording of four storms on PostgreSQL, with the header
 * deadline filter's timer, which had the same shape (bench/RESULTS.md, "Fourth stop of
 * 2026-12-04"). A task is cancelled through its own future, so it needs no record of its executor.
 */
@ApplicationScoped
public class ConnectionTimer {
  static final int SHARDS = 4;

  @Resource ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor[] shards;

  @PostConstruct
  void start() {
    shards = new ScheduledThreadPoolExecutor[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      shards[i] = new ScheduledThreadPoolExecutor(1, threads);
      shards[i].setRemoveOnCancelPolicy(true);
    }
  }

  @PreDestroy
  void stop() {
    Arrays.stream(shards).forEach(ScheduledThreadPoolExecutor::shutdownNow);
  }

  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    return any().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * One of the executors, for the container code that schedules on it (Tyrus's idle timer, whose
   * tasks the engine runs in place unless a session has an idle timeout of its own).
   */
  ScheduledExecutorService executor() {
    return any();
  }

  /** Deadlines still waiting; a closed connection leaves none behind. */
  int pending() {
    return Arrays.stream(shards).mapToInt(shard -> shard.getQueue().size()).sum();
  }

  private ScheduledThreadPoolExecutor any() {
    return shards[ThreadLocalRandom.current().nextInt(SHARDS)];
  }
}
