package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection that must not notice an abuse test: subscribed to its own room, into which a thread
 * publishes over REST for as long as it is open; at the end it must have received every event, each
 * seq after the one before.
 */
final class Bystander implements AutoCloseable {
  private final String room;
  private final TestClient client;
  private final AtomicBoolean publishing = new AtomicBoolean(true);
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicInteger sentAgain = new AtomicInteger();
  private final List<Exception> failures = new ArrayList<>();
  private final Thread publisher;

  Bystander(URL base, String subject) throws Exception {
    room = "user:" + subject;
    // A test before may have filled the server's caps.
    client = Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)));
    client.subscribe(room);
    publisher =
        new Thread(
            () -> {
              try {
                while (publishing.get()) {
                  Api.Answer answer =
                      Api.publish(base, room, "note.created", "{\"n\":" + published.get() + "}");
                  if (timedOut(answer)) {
                    // The database held the publish past the statement timeout (a test locked
                    // it); the answer's action is to publish it again.
                    sentAgain.incrementAndGet();
                    continue;
                  }
                  if (isQueueFull(answer)) {
                    // A flood test filled the publish queue; a client tries again after the delay.
                    Thread.sleep(
                        1000L
                            * Long.parseLong(
                                answer.headers().firstValue("Retry-After").orElseThrow()));
                    continue;
                  }
                  if (answer.status() != 201) {
                    throw new IllegalStateException("publish answered " + answer);
                  }
                  published.incrementAndGet();
                }
              } catch (Exception e) {
                synchronized (failures) {
                  failures.add(e);
                }
              }
            });
    publisher.start();
  }

  private static boolean timedOut(Api.Answer answer) {
    return answer.status() == 503
        && answer.body() != null
        && "PUBLISH_NOT_STORED".equals(answer.body().getString("code", ""))
        && answer.body().getString("message", "").contains("statement timeout");
  }

  /** Publishes refused because the database did not answer within the statement timeout. */
  int publishesSentAgain() {
    return sentAgain.get();
  }

  private static boolean isQueueFull(Api.Answer answer) {
    return answer.status() == 503
        && answer.body() != null
        && "PUBLISH_QUEUE_FULL".equals(answer.body().getString("code", ""));
  }

  /** Stops publishing and asserts every published event arrived, in seq order, none missing. */
  void receivedEveryEventInOrder() throws Exception {
    stopPublishing();
    synchronized (failures) {
      assertEquals(List.of(), failures);
    }
    assertTrue(published.get() > 0, "events were published meanwhile");
    List<JsonObject> events = client.events(room, published.get());
    long first = events.get(0).getJsonNumber("seq").longValue();
    for (int i = 0; i < events.size(); i++) {
      assertEquals(first + i, events.get(i).getJsonNumber("seq").longValue(), "seq in order");
    }
  }

  private void stopPublishing() throws InterruptedException {
    publishing.set(false);
    publisher.join();
  }

  @Override
  public void close() throws Exception {
    stopPublishing();
    client.close();
  }
}
