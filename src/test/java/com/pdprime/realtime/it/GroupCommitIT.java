package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Single publishes ({@code POST /api/v1/rooms/{room}/events}) from many backends at once are stored
 * in groups (docs/architecture.md, "Publishing"): each answered with its own place, each room's
 * seqs gap-free and delivered to subscribers in order, each backend's events in the order it sent
 * them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroupCommitIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  /** What one backend's publish was answered with. */
  private record Answer(int publisher, int step, String room, String epoch, long seq) {}

  @Test
  void concurrentSinglePublishesIntoFewRoomsGiveEveryRoomEachSeqOnceDeliveredInOrder()
      throws Exception {
    String prefix = "group-" + UUID.randomUUID() + "-";
    List<String> rooms =
        List.of("user:" + prefix + "a", "user:" + prefix + "b", "user:" + prefix + "c");
    int publishers = 16;
    int steps = 30;
    List<TestClient> subscribers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      for (String room : rooms) {
        TestClient subscriber = TestClient.connect(base, Tokens.valid(room.substring(5)));
        subscribers.add(subscriber);
        subscriber.subscribe(room);
      }
      List<Future<List<Answer>>> sent = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        String token = Tokens.valid("group-backend-" + p, "realtime:publish");
        sent.add(pool.submit(() -> publishInTurn(token, publisher, steps, rooms)));
      }
      Map<String, Map<Long, Answer>> bySeq = new HashMap<>();
      for (Future<List<Answer>> publisher : sent) {
        Map<String, Long> lastOfThisPublisher = new HashMap<>();
        for (Answer answer : publisher.get()) {
          Long before = lastOfThisPublisher.put(answer.room(), answer.seq());
          assertTrue(
              before == null || before < answer.seq(),
              "a backend that waits for each answer keeps its order: " + answer);
          Answer twice =
              bySeq.computeIfAbsent(answer.room(), r -> new HashMap<>()).put(answer.seq(), answer);
          assertEquals(null, twice, "no seq given twice");
        }
      }

      for (int r = 0; r < rooms.size(); r++) {
        String room = rooms.get(r);
        Map<Long, Answer> answers = bySeq.get(room);
        int count = answers.size();
        assertEquals(
            LongStream.rangeClosed(1, count).boxed().toList(),
            answers.keySet().stream().sorted().toList(),
            room + " has every seq from 1, once");
        List<JsonObject> received = subscribers.get(r).events(room, count);
        for (int k = 0; k < count; k++) {
          JsonObject event = received.get(k);
          long seq = event.getJsonNumber("seq").longValue();
          assertEquals(k + 1, seq, "delivered in seq order");
          Answer answer = answers.get(seq);
          assertEquals(answer.epoch(), event.getString("epoch"));
          assertEquals(answer.publisher(), event.getJsonObject("data").getInt("publisher"));
          assertEquals(answer.step(), event.getJsonObject("data").getInt("step"));
        }
      }
      assertEquals(publishers * steps, bySeq.values().stream().mapToInt(Map::size).sum());
    } finally {
      pool.shutdownNow();
      subscribers.forEach(TestClient::close);
    }
  }

  @Test
  void theGroupCommitIsMeasured() throws Exception {
    assertEquals(201, Api.publish(base, "user:group-metrics", "order.created", "{}").status());
    String metrics = Api.serverText(base, "/metrics");
    assertTrue(metrics.contains("realtime_publish_queue_depth"), "queue depth gauge");
    assertTrue(metrics.contains("realtime_publish_group_size"), "group size histogram");
  }

  /** One backend: each publish waits for its answer before the next, rooms in turn. */
  private List<Answer> publishInTurn(String token, int publisher, int steps, List<String> rooms)
      throws Exception {
    List<Answer> answers = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      String room = rooms.get((publisher + step) % rooms.size());
      Api.Answer answer =
          Api.post(
              base,
              "api/v1/rooms/" + room + "/events",
              token,
              "{\"name\":\"order.step\",\"data\":{\"publisher\":"
                  + publisher
                  + ",\"step\":"
                  + step
                  + "}}");
      assertEquals(201, answer.status(), answer.toString());
      answers.add(
          new Answer(
              publisher,
              step,
              answer.body().getString("room"),
              answer.body().getString("epoch"),
              answer.body().getJsonNumber("seq").longValue()));
    }
    return answers;
  }
}
