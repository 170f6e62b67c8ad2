package com.pdprime.realtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of a late answer: never a dispatch before the request has returned to the container,
 * and exactly one writer.
 */
class ContainerThreadAnswersTest {
  private final ScheduledThreadPoolExecutor dispatcher = new ScheduledThreadPoolExecutor(1);
  private final ContainerThreadAnswers.Handoff.Later later =
      (millis, task) -> dispatcher.schedule(task, millis, TimeUnit.MILLISECONDS);

  @AfterEach
  void stopDispatcher() {
    dispatcher.shutdownNow();
  }

  /**
   * An async context that records its dispatches and when they came, and refuses a new timeout once
   * the test has returned its request to the container; a request with attributes.
   */
  private static final class Recorded {
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    final List<Long> dispatchedAtNanos = new CopyOnWriteArrayList<>();
    final CountDownLatch dispatched = new CountDownLatch(1);
    volatile boolean ended;
    volatile long returnedAtNanos;

    AsyncContext async() {
      ServletRequest request =
          (ServletRequest)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {ServletRequest.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        default -> throw new UnsupportedOperationException(method.getName());
                      });
      return (AsyncContext)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {AsyncContext.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getRequest" -> request;
                    case "getTimeout" -> 0L;
                    case "setTimeout" -> {
                      if (returnedAtNanos != 0) {
                        throw new IllegalStateException("the request has returned");
                      }
                      yield null;
                    }
                    case "dispatch" -> {
                      if (ended) {
                        throw new IllegalStateException("the request has ended");
                      }
                      dispatchedAtNanos.add(System.nanoTime());
                      dispatched.countDown();
                      yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }

    void returnToContainer() {
      returnedAtNanos = System.nanoTime();
    }

    Object answerOnTheRequest() {
      return attributes.values().stream()
          .filter(Runnable.class::isInstance)
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void anAnswerReadyWhileTheWorkerIsInTheRequestIsWrittenByTheWorkerAsItLeaves() {
    Recorded recorded = new Recorded();
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    List<String> writtenBy = new CopyOnWriteArrayList<>();

    handoff.answerReady(() -> writtenBy.add(Thread.currentThread().getName()));
    assertTrue(writtenBy.isEmpty(), "not written before the worker leaves");

    handoff.workerLeft(later);
    assertEquals(List.of(Thread.currentThread().getName()), writtenBy);
    assertTrue(recorded.dispatchedAtNanos.isEmpty(), "no dispatch");
    assertNull(recorded.answerOnTheRequest());
  }

  @Test
  void anAnswerReadyAfterTheWorkerLeftIsDispatchedOnceAMarginAfterTheRequestReturned()
      throws Exception {
    Recorded recorded = new Recorded();
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    List<String> written = new CopyOnWriteArrayList<>();
    Runnable answer = () -> written.add("answer");

    handoff.workerLeft(later);
    handoff.answerReady(answer);
    assertFalse(
        recorded.dispatched.await(50, TimeUnit.MILLISECONDS),
        "dispatched while the worker was still in the container's code after the filter chain");

    recorded.returnToContainer();
    assertTrue(recorded.dispatched.await(5, TimeUnit.SECONDS), "never dispatched");
    assertTrue(
        recorded.dispatchedAtNanos.get(0) - recorded.returnedAtNanos
            >= TimeUnit.MILLISECONDS.toNanos(ContainerThreadAnswers.Handoff.DISPATCH_MARGIN_MILLIS),
        "dispatched "
            + (recorded.dispatchedAtNanos.get(0) - recorded.returnedAtNanos)
            + " ns after the request returned, under the margin");
    Thread.sleep(20);
    assertEquals(1, recorded.dispatchedAtNanos.size(), "one dispatch");
    assertSame(answer, recorded.answerOnTheRequest(), "the dispatch finds the answer");
    assertTrue(written.isEmpty(), "the dispatch's filter writes it, not the committer");
  }

  @Test
  void anAnswerReadyLongAfterTheRequestReturnedStillWaitsTheMargin() throws Exception {
    Recorded recorded = new Recorded();
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    handoff.workerLeft(later);
    recorded.returnToContainer();
    Thread.sleep(20);

    long ready = System.nanoTime();
    handoff.answerReady(() -> {});
    assertTrue(recorded.dispatched.await(5, TimeUnit.SECONDS), "never dispatched");
    assertTrue(
        recorded.dispatchedAtNanos.get(0) - ready
            >= TimeUnit.MILLISECONDS.toNanos(ContainerThreadAnswers.Handoff.DISPATCH_MARGIN_MILLIS),
        "the return was first seen when the answer was ready, the margin counts from there");
  }

  @Test
  void aRequestThatHasEndedIsLoggedNotThrownAtTheDispatcher() throws Exception {
    Recorded recorded = new Recorded();
    recorded.ended = true;
    recorded.returnToContainer();
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    handoff.workerLeft(later);

    handoff.answerReady(() -> {});
    dispatcher.shutdown();
    assertTrue(dispatcher.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(recorded.dispatchedAtNanos.isEmpty());
    assertEquals(1, dispatcher.getCompletedTaskCount(), "the dispatch ran and returned");
  }
}
