package com.pdprime.realtime.api;

import com.pdprime.realtime.scheduling.TimerThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread on which REST requests' timers run: the deadline of every JSON body ({@link
 * BodyDeadlines}) and late answers waiting for their request's return to the container before they
 * are dispatched ({@link ContainerThreadAnswers}). One thread of the container's managed thread
 * factory, whose tasks take microseconds. Not {@code scheduling/Timers}, whose one thread runs the
 * journal's and presence's database flushes, tens of milliseconds each under load and up to the
 * statement timeout while the database does not answer, behind which a deadline or a late answer
 * would wait; not the container's managed scheduled executor, which sets up a context for every
 * task (docs/architecture.md, Tyrus's idle timer).
 */
@ApplicationScoped
public class RequestTimer implements ContainerThreadAnswers.Handoff.Later {
  private static final Logger LOG = Logger.getLogger(RequestTimer.class.getName());

  /** What a deadline asked for after the stop gets: one that never passes. */
  private static final Future<?> NO_DEADLINE =
      CompletableFuture.failedFuture(new CancellationException("the application is stopping"));

  @Resource ManagedThreadFactory threads;

  ScheduledThreadPoolExecutor timer;
  private final AtomicBoolean saidNoDeadlines = new AtomicBoolean();

  @PostConstruct
  void start() {
    // Every REST body schedules a deadline and nearly every one is cancelled within milliseconds:
    // left in the queue until due, 10 s of them at 1,000 publishes a second would be 10,000 tasks.
    timer = TimerThreads.one(threads);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /**
   * Runs the task after {@code millis}. A task that throws is logged: the executor would keep the
   * failure in a future nobody reads, and the request would wait unanswered without a word.
   */
  @Override
  public void run(long millis, Runnable task) {
    try {
      schedule(millis, task, "a late REST answer failed and is not written");
    } catch (RejectedExecutionException stopping) {
      LOG.log(
          Level.WARNING,
          "a late REST answer is not written, the application is stopping ({0})",
          stopping.toString());
    }
  }

  /**
   * Runs the task after {@code millis} unless the returned future is cancelled first. Once the
   * application stops, a deadline is never run: said once, since every body read from then on gets
   * none (the listener's read timeout, where there is one, still ends a read that waits).
   */
  public Future<?> deadline(long millis, Runnable task) {
    try {
      return schedule(millis, task, "a REST body's deadline failed; the body is read without one");
    } catch (RejectedExecutionException stopping) {
      if (saidNoDeadlines.compareAndSet(false, true)) {
        LOG.info("REST bodies read from now on have no deadline: the application is stopping");
      }
      return NO_DEADLINE;
    }
  }

  /** Schedules the task; one that throws is logged with {@code failure}, never dropped unsaid. */
  private Future<?> schedule(long millis, Runnable task, String failure) {
    return timer.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException failed) {
            LOG.log(Level.SEVERE, failure, failed);
          }
        },
        millis,
        TimeUnit.MILLISECONDS);
  }
}
