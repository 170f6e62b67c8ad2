package com.pdprime.realtime.websocket;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor Tyrus's idle timers get ({@link TyrusIdleTimer}): the connection timer, except that
 * a task scheduled with no delay runs at once in the scheduling thread.
 *
 * <p>Why: Tyrus restarts a session's idle timer on every frame sent or received, scheduling its
 * idle command with the session's idle timeout as the delay. The engine turns Tyrus's idle timeout
 * off (0: its own heartbeat finds dead sockets), so every frame scheduled a command that does
 * nothing, to run at once: a queue insertion, a wake-up of the timer thread and a removal per
 * frame, 8.6 % of the writer threads' samples while one event went to 10,000 sockets
 * (bench/RESULTS.md, "Where a broadcast's time goes"). Run in place, the command only reads the
 * timeout and returns. A session given a real timeout still gets a real timer.
 */
final class IdleTimerExecutor extends AbstractExecutorService implements ScheduledExecutorService {
  private static final ScheduledFuture<?> RAN_IN_PLACE = new RanInPlace();

  private final ScheduledExecutorService timer;

  IdleTimerExecutor(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (delay > 0) {
      return timer.schedule(command, delay, unit);
    }
    command.run();
    return RAN_IN_PLACE;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return timer.schedule(callable, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return timer.scheduleAtFixedRate(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return timer.scheduleWithFixedDelay(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    timer.execute(command);
  }

  /** The connection timer belongs to the engine; Tyrus does not stop it. */
  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("the connection timer stops with the engine");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("the connection timer stops with the engine");
  }

  @Override
  public boolean isShutdown() {
    return timer.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return timer.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return timer.awaitTermination(timeout, unit);
  }

  /** A task that has already run: nothing to wait for, nothing to cancel. */
  private static final class RanInPlace implements ScheduledFuture<Object> {
    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
