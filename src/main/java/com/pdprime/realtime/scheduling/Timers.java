package com.pdprime.realtime.scheduling;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every timer of the application, on one thread of the container's managed thread factory, and the
 * one place that stops them all: the engine's stop calls {@link #stop()} after its last flushes.
 *
 * <p>Why not each bean's {@code @PreDestroy}: Payara Micro stops a WAR on SIGTERM without
 * destroying its singletons (payara/Payara#4573), so a timer cancelled only there went on firing,
 * and a run that began after Payara had stopped its services failed in the scheduler's context
 * set-up ({@code SEVERE … RequestTracingService was started at level 0}, in about one README run in
 * eight). After the stop nothing is scheduled any more: a request for a timer then is logged and
 * answered with a cancelled one.
 *
 * <p>Why not the container's managed scheduled executor, which these timers used until 2026-12-02:
 * a task cancelled there stays in its queue until it is due, and when it is due the executor sets
 * up its context before it sees the cancellation. A cancelled timer due in the second after the
 * stop did that after Payara had stopped its services, and Payara logged the same SEVERE (a CI run
 * of 2 Dec 2026, three timers). Here a cancelled timer leaves the queue at once, the stop shuts the
 * executor down, and the thread, made by the container's factory, runs with the application's
 * context as the managed executor's did. One thread, as Payara's default managed scheduler has
 * ({@code core-pool-size="0"}).
 */
@ApplicationScoped
public class Timers {
  private static final Logger LOG = Logger.getLogger(Timers.class.getName());

  @Resource ManagedThreadFactory threads;

  ScheduledThreadPoolExecutor scheduler;

  /** What a request after the stop gets: a timer that is cancelled and never runs. */
  private static final Future<?> NOT_SCHEDULED =
      CompletableFuture.failedFuture(new CancellationException("the application is stopping"));

  private final Set<Future<?>> live = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stopped = new AtomicBoolean();

  @PostConstruct
  void start() {
    scheduler = TimerThreads.one(threads);
  }

  /**
   * Runs the task every {@code millis} after the previous run ended. A run that throws is logged
   * and the next one still comes: the scheduler would otherwise drop the task without a word.
   */
  public Future<?> every(String name, long millis, Runnable task) {
    Runnable run = guarded(name, "it runs again in " + millis + " ms", task);
    return schedule(
        name, () -> scheduler.scheduleWithFixedDelay(run, millis, millis, TimeUnit.MILLISECONDS));
  }

  /** Runs the task once, {@code millis} from now (0: as soon as the thread is free). */
  public Future<?> once(String name, long millis, Runnable task) {
    Runnable run = guarded(name, "it does not run again", task);
    return schedule(name, () -> scheduler.schedule(run, millis, TimeUnit.MILLISECONDS));
  }

  /**
   * Cancels every timer and shuts the thread down; a run under way finishes. Called by the engine
   * as it stops, and by the container where it destroys this bean; the second call does nothing.
   */
  @PreDestroy
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    live.removeIf(Future::isDone);
    int cancelled = live.size();
    live.forEach(timer -> timer.cancel(false));
    live.clear();
    scheduler.shutdown();
    LOG.info("stopped " + cancelled + " timers");
  }

  private Future<?> schedule(String name, Supplier<ScheduledFuture<?>> scheduling) {
    if (stopped.get()) {
      return notScheduled(name);
    }
    ScheduledFuture<?> timer;
    try {
      timer = scheduling.get();
    } catch (RejectedExecutionException e) {
      if (stopped.get()) {
        // The stop came between the check above and this request.
        return notScheduled(name);
      }
      throw e;
    }
    // One-shot timers are done after their run; dropping them here keeps the set as small as the
    // number of timers still to fire.
    live.removeIf(Future::isDone);
    live.add(timer);
    if (stopped.get()) {
      timer.cancel(false);
    }
    return timer;
  }

  private static Future<?> notScheduled(String name) {
    LOG.info(name + " not scheduled: the application is stopping");
    return NOT_SCHEDULED;
  }

  private static Runnable guarded(String name, String next, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, name + " failed; " + next, e);
      }
    };
  }
}
