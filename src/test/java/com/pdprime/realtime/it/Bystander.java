package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved client beside abuse: subscribed to its own room while events are published into it
 * over REST without pause, it must end up with every one of them, in order and without a gap.
 */
final class Bystander implements AutoCloseable {
  private final TestClient client;
  private final String room;
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicBoolean publishing = new AtomicBoolean(true);
  private final List<Exception> publishFailures = new CopyOnWriteArrayList<>();
  private final Thread publisher;

  private Bystander(URL base, String subject) throws Exception {
    room = "user:" + subject;
    client = TestClient.connect(base, Tokens.valid(subject));
    client.subscribe(room);
    publisher = new Thread(() -> publish(base));
    publisher.start();
  }

  /** Connects as {@code subject}, subscribes to {@code user:subject} and starts publishing. */
  static Bystander watching(URL base, String subject) throws Exception {
    return new Bystander(base, subject);
  }

  private void publish(URL base) {
    try {
      while (publishing.get()) {
        Api.Answer answer =
            Api.publish(base, room, "note.created", "{\"n\":" + published.get() + "}");
        if (answer.status() != 201) {
          throw new IllegalStateException("publish answered " + answer);
        }
        published.incrementAndGet();
      }
    } catch (Exception e) {
      publishFailures.add(e);
    }
  }

  /** Stops publishing; every event published must have reached the socket, in order. */
  void assertMissedNothing() throws Exception {
    stopPublishing();
    assertEquals(List.of(), publishFailures);
    assertTrue(published.get() > 0, "events were published during the abuse");
    List<JsonObject> events = client.events(room, published.get());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getJsonNumber("seq").longValue(), "seq in order");
    }
  }

  private void stopPublishing() throws InterruptedException {
    publishing.set(false);
    publisher.join();
  }

  @Override
  public void close() throws InterruptedException {
    stopPublishing();
    client.close();
  }
}
