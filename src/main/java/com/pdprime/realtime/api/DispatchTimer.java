package com.pdprime.realtime.api;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread on which late REST answers wait for their request's return to the container and are
 * dispatched ({@link ContainerThreadAnswers}): one thread of the container's managed thread
 * factory. Not {@code scheduling/Timers}, whose one thread runs the journal's and presence's
 * database flushes, tens of milliseconds each under load, which a late answer would wait behind;
 * not the container's managed scheduled executor, which sets up a context for every task
 * (docs/architecture.md, Tyrus's idle timer).
 */
@ApplicationScoped
public class DispatchTimer implements ContainerThreadAnswers.Handoff.Later {
  private static final Logger LOG = Logger.getLogger(DispatchTimer.class.getName());

  @Resource ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor timer;

  @PostConstruct
  void start() {
    timer = new ScheduledThreadPoolExecutor(1, threads);
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
      timer.schedule(() -> logFailure(task), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      LOG.log(
          Level.WARNING,
          "a late REST answer is not written, the application is stopping ({0})",
          stopping.toString());
    }
  }

  private static void logFailure(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException failed) {
      LOG.log(Level.SEVERE, "a late REST answer failed and is not written", failed);
    }
  }
}
