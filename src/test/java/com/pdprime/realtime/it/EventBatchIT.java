package com.pdprime.realtime.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/events} as a backend service uses it: events for many rooms in one request,
 * each answered in its place with its seq or its own error; only the valid ones stored, each room's
 * seqs gap-free and delivered in order; requests that are no batch refused whole with a code.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventBatchIT {
  private static final String PUBLISHER = Tokens.valid("backend-batch", "realtime:publish");
  private static final String PATH = "api/v1/events";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String event(String room, String name, String data) {
    return "{\"room\":\"" + room + "\",\"name\":\"" + name + "\",\"data\":" + data + "}";
  }

  private static String batch(List<String> events) {
    return "{\"events\":[" + String.join(",", events) + "]}";
  }

  private Api.Answer send(String body) throws Exception {
    return Api.post(base, PATH, PUBLISHER, body);
  }

  /** The batch's results, after asserting that the request itself was taken. */
  private JsonArray results(String body) throws Exception {
    Api.Answer answer = send(body);
    assertEquals(200, answer.status(), answer.toString());
    return answer.body().getJsonArray("results");
  }

  private static void assertRefused(Api.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.toString());
    assertEquals(code, answer.body().getString("code"), answer.toString());
    assertFalse(answer.body().getString("action").isBlank(), answer.toString());
  }

  private static long seq(JsonObject result) {
    return result.getJsonNumber("seq").longValue();
  }

  /** The next event of the room must be the marker published now: nothing was stored between. */
  private void assertNextEventIsAMarker(TestClient client, String room, long lastSeq)
      throws Exception {
    assertEquals(201, Api.publish(base, room, "test.marker", "{}").status());
    JsonObject next = client.events(room, 1).get(0);
    assertEquals("test.marker", next.getString("name"), "nothing else was stored: " + next);
    assertEquals(lastSeq + 1, seq(next));
  }

  @Test
  void aBatchForSeveralRoomsGivesEachRoomConsecutiveSeqsDeliveredInOrder() throws Exception {
    String ann = "batch-ann-" + UUID.randomUUID();
    String bob = "batch-bob-" + UUID.randomUUID();
    String annRoom = "user:" + ann;
    String bobRoom = "user:" + bob;
    try (TestClient annClient = TestClient.connect(base, Tokens.valid(ann));
        TestClient bobClient = TestClient.connect(base, Tokens.valid(bob))) {
      annClient.subscribe(annRoom);
      bobClient.subscribe(bobRoom);
      // Interleaved rooms, and bob's room before ann's: the request order decides, not the name.
      List<String> rooms = List.of(bobRoom, annRoom, bobRoom, bobRoom, annRoom, bobRoom);
      List<String> events = new ArrayList<>();
      for (int i = 0; i < rooms.size(); i++) {
        events.add(event(rooms.get(i), "order.step", "{\"i\":" + i + "}"));
      }
      Api.Answer answer = send(batch(events));
      assertEquals(200, answer.status(), answer.toString());
      assertEquals(6, answer.body().getInt("stored"));
      assertEquals(0, answer.body().getInt("refused"));
      JsonArray results = answer.body().getJsonArray("results");

      for (String room : List.of(annRoom, bobRoom)) {
        TestClient client = room.equals(annRoom) ? annClient : bobClient;
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
          if (rooms.get(i).equals(room)) {
            indexes.add(i);
          }
        }
        List<JsonObject> received = client.events(room, indexes.size());
        long first = seq(results.getJsonObject(indexes.get(0)));
        for (int k = 0; k < indexes.size(); k++) {
          JsonObject result = results.getJsonObject(indexes.get(k));
          assertEquals(room, result.getString("room"));
          assertEquals(first + k, seq(result), "consecutive seqs in request order: " + results);
          JsonObject event = received.get(k);
          assertEquals(first + k, seq(event), "delivered in seq order");
          assertEquals(result.getString("epoch"), event.getString("epoch"));
          assertEquals(indexes.get(k), event.getJsonObject("data").getInt("i"));
        }
        assertNextEventIsAMarker(client, room, first + indexes.size() - 1);
      }
    }
  }

  @Test
  void validAndInvalidEventsAreEachAnsweredAndOnlyTheValidStored() throws Exception {
    String subject = "batch-mix-" + UUID.randomUUID();
    String room = "user:" + subject;
    try (TestClient client = TestClient.connect(base, Tokens.valid(subject))) {
      client.subscribe(room);
      JsonArray results =
          results(
              batch(
                  List.of(
                      event(room, "order.created", "{\"n\":1}"),
                      event(room, "quote.premium.calculated", "{\"premium\":1}"),
                      event("planet:mars", "order.created", "{}"),
                      event(room, "Order Created", "{}"),
                      event(room, "order.created", "[1]"),
                      "{\"room\":\"" + room + "\",\"name\":\"order.created\"}",
                      event("analytics:quotes;range=7d", "order.created", "{}"),
                      "\"not an event\"",
                      event(room, "order.created", "{\"n\":2}"))));

      List<String> outcomes = new ArrayList<>();
      for (JsonObject result : results.getValuesAs(JsonObject.class)) {
        outcomes.add(
            result.containsKey("seq")
                ? "stored"
                : result.getJsonObject("error").getInt("status")
                    + " "
                    + result.getJsonObject("error").getString("code"));
      }
      assertEquals(
          List.of(
              "stored",
              "403 RESERVED_EVENT_NAME",
              "400 UNKNOWN_ROOM_TYPE",
              "400 INVALID_FIELD",
              "400 INVALID_FIELD",
              "400 MISSING_FIELD",
              "403 SERVER_ONLY_ROOM",
              "400 INVALID_FIELD",
              "stored"),
          outcomes);
      long first = seq(results.getJsonObject(0));
      assertEquals(first + 1, seq(results.getJsonObject(8)), "refused events drew no seq");

      List<JsonObject> received = client.events(room, 2);
      assertEquals(
          List.of(1, 2), received.stream().map(e -> e.getJsonObject("data").getInt("n")).toList());
      assertNextEventIsAMarker(client, room, first + 1);
    }
  }

  @Test
  void concurrentBatchesOverTheSameRoomsInAnyOrderLeaveNoGapAndNoDuplicate() throws Exception {
    String prefix = "batch-race-" + UUID.randomUUID() + "-";
    // Forty new rooms: with three, the deadlock of rows created after the updates (fixed
    // 2026-12-01) showed in one CI run; with forty, in 2 of 40 runs of this test.
    List<String> rooms =
        IntStream.range(0, 40).mapToObj(i -> "user:" + prefix + String.format("%02d", i)).toList();
    int batches = 24;
    int perRoom = 2;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<JsonArray>> sent = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        List<String> events = new ArrayList<>();
        for (String room : rooms) {
          for (int i = 0; i < perRoom; i++) {
            events.add(event(room, "race.step", "{}"));
          }
        }
        // Each batch names the rooms in another order: locking follows room names, not requests.
        Collections.shuffle(events, new Random(b));
        Callable<JsonArray> call = () -> results(batch(events));
        sent.add(pool.submit(call));
      }
      Map<String, TreeSet<Long>> seqs = new HashMap<>();
      for (Future<JsonArray> future : sent) {
        for (JsonObject result : future.get().getValuesAs(JsonObject.class)) {
          assertTrue(result.containsKey("seq"), "stored: " + result);
          assertTrue(
              seqs.computeIfAbsent(result.getString("room"), r -> new TreeSet<>()).add(seq(result)),
              "no seq given twice: " + result);
        }
      }
      List<Long> expected = LongStream.rangeClosed(1, (long) batches * perRoom).boxed().toList();
      for (String room : rooms) {
        assertEquals(expected, List.copyOf(seqs.get(room)), room + " has every seq from 1, once");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBatchOverMoreRoomsThanOneStatementReadsGivesEveryRoomItsSeqs() throws Exception {
    // The rooms' heads are read 100 rooms a statement (RoomEventStore): 250 rooms take three.
    String prefix = "batch-wide-" + UUID.randomUUID() + "-";
    List<String> rooms =
        IntStream.range(0, 250).mapToObj(i -> "user:" + prefix + String.format("%03d", i)).toList();
    List<String> events = new ArrayList<>();
    for (String room : rooms) {
      events.add(event(room, "wide.step", "{}"));
      events.add(event(room, "wide.step", "{}"));
    }
    JsonArray first = results(batch(events));
    JsonArray second = results(batch(events));
    for (int i = 0; i < events.size(); i++) {
      String room = rooms.get(i / 2);
      long expected = i % 2 + 1;
      assertEquals(room, first.getJsonObject(i).getString("room"));
      assertEquals(expected, seq(first.getJsonObject(i)), "first batch, " + room);
      assertEquals(expected + 2, seq(second.getJsonObject(i)), "second batch, " + room);
    }
  }

  @Test
  void overTheEventLimitTheWholeBatchIsRefusedAndNothingStored() throws Exception {
    // A new room: its first stored event has seq 1.
    String one = event("user:batch-limit-" + UUID.randomUUID(), "a.b", "{}");
    assertRefused(send(batch(Collections.nCopies(501, one))), 413, "BATCH_TOO_LARGE");
    JsonArray full = results(batch(Collections.nCopies(500, one)));
    assertEquals(1, seq(full.getJsonObject(0)), "the refused batch drew no seq");
    assertEquals(500, seq(full.getJsonObject(499)));
  }

  @Test
  void withoutRealtimePublishTheBatchIs403AndWithoutATokenIs401AndNothingIsStored()
      throws Exception {
    String subject = "batch-victim-" + UUID.randomUUID();
    String room = "user:" + subject;
    try (TestClient victim = TestClient.connect(base, Tokens.valid(subject))) {
      victim.subscribe(room);
      String body = batch(List.of(event(room, "message.posted", "{\"text\":\"forged\"}")));
      Api.Answer forbidden =
          Api.post(base, PATH, Tokens.valid("batch-intruder", "quote:write", "admin:access"), body);
      assertRefused(forbidden, 403, "FORBIDDEN");
      assertTrue(forbidden.body().getString("message").contains("realtime:publish"));
      assertRefused(Api.post(base, PATH, null, body), 401, "TOKEN_MISSING");

      assertNextEventIsAMarker(victim, room, 0);
    }
  }

  @Test
  void bodiesThatAreNoBatchAreRefusedWholeWithTheirCodes() throws Exception {
    assertRefused(send("{\"events\":["), 400, "MALFORMED_JSON");
    assertRefused(send("{\"events\":[],\"events\":[]}"), 400, "MALFORMED_JSON");
    assertRefused(send("[" + event("user:x", "a.b", "{}") + "]"), 400, "INVALID_FRAME");
    assertRefused(send("{}"), 400, "MISSING_FIELD");
    assertRefused(send("{\"events\":{}}"), 400, "INVALID_FIELD");
    assertRefused(send("{\"events\":[]}"), 400, "INVALID_FIELD");
    assertRefused(send("{\"events\":[],\"mode\":\"atomic\"}"), 400, "INVALID_FIELD");
    assertRefused(send(""), 400, "INVALID_FRAME");
  }

  private Api.Answer sendKeyed(String body, String key) throws Exception {
    return Api.postAsync(base, PATH, PUBLISHER, body, "Idempotency-Key", key)
        .get(Api.ANSWER_WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static String replayed(Api.Answer answer) {
    return answer.headers().firstValue("Idempotent-Replayed").orElse("(no header)");
  }

  @Test
  void aBatchSentAgainWithItsIdempotencyKeyIsStoredOnceAndAnsweredWithTheFirstPlaces()
      throws Exception {
    String user = "batch-key-" + UUID.randomUUID();
    String room = "user:" + user;
    String key = UUID.randomUUID().toString();
    String body =
        batch(
            List.of(
                event(room, "order.step", "{\"i\":0}"),
                event(room, "quote.created", "{}"),
                event(room, "order.step", "{\"i\":1}")));
    try (TestClient client = TestClient.connect(base, Tokens.valid(user))) {
      client.subscribe(room);

      Api.Answer first = sendKeyed(body, key);
      assertEquals(200, first.status(), first.toString());
      assertEquals("false", replayed(first));
      assertEquals(2, first.body().getInt("stored"));
      Api.Answer again = sendKeyed(body, key);
      assertEquals(200, again.status(), again.toString());
      assertEquals("true", replayed(again), "the second answer says it is the first one's");
      assertEquals(first.body(), again.body(), "the same places and the same refusal");

      JsonArray results = first.body().getJsonArray("results");
      List<JsonObject> received = client.events(room, 2);
      for (int i = 0; i < 2; i++) {
        JsonObject result = results.getJsonObject(i == 0 ? 0 : 2);
        assertEquals(seq(result), seq(received.get(i)));
        assertEquals(i, received.get(i).getJsonObject("data").getInt("i"));
      }
      assertNextEventIsAMarker(client, room, seq(results.getJsonObject(2)));

      Api.Answer reused = sendKeyed(batch(List.of(event(room, "order.step", "{\"i\":2}"))), key);
      assertRefused(reused, 422, "IDEMPOTENCY_KEY_REUSED");
      assertRefused(sendKeyed(body, "not a key"), 400, "INVALID_HEADER");
      assertNextEventIsAMarker(client, room, seq(results.getJsonObject(2)) + 1);
    }
  }

  /**
   * A keyed batch's answer is kept whole however large it is: the most events, each in a room of
   * the longest user key, answered again with all their places (the record held 8,000 characters,
   * about a hundred places, until the thirteenth migration).
   */
  @Test
  void theLargestKeyedBatchIsAnsweredAgainWithAllItsPlaces() throws Exception {
    String run = UUID.randomUUID().toString();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String user = (run + "-" + i + "-" + "x".repeat(128)).substring(0, 128);
      events.add(event("user:" + user, "order.step", "{\"i\":" + i + "}"));
    }
    String body = batch(events);
    String key = UUID.randomUUID().toString();

    Api.Answer first = sendKeyed(body, key);
    assertEquals(200, first.status(), first.toString());
    assertEquals("false", replayed(first));
    assertEquals(500, first.body().getInt("stored"), first.toString());
    JsonArray places = first.body().getJsonArray("results");
    assertTrue(places.toString().length() > 80_000, "the places' record is this long");

    Api.Answer again = sendKeyed(body, key);
    assertEquals(200, again.status(), again.toString());
    assertEquals("true", replayed(again));
    assertEquals(first.body(), again.body(), "every place of the first answer");
    assertEquals(1, seq(places.getJsonObject(499)), "each room's first and only event");
  }

  @Test
  void anEventOfABatchTakesNoKeyOfItsOwnAndIsRefusedNotIgnored() throws Exception {
    JsonArray results =
        results(
            batch(
                List.of(
                    "{\"room\":\"user:batch-key\",\"name\":\"a.b\",\"data\":{},"
                        + "\"idempotencyKey\":\"k-1\"}")));
    assertEquals(
        "IDEMPOTENCY_KEY_UNSUPPORTED",
        results.getJsonObject(0).getJsonObject("error").getString("code"));
  }

  @Test
  void aBystanderReceivesEveryEventInOrderWhileBatchesCrossTheLimits() throws Exception {
    try (Bystander bystander = new Bystander(base, "batch-bystander")) {
      String room = "user:batch-noise-" + UUID.randomUUID();
      String one = event(room, "a.b", "{\"pad\":\"" + "x".repeat(400) + "\"}");
      for (int round = 0; round < 3; round++) {
        assertRefused(send(batch(Collections.nCopies(501, one))), 413, "BATCH_TOO_LARGE");
        assertBodyOverTheCapIs413();
        assertEquals(200, send(batch(Collections.nCopies(200, one))).status());
      }
      bystander.receivedEveryEventInOrder();
    }
  }

  /** A declared body over realtime.rest.max-body-bytes is refused before any of it is sent. */
  private void assertBodyOverTheCapIs413() throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + Local.uri(base, PATH).getRawPath()
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + PUBLISHER
                  + "\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n")
              .getBytes(US_ASCII));
      out.flush();
      TooLargeAnswer.assertRead(socket, false);
    }
  }
}
