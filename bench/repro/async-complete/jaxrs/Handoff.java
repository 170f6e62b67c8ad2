package repro2;

import jakarta.servlet.AsyncContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One answer's meeting with the worker that suspended its request: whichever comes second writes
 * it, the worker as it leaves the filter chain (the answer was ready first), or a dispatch (the
 * worker had left), started no sooner than 1 ms after the worker left, so that dispatch() does not
 * run while the worker is still in the container's code between the filter chain and the end of
 * the request.
 */
public final class Handoff {
  static final String ATTRIBUTE = "repro2.handoff";
  private static final Object LEFT = new Object();
  private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private final AtomicReference<Object> state = new AtomicReference<>();
  private final AsyncContext async;
  private volatile long leftAt;

  Handoff(AsyncContext async) { this.async = async; }

  /** Called by the answerer. */
  void answerReady(Runnable answer) {
    if (state.compareAndSet(null, answer)) {
      return; // the worker is still inside: it runs the answer as it leaves
    }
    long wait = leftAt + MARGIN_NANOS - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
    async.getRequest().setAttribute(Publish.RESUME, answer);
    async.dispatch();
  }

  /** Called by the worker after the filter chain returned. */
  void workerLeft() {
    leftAt = System.nanoTime();
    if (state.getAndSet(LEFT) instanceof Runnable answer) {
      answer.run();
    }
  }
}
