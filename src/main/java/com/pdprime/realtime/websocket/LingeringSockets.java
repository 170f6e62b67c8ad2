package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The sockets the server has closed while their clients' side is still open: each lingers until the
 * client ends its side or for at most 2 s ({@link FrameCheckingUpgradeHandler}). The engine's stop
 * waits for them and ends what is left itself, while the container still stands: a socket still
 * lingering when Payara stopped its network threads was ended from a thread the container had
 * interrupted, and Payara logged SEVERE for the servlet container's clean-up of that connection.
 *
 * <p>Each socket's deadline is a task on the {@link ConnectionTimer}, cancelled when the client
 * ends its side first. {@code CompletableFuture.delayedExecutor}, used before, starts a new thread
 * for every task on a machine of two cores (the common pool has one thread there, too few for
 * {@code CompletableFuture}): 826 threads in 55 s while an overloaded server closed 2,000 silent
 * sockets (bench/RESULTS.md, "Fifth stop of 2026-12-02").
 */
@ApplicationScoped
public class LingeringSockets {
  @Inject ConnectionTimer timer;

  private final Map<Runnable, Future<?>> ends = new ConcurrentHashMap<>();

  /**
   * A socket starts to linger; {@code end} ends it, at the latest {@code maxMillis} from now, and
   * is also what {@link #ended} takes.
   */
  void lingering(Runnable end, long maxMillis) {
    Future<?> deadline = timer.schedule(end, maxMillis);
    ends.put(end, deadline);
    if (deadline.isDone()) {
      // The deadline passed before it was recorded: its end has already called ended().
      ends.remove(end, deadline);
    }
  }

  /** The socket has ended; its deadline, if still to come, is cancelled. */
  void ended(Runnable end) {
    Future<?> deadline = ends.remove(end);
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  int count() {
    return ends.size();
  }

  /** Ends every socket still lingering; returns how many there were. */
  int endAll() {
    List<Runnable> left = List.copyOf(ends.keySet());
    left.forEach(Runnable::run);
    return left.size();
  }
}
