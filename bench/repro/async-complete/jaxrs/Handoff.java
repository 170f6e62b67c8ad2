package repro2;

import jakarta.servlet.AsyncContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One answer's meeting with the worker that suspended its request: whichever comes second writes
 * it, the worker as it leaves the filter chain (the answer was ready first), or a dispatch (the
 * worker had left), so that dispatch() does not run while the worker is still in the container's
 * code between the filter chain and the end of the request. The dispatch starts either no sooner
 * than 1 ms after the worker left the filter chain ({@code awaitReturn} false: PD Prime until the
 * ninth stop of 2026-12-05), or 1 ms after the container was first seen to say the request has
 * returned to it: {@code AsyncContext.setTimeout} throws {@code IllegalStateException} from then on,
 * as the Servlet specification requires ({@code awaitReturn} true).
 */
public final class Handoff {
  static final String ATTRIBUTE = "repro2.handoff";
  private static final Object LEFT = new Object();
  private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private final AtomicReference<Object> state = new AtomicReference<>();
  private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  private final AsyncContext async;
  private final boolean awaitReturn;
  private volatile long leftAt;

  Handoff(AsyncContext async, boolean awaitReturn) {
    this.async = async;
    this.awaitReturn = awaitReturn;
  }

  /** Called by the answerer. */
  void answerReady(Runnable answer) {
    if (state.compareAndSet(null, answer)) {
      return; // the worker is still inside: it runs the answer as it leaves
    }
    if (awaitReturn) {
      while (!returnedToContainer()) {
        LockSupport.parkNanos(POLL_NANOS);
      }
      LockSupport.parkNanos(MARGIN_NANOS);
    } else {
      long wait = leftAt + MARGIN_NANOS - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    async.getRequest().setAttribute(Publish.RESUME, answer);
    async.dispatch();
  }

  private boolean returnedToContainer() {
    try {
      async.setTimeout(async.getTimeout());
      return false;
    } catch (IllegalStateException returned) {
      return true;
    }
  }

  /** Called by the worker after the filter chain returned. */
  void workerLeft() {
    leftAt = System.nanoTime();
    if (state.getAndSet(LEFT) instanceof Runnable answer) {
      answer.run();
    }
  }
}
