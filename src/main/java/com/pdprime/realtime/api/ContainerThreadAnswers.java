package com.pdprime.realtime.api;

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
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the answer to a suspended REST request on a container thread, whichever thread produced
 * it: on the worker that suspended it when the answer is ready within a few milliseconds (the usual
 * case), else on a dispatch.
 *
 * <p>Why not resume the JAX-RS response where the answer is ready (the publish committer's thread):
 * on Payara, an async request completed on a thread of our own was answered HTTP 200 instead of its
 * 201, with the right body and headers, about once in 300,000 publishes. A servlet alone shows the
 * same, and it did not happen in 2.37 million answers handed back through {@link
 * AsyncContext#dispatch()}, which the container runs only once the worker that suspended the
 * request has left it (bench/RESULTS.md, "First stop of 2026-12-04"; bench/repro/async-complete).
 * So a late answer is left on the request and dispatched; this filter, mapped to async dispatches
 * only, runs the answer on the dispatch's container thread, where JAX-RS resumes its response and
 * completes the request, and the request does not enter JAX-RS a second time. Handed back this way,
 * every one of 2.1 million single publishes in two floods on Payara was answered 201
 * (bench/RESULTS.md, "Second stop of 2026-12-04").
 */
@WebFilter(urlPatterns = "/api/*", dispatcherTypes = DispatcherType.ASYNC, asyncSupported = true)
public class ContainerThreadAnswers extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(ContainerThreadAnswers.class.getName());
  private static final String ANSWER = ContainerThreadAnswers.class.getName() + ".answer";

  /**
   * How long the worker that suspended a request waits for its result before it leaves the answer
   * to a dispatch. A group commit answers in a few milliseconds; answered on the worker, the
   * container reuses the worker's request objects, where a dispatch ends the request on Payara's
   * async thread and the worker's next request is built anew (nearly a fifth of all allocation at
   * 1,000 publishes a second, bench/RESULTS.md, "Fifth stop of 2026-12-04"). A stalled database
   * holds a worker this long per publish, then frees it.
   */
  static final long WORKER_WAIT_MILLIS = 20;

  /**
   * Answers a suspended request with {@code answer} (which resumes its JAX-RS response) once {@code
   * result} is complete: on the calling worker if it completes within {@link #WORKER_WAIT_MILLIS},
   * else on the dispatch's container thread. Call it once per suspended request, from the worker
   * that suspended it. {@code what} names the answer in the log if the request has already ended
   * (its client gone, or the server stopping) and nothing can be written.
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
      // The dispatch below answers it.
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    }
    done.whenComplete((value, failed) -> dispatch(async, () -> answer.accept(value, failed), what));
  }

  private static void dispatch(AsyncContext async, Runnable answer, String what) {
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

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
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
}
