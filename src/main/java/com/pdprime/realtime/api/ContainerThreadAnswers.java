package com.pdprime.realtime.api;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the answer to a suspended REST request on a container thread, whichever thread produced
 * it: on the worker that suspended it when the answer is ready within a few milliseconds (the usual
 * case) or before the worker has left this filter, else on a dispatch started only once the request
 * has returned to the container.
 *
 * <p>Why not resume the JAX-RS response where the answer is ready (the publish committer's thread):
 * on Payara, an async request completed on a thread of our own was answered HTTP 200 instead of its
 * 201, with the right body and headers, about once in 300,000 publishes. A servlet alone shows the
 * same (bench/RESULTS.md, "First stop of 2026-12-04"; bench/repro/async-complete). So a late answer
 * is left on the request and dispatched; this filter, on the async dispatch, runs the answer on the
 * dispatch's container thread, where JAX-RS resumes its response and completes the request, and the
 * request does not enter JAX-RS a second time.
 *
 * <p>Why only once the worker has returned the request to the container: a {@link
 * AsyncContext#dispatch()} made by another thread while the worker that suspended the request is
 * still in it is held by Payara until the worker's exit, and the exit runs it only if it finds it
 * there; a dispatch that is being made while the worker exits is never run, and the client waits
 * forever: 4 of 716,836 and 2 of 698,782 answers in floods on Payara alone (bench/RESULTS.md,
 * "Sixth stop of 2026-12-04"). So this filter also wraps each request: an answer ready before the
 * worker has left the filter chain is written by the worker as it leaves; one ready after is
 * dispatched once the container says the request has returned to it ({@link
 * AsyncContext#setTimeout} then throws, as the Servlet specification requires) and a margin has
 * passed since it was first seen to say so. A margin counted from the worker leaving this filter
 * instead lost the answer whenever the container's own code after the filter outlasted it while the
 * dispatch was slowed half made: 11 of 13 under a debugger, and both happen on a cold JVM
 * (bench/RESULTS.md, "Ninth stop of 2026-12-05").
 */
@WebFilter(
    urlPatterns = "/api/*",
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC},
    asyncSupported = true)
public class ContainerThreadAnswers extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(ContainerThreadAnswers.class.getName());
  private static final String ANSWER = ContainerThreadAnswers.class.getName() + ".answer";
  private static final String HANDOFF = ContainerThreadAnswers.class.getName() + ".handoff";

  /**
   * How long the worker that suspended a request waits for its result before it leaves the answer
   * to a dispatch. A group commit answers in a few milliseconds; answered on the worker, the
   * container reuses the worker's request objects, where a dispatch ends the request on Payara's
   * async thread and the worker's next request is built anew (nearly a fifth of all allocation at
   * 1,000 publishes a second, bench/RESULTS.md, "Fifth stop of 2026-12-04"). A stalled database
   * holds a worker this long per publish, then frees it.
   */
  static final long WORKER_WAIT_MILLIS = 20;

  @Inject RequestTimer requestTimer;

  /**
   * Answers a suspended request with {@code answer} (which resumes its JAX-RS response) once {@code
   * result} is complete: on the calling worker if it completes within {@link #WORKER_WAIT_MILLIS},
   * else on the worker as it leaves this filter, or on the dispatch's container thread if it
   * completes after that. Call it once per suspended request, from the worker that suspended it.
   * {@code what} names the answer in the log if the request has already ended (its client gone, or
   * the server stopping) and nothing can be written.
   */
  public static <T> void answerWhenDone(
      AsyncContext async, CompletionStage<T> result, BiConsumer<T, Throwable> answer, String what) {
    CompletableFuture<T> done = result.toCompletableFuture();
    try {
      T value = done.get(WORKER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      answer.accept(value, null);
      return;
    } catch (ExecutionException failed) {
      answer.accept(null, failed.getCause());
      return;
    } catch (TimeoutException notYet) {
      // The hand-off below answers it.
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    }
    Handoff handoff = new Handoff(async, what);
    async.getRequest().setAttribute(HANDOFF, handoff);
    done.whenComplete((value, failed) -> handoff.answerReady(() -> answer.accept(value, failed)));
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      try {
        chain.doFilter(request, response);
      } finally {
        if (request.getAttribute(HANDOFF) instanceof Handoff handoff) {
          handoff.workerLeft(requestTimer);
        }
      }
      return;
    }
    if (!(request.getAttribute(ANSWER) instanceof Runnable answer)) {
      chain.doFilter(request, response);
      return;
    }
    request.removeAttribute(ANSWER);
    if (!request.isAsyncStarted()) {
      // A dispatched request is no longer asynchronous (on Payara and WildFly alike), and the
      // resumed response is completed as an async one: RESTEasy (WildFly) looks the request's
      // current async context up to complete it, so without a new one the resume fails.
      request.startAsync(request, response);
    }
    answer.run();
  }

  /**
   * One late answer's meeting with the worker that suspended its request: whichever comes second
   * writes it, the worker as it leaves the filter chain, or a dispatch once the request has
   * returned to the container.
   */
  static final class Handoff {
    /**
     * How long after the container was first seen to say the request has returned to it a dispatch
     * may start, and how often a late answer asks until it says so. Payara says so at the start of
     * the worker's exit and looks for a held dispatch a few calls later; a dispatch made between
     * the two is never run. Microseconds, unless the worker is descheduled there.
     */
    static final long DISPATCH_MARGIN_MILLIS = 1;

    /** Runs a task after a delay, on a thread that is neither the worker's nor the committer's. */
    @FunctionalInterface
    public interface Later {
      void run(long millis, Runnable task);
    }

    private static final Object WORKER_LEFT = new Object();

    private final AtomicReference<Object> state = new AtomicReference<>();
    private final AsyncContext async;
    private final String what;

    /** Written by the worker before it publishes {@code WORKER_LEFT}, read only after that. */
    private Later later;

    Handoff(AsyncContext async, String what) {
      this.async = async;
      this.what = what;
    }

    void answerReady(Runnable answer) {
      if (state.compareAndSet(null, answer)) {
        return; // the worker is still in the request and writes it as it leaves
      }
      dispatchOnceReturned(answer);
    }

    void workerLeft(Later later) {
      this.later = later;
      if (state.getAndSet(WORKER_LEFT) instanceof Runnable answer) {
        answer.run();
      }
    }

    /**
     * Waits on the timer, not here: the caller is the thread that completed the result, the group
     * commit's committer for a publish.
     */
    private void dispatchOnceReturned(Runnable answer) {
      if (returnedToContainer()) {
        later.run(DISPATCH_MARGIN_MILLIS, () -> dispatch(answer));
      } else {
        later.run(DISPATCH_MARGIN_MILLIS, () -> dispatchOnceReturned(answer));
      }
    }

    /**
     * Whether the request has returned to the container: from then on the Servlet specification has
     * {@link AsyncContext#setTimeout} refused, and setting the timeout it already has changes
     * nothing before.
     */
    private boolean returnedToContainer() {
      try {
        async.setTimeout(async.getTimeout());
        return false;
      } catch (IllegalStateException returned) {
        return true;
      }
    }

    private void dispatch(Runnable answer) {
      try {
        async.getRequest().setAttribute(ANSWER, answer);
        async.dispatch();
      } catch (IllegalStateException ended) {
        LOG.log(
            Level.WARNING,
            "the answer to a REST request could not be written, the request had ended: {0} ({1})",
            new Object[] {what, ended.toString()});
      }
    }
  }
}
