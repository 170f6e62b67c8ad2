package com.pdprime.realtime.scheduling;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/** How every timer of the application is made. */
public final class TimerThreads {
  private TimerThreads() {}

  /**
   * A timer of one thread, made by {@code threads} (the container's managed thread factory, so the
   * thread runs with the application's context), from whose queue a cancelled task leaves at once.
   * Most tasks here are deadlines cancelled long before they are due (a connection's token expiry,
   * a REST body's deadline): left in the queue until due, they would hold what they refer to until
   * then.
   */
  public static ScheduledThreadPoolExecutor one(ThreadFactory threads) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
