package com.pdprime.realtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of a late answer: never a dispatch while the worker is still in the request, and
 * exactly one writer.
 */
class ContainerThreadAnswersTest {

  /** An async context that records its dispatches and when they came; a request with attributes. */
  private static final class Recorded {
    final Map<String, Object> attributes = new HashMap<>();
    final List<Long> dispatchedAtNanos = new CopyOnWriteArrayList<>();
    boolean ended;

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
                    case "dispatch" -> {
                      if (ended) {
                        throw new IllegalStateException("the request has ended");
                      }
                      dispatchedAtNanos.add(System.nanoTime());
                      yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
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

    handoff.workerLeft();
    assertEquals(List.of(Thread.currentThread().getName()), writtenBy);
    assertTrue(recorded.dispatchedAtNanos.isEmpty(), "no dispatch");
    assertNull(recorded.answerOnTheRequest());
  }

  @Test
  void anAnswerReadyAfterTheWorkerLeftIsDispatchedOnceAndNotBeforeTheMargin() throws Exception {
    Recorded recorded = new Recorded();
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    List<String> written = new CopyOnWriteArrayList<>();
    Runnable answer = () -> written.add("answer");

    long left = System.nanoTime();
    handoff.workerLeft();
    Thread committer = new Thread(() -> handoff.answerReady(answer), "committer");
    committer.start();
    committer.join();

    assertEquals(1, recorded.dispatchedAtNanos.size(), "one dispatch");
    assertTrue(
        recorded.dispatchedAtNanos.get(0) - left
            >= ContainerThreadAnswers.Handoff.DISPATCH_MARGIN_NANOS,
        "dispatched "
            + (recorded.dispatchedAtNanos.get(0) - left)
            + " ns after the worker left, under the margin");
    assertSame(answer, recorded.answerOnTheRequest(), "the dispatch finds the answer");
    assertTrue(written.isEmpty(), "the dispatch's filter writes it, not the committer");
  }

  @Test
  void aRequestThatHasEndedIsLoggedNotThrownAtTheCommitter() {
    Recorded recorded = new Recorded();
    recorded.ended = true;
    ContainerThreadAnswers.Handoff handoff =
        new ContainerThreadAnswers.Handoff(recorded.async(), "a publish");
    handoff.workerLeft();

    handoff.answerReady(() -> {});
    assertTrue(recorded.dispatchedAtNanos.isEmpty());
  }
}
