package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.RefusingTrigger;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.Socket;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server that is full or busy says so: 503 with {@code Retry-After} and the documented body,
 * never a dropped connection or an unanswered request, while a bystander keeps receiving every
 * event in order. The server (admission in arquillian.xml) holds at most 4 sockets, decides one
 * handshake at a time, queues at most 4 single publishes and 4 keyed ones (stored by one thread),
 * and stores one batch at a time.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdmissionIT {
  private static final int SOCKETS_PER_INSTANCE = 4;
  private static final String PUBLISHER = Tokens.valid("backend-flood", "realtime:publish");

  /** The room whose commits the server takes as failed once carried out (arquillian.xml). */
  private static final String ANSWER_LOST = "user:commit-answer-lost";

  @Deployment(testable = false)
  @TargetsContainer("admission")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aFullServerRefusesTheNextSocketWith503UntilOneOfItsSocketsCloses() throws Exception {
    try (Bystander bystander = new Bystander(base, "bystander")) {
      List<RawSocket> open = new ArrayList<>();
      try {
        for (int i = 1; i < SOCKETS_PER_INSTANCE; i++) {
          String filler = "filler-" + i;
          open.add(Accepted.eventually(() -> RawSocket.connect(base, Tokens.valid(filler))));
        }
        UpgradeRequest.Refusal refusal = refusedWhileNotBusy("one-too-many");
        assertEquals(503, refusal.status());
        assertEquals("30", refusal.headers().get("retry-after"));
        assertEquals("SERVER_FULL", refusal.body().getString("code"));
        assertEquals(
            "this server already holds its maximum of 4 sockets",
            refusal.body().getString("message"));
        assertEquals(
            "Connect again after the Retry-After delay.", refusal.body().getString("action"));
        open.remove(0).close();
        open.add(Accepted.eventually(() -> RawSocket.connect(base, Tokens.valid("one-too-many"))));
      } finally {
        for (RawSocket socket : open) {
          socket.close();
        }
      }
      bystander.receivedEveryEventInOrder();
    }
  }

  @Test
  void handshakesBeyondTheOneInProgressAreAnswered503BusyAndNoneIsDropped() throws Exception {
    Map<String, Integer> answers = new TreeMap<>();
    try (Bystander bystander = new Bystander(base, "bystander")) {
      // Whether a handshake finds the one place taken depends on timing, so bursts are sent until
      // one is refused as busy; every answer of every burst must be explicit either way.
      for (int burst = 0; burst < 5 && !answers.containsKey("503 SERVER_BUSY"); burst++) {
        burst(100, answers);
      }
      bystander.receivedEveryEventInOrder();
    }
    assertTrue(answers.containsKey("503 SERVER_BUSY"), "a burst found the server busy: " + answers);
    assertTrue(answers.containsKey("101"), "some handshakes of a burst were upgraded: " + answers);
    assertEquals(
        Set.of(),
        answers.keySet().stream()
            .filter(a -> !Set.of("101", "503 SERVER_BUSY", "503 SERVER_FULL").contains(a))
            .collect(Collectors.toSet()),
        "only upgrades and documented refusals: " + answers);
  }

  @Test
  void singlePublishesBeyondTheQueueAreAnswered503AndOnlyTheStoredOnesAreDelivered()
      throws Exception {
    floodBeyondTheQueue(() -> new String[0]);
    assertTrue(
        Api.serverText(base, "/metrics")
            .lines()
            .anyMatch(
                line ->
                    line.startsWith("realtime_rest_refused_total{")
                        && line.contains("code=\"PUBLISH_QUEUE_FULL\"")),
        "refusals are counted");
  }

  @Test
  void keyedPublishesBeyondTheirQueueAreAnswered503AndOnlyTheStoredOnesAreDelivered()
      throws Exception {
    floodBeyondTheQueue(() -> new String[] {"Idempotency-Key", "flood-" + UUID.randomUUID()});
  }

  /**
   * Floods a room with single publishes, each with {@code headers}, until the queue is full: every
   * answer is a 201 or a 503 PUBLISH_QUEUE_FULL.
   */
  private void floodBeyondTheQueue(Supplier<String[]> headers) throws Exception {
    Map<String, Integer> answers =
        flood(
            "503 PUBLISH_QUEUE_FULL",
            200,
            room ->
                Api.postAsync(
                    base,
                    "api/v1/rooms/" + room + "/events",
                    PUBLISHER,
                    "{\"name\":\"test.flood\",\"data\":{}}",
                    headers.get()),
            taken -> List.of(taken.body().getJsonNumber("seq").longValue()));
    assertTrue(
        answers.containsKey("503 PUBLISH_QUEUE_FULL"), "a burst filled the queue: " + answers);
    assertEquals(Set.of("201", "503 PUBLISH_QUEUE_FULL"), answers.keySet(), answers.toString());
  }

  /**
   * While the database holds a room's row (the test locks it, as a long transaction or a stalled
   * disk would), the publishes the committer took and the four the queue holds wait for it, every
   * other one is answered 503 PUBLISH_QUEUE_FULL at once instead of holding an HTTP worker, the
   * queue's gauge shows it full, and the sockets are still served: an open one gets its pong, a new
   * one connects and subscribes. Once the row is let go, the waiting ones are stored and delivered
   * in order. PostgreSQL only: the test takes the lock on its own JDBC connection.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void whileTheDatabaseStallsTheNextPublishesAreRefusedAtOnceAndSocketsAreStillServed()
      throws Exception {
    // The committer's group: the first one queued and whatever was queued behind it, at most 4.
    whileTheRowIsHeld(() -> new String[0], "realtime_publish_queue_depth", 5, 8);
  }

  /** The same for keyed publishes: the one thread stores one, four wait in its queue. */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void whileTheDatabaseStallsTheNextKeyedPublishesAreRefusedAtOnceAndSocketsAreStillServed()
      throws Exception {
    whileTheRowIsHeld(
        () -> new String[] {"Idempotency-Key", "stall-" + UUID.randomUUID()},
        "realtime_keyed_publish_queue_depth",
        5,
        5);
  }

  private void whileTheRowIsHeld(
      Supplier<String[]> headers, String queueGauge, int fewestWaiting, int mostWaiting)
      throws Exception {
    String subject = "stall-" + UUID.randomUUID();
    String room = "user:" + subject;
    String event = "{\"name\":\"test.stall\",\"data\":{}}";
    String path = "api/v1/rooms/" + room + "/events";
    try (TestClient subscriber =
        Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)))) {
      subscriber.subscribe(room);
      Api.Answer first = Api.post(base, path, PUBLISHER, event);
      assertEquals(201, first.status(), first.toString());
      List<Long> stored = new ArrayList<>(List.of(first.body().getJsonNumber("seq").longValue()));
      List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
      try (Connection database = PostgresTestDatabase.connect()) {
        holdRow(database, room);
        for (int i = 0; i < 200; i++) {
          sent.add(Api.postAsync(base, path, PUBLISHER, event, headers.get()));
        }
        List<CompletableFuture<Api.Answer>> waiting = waitingOnceTheRestIsAnswered(sent);
        assertTrue(
            waiting.size() >= fewestWaiting && waiting.size() <= mostWaiting,
            waiting.size() + " publishes wait for the row");
        Set<String> refusals = new HashSet<>();
        for (CompletableFuture<Api.Answer> answer : sent) {
          if (answer.isDone()) {
            refusals.add(explicit(answer.join()));
          }
        }
        assertEquals(Set.of("503 PUBLISH_QUEUE_FULL"), refusals, "refused while the row is held");
        assertEquals(4, Api.gauge(Api.serverText(base, "/metrics"), queueGauge), queueGauge);
        assertEquals("pong", subscriber.reply(subscriber.send("ping", "")).getString("type"));
        String newcomer = "stall-newcomer-" + UUID.randomUUID();
        try (TestClient socket =
            Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(newcomer)))) {
          assertEquals("ok", socket.subscribe("user:" + newcomer).getString("type"));
        }
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "still waiting");
        database.commit();
        for (CompletableFuture<Api.Answer> answer : waiting) {
          Api.Answer taken = answer.get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
          assertEquals(201, taken.status(), taken.toString());
          stored.add(taken.body().getJsonNumber("seq").longValue());
        }
      }
      assertEveryStoredEventDeliveredAndNothingElse(subscriber, room, stored);
    }
  }

  /**
   * A group commit whose one event the database refuses (a trigger here; a constraint or a lock
   * timeout in life) fails only that event's publisher: the group is stored again one event per
   * transaction, the refused one is answered 503 PUBLISH_NOT_STORED and the others 201, with seqs
   * that leave no gap and are delivered in order. PostgreSQL only: the test holds the room's row so
   * that three publishes queue up behind the first and are committed as one group.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void anEventTheDatabaseRefusesFailsOnlyItsOwnPublishNotTheOthersOfItsGroup() throws Exception {
    String subject = "refused-" + UUID.randomUUID();
    String room = "user:" + subject;
    String path = "api/v1/rooms/" + room + "/events";
    String event = "{\"name\":\"test.grouped\",\"data\":{}}";
    String refused = "{\"name\":\"test.refused_by_database\",\"data\":{}}";
    try (TestClient subscriber =
            Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)));
        Connection database = PostgresTestDatabase.connect()) {
      subscriber.subscribe(room);
      assertEquals(201, Api.post(base, path, PUBLISHER, event).status());
      int retriesBefore =
          Api.counter(Api.serverText(base, "/metrics"), "realtime_publish_group_retries_total");
      List<String> answers = new ArrayList<>();
      List<Long> stored = new ArrayList<>(List.of(1L));
      try (RefusingTrigger refusing =
          RefusingTrigger.on(
              PostgresTestDatabase::connect,
              "room_events",
              "NEW.name = 'test.refused_by_database'")) {
        publishBehindTheHeldRow(
            database, room, List.of(event, event, refused, event), answers, stored);
      }
      assertEquals(List.of("201", "201", "503 PUBLISH_NOT_STORED", "201"), answers);
      assertEquals(
          retriesBefore + 1,
          Api.counter(Api.serverText(base, "/metrics"), "realtime_publish_group_retries_total"),
          "the three queued publishes were one group, stored again one by one");
      assertEveryStoredEventDeliveredAndNothingElse(subscriber, room, stored);
    }
  }

  /**
   * A commit the database carried out but whose answer the server never got is answered and
   * delivered as stored, once: not taken for a rollback and stored again under new seqs. The server
   * (admission in arquillian.xml) takes every commit of {@link #ANSWER_LOST} as failed after it
   * committed ({@code realtime.publish.lose-commit-answer-for-test}), as a connection broken
   * between the commit and its answer leaves it; it then asks PostgreSQL how the transaction ended.
   * A lone publish, one that waits for the held row and the group of three queued behind it (as
   * above) are each answered 201 with their own seq, a batch of two with both places, and a keyed
   * publish as the first (not a replay) and its retry, marked replayed, with the one place, and a
   * keyed batch likewise with its two places; the room holds each event once, and the subscriber
   * receives each once, in order. PostgreSQL only: other databases keep no outcome by transaction
   * id.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void aCommitWhoseAnswerIsLostIsAnsweredAsStoredAndStoresNothingTwice() throws Exception {
    String room = ANSWER_LOST;
    String path = "api/v1/rooms/" + room + "/events";
    String subject = room.substring("user:".length());
    try (TestClient subscriber =
            Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)));
        Connection database = PostgresTestDatabase.connect()) {
      subscriber.subscribe(room);
      String metrics = Api.serverText(base, "/metrics");
      int retriesBefore = Api.counter(metrics, "realtime_publish_group_retries_total");
      int committedBefore = committedAfterAll(metrics);
      List<String> answers = new ArrayList<>();
      List<Long> stored = new ArrayList<>();
      Api.Answer alone = Api.post(base, path, PUBLISHER, "{\"name\":\"test.lone\",\"data\":{}}");
      assertEquals(201, alone.status(), alone::toString);
      answers.add(explicit(alone));
      stored.add(alone.body().getJsonNumber("seq").longValue());
      List<String> bodies =
          LongStream.range(0, 4)
              .mapToObj(n -> "{\"name\":\"test.grouped\",\"data\":{\"n\":" + n + "}}")
              .toList();
      publishBehindTheHeldRow(database, room, bodies, answers, stored);
      assertEquals(List.of("201", "201", "201", "201", "201"), answers);
      String event = "{\"room\":\"" + room + "\",\"name\":\"test.batched\",\"data\":{}}";
      Api.Answer batch =
          Api.post(base, "api/v1/events", PUBLISHER, "{\"events\":[" + event + "," + event + "]}");
      assertEquals(200, batch.status(), batch::toString);
      assertEquals(2, batch.body().getInt("stored"), batch::toString);
      batch.body().getJsonArray("results").getValuesAs(JsonObject.class).stream()
          .map(result -> result.getJsonNumber("seq").longValue())
          .forEach(stored::add);
      String keyed = "{\"name\":\"test.keyed\",\"data\":{}}";
      String key = "answer-lost-" + UUID.randomUUID();
      for (int attempt = 1; attempt <= 2; attempt++) {
        Api.Answer answer =
            Api.postAsync(base, path, PUBLISHER, keyed, "Idempotency-Key", key)
                .get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(201, answer.status(), answer::toString);
        assertEquals(
            String.valueOf(attempt == 2),
            answer.headers().firstValue("Idempotent-Replayed").orElse(""),
            "only the retry is a replay");
        long seq = answer.body().getJsonNumber("seq").longValue();
        if (attempt == 1) {
          stored.add(seq);
        } else {
          assertEquals(stored.get(stored.size() - 1), seq, "the retry gets the first place");
        }
      }
      String keyedBatch = "{\"events\":[" + event + "," + event + "]}";
      String batchKey = "answer-lost-batch-" + UUID.randomUUID();
      JsonObject firstBatch = null;
      for (int attempt = 1; attempt <= 2; attempt++) {
        Api.Answer answer =
            Api.postAsync(base, "api/v1/events", PUBLISHER, keyedBatch, "Idempotency-Key", batchKey)
                .get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(2, answer.body().getInt("stored"), answer::toString);
        assertEquals(
            String.valueOf(attempt == 2),
            answer.headers().firstValue("Idempotent-Replayed").orElse(""),
            "only the batch sent again is a replay");
        if (attempt == 1) {
          firstBatch = answer.body();
          answer.body().getJsonArray("results").getValuesAs(JsonObject.class).stream()
              .map(result -> result.getJsonNumber("seq").longValue())
              .forEach(stored::add);
        } else {
          assertEquals(firstBatch, answer.body(), "the batch sent again gets the first places");
        }
      }
      try (PreparedStatement count =
          database.prepareStatement("SELECT count(*) FROM room_events WHERE room = ?")) {
        count.setString(1, room);
        try (ResultSet rows = count.executeQuery()) {
          rows.next();
          assertEquals(10, rows.getInt(1), "each event stored once");
        }
      }
      metrics = Api.serverText(base, "/metrics");
      assertEquals(
          retriesBefore,
          Api.counter(metrics, "realtime_publish_group_retries_total"),
          "no group was stored again");
      assertEquals(
          committedBefore + 6,
          committedAfterAll(metrics),
          "the lone publish, the one that waited for the row, the group of three, the batch, the"
              + " keyed publish, the keyed batch");
      assertEveryStoredEventDeliveredAndNothingElse(subscriber, room, stored);
    }
  }

  /**
   * A keyed publish whose transaction the database refuses (a trigger here; a constraint, a lock
   * timeout or an outage in life) is answered 503 PUBLISH_NOT_STORED, as a publish without a key
   * is, and its key is left free: the same request once the database takes it again is stored, as
   * the first (not a replay), and delivered once. PostgreSQL only: the trigger is PostgreSQL's.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void aKeyedPublishTheDatabaseRefusesIsNotStoredAndItsRetryStoresIt() throws Exception {
    String subject = "keyed-refused-" + UUID.randomUUID();
    String room = "user:" + subject;
    String path = "api/v1/rooms/" + room + "/events";
    String keyed = "{\"name\":\"test.refused_by_database\",\"data\":{}}";
    String key = "refused-" + UUID.randomUUID();
    try (TestClient subscriber =
        Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)))) {
      subscriber.subscribe(room);
      try (RefusingTrigger refusing =
          RefusingTrigger.on(
              PostgresTestDatabase::connect,
              "room_events",
              "NEW.name = 'test.refused_by_database'")) {
        Api.Answer refused =
            Api.postAsync(base, path, PUBLISHER, keyed, "Idempotency-Key", key)
                .get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("503 PUBLISH_NOT_STORED", explicit(refused));
      }
      Api.Answer retried =
          Api.postAsync(base, path, PUBLISHER, keyed, "Idempotency-Key", key)
              .get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(201, retried.status(), retried::toString);
      assertEquals("false", retried.headers().firstValue("Idempotent-Replayed").orElse(""));
      assertEquals(1, retried.body().getJsonNumber("seq").longValue(), retried::toString);
      assertEveryStoredEventDeliveredAndNothingElse(subscriber, room, List.of(1L));
    }
  }

  /**
   * Holds the room's row, publishes the first body (it waits for the row) and the others behind it
   * (they queue: one group), lets the row go, and collects each answer in order: status and code in
   * {@code answers}, a stored event's seq in {@code stored}.
   */
  private void publishBehindTheHeldRow(
      Connection database,
      String room,
      List<String> bodies,
      List<String> answers,
      List<Long> stored)
      throws Exception {
    String path = "api/v1/rooms/" + room + "/events";
    try {
      holdRow(database, room);
      List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
      sent.add(Api.postAsync(base, path, PUBLISHER, bodies.get(0)));
      awaitWaitingForTheRow(sent.get(0));
      for (String body : bodies.subList(1, bodies.size())) {
        sent.add(Api.postAsync(base, path, PUBLISHER, body));
        awaitQueueDepth(sent.size() - 1);
      }
      database.commit();
      for (CompletableFuture<Api.Answer> answer : sent) {
        Api.Answer taken = answer.get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        answers.add(explicit(taken));
        if (taken.status() == 201) {
          stored.add(taken.body().getJsonNumber("seq").longValue());
        }
      }
    } finally {
      database.setAutoCommit(true);
    }
  }

  /** Commits that threw and that PostgreSQL then said it had carried out; 0 before the first. */
  private static int committedAfterAll(String metrics) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("realtime_publish_commit_outcomes_total{"))
        .filter(line -> line.contains("outcome=\"committed\""))
        .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * Takes the room's sequence row in a transaction left open, as a long transaction or a stalled
   * disk would hold it; the publishes of that room wait until the test commits.
   */
  private static void holdRow(Connection database, String room) throws SQLException {
    database.setAutoCommit(false);
    try (PreparedStatement lock =
        database.prepareStatement(
            "SELECT last_seq FROM room_sequences WHERE room = ? FOR UPDATE")) {
      lock.setString(1, room);
      lock.executeQuery().close();
    }
  }

  /**
   * Waits until a server's transaction waits for the row lock the test holds to store {@code
   * publish}. Asked on a connection of its own: PostgreSQL shows a transaction the activity it saw
   * at its first look, and the test's holds the lock.
   */
  private static void awaitWaitingForTheRow(CompletableFuture<Api.Answer> publish)
      throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    try (Connection observer = PostgresTestDatabase.connect();
        PreparedStatement waiting =
            observer.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE '%room_sequences%'")) {
      while (true) {
        try (ResultSet rs = waiting.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        if (publish.isDone()) {
          throw new AssertionError("answered without waiting for the held row: " + publish.join());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no publish waits for the held row: " + activity(observer));
        }
        Thread.sleep(20);
      }
    }
  }

  /** What every session of the test database is doing, for a failure's message. */
  private static List<String> activity(Connection database) throws SQLException {
    List<String> sessions = new ArrayList<>();
    try (Statement query = database.createStatement();
        ResultSet rs =
            query.executeQuery(
                "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity"
                    + " WHERE datname = current_database()")) {
      while (rs.next()) {
        sessions.add(
            rs.getString(1)
                + "/"
                + rs.getString(2)
                + "/"
                + rs.getString(3)
                + ": "
                + rs.getString(4));
      }
    }
    return sessions;
  }

  /** Waits until {@code depth} publishes wait in the group commit's queue. */
  private void awaitQueueDepth(int depth) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (Api.gauge(Api.serverText(base, "/metrics"), "realtime_publish_queue_depth") != depth) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the publish queue never held " + depth);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Waits until at most eight of {@code sent} are unanswered, then half a second more for answers
   * still on their way, at most {@link TestClient#WAIT}; returns the unanswered ones.
   */
  private static List<CompletableFuture<Api.Answer>> waitingOnceTheRestIsAnswered(
      List<CompletableFuture<Api.Answer>> sent) throws InterruptedException {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (unanswered(sent).size() > 8 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500);
    return unanswered(sent);
  }

  private static List<CompletableFuture<Api.Answer>> unanswered(
      List<CompletableFuture<Api.Answer>> sent) {
    return sent.stream().filter(answer -> !answer.isDone()).toList();
  }

  @Test
  void batchesBeyondTheOneInProgressAreAnswered503BusyAndNoneOfTheirEventsIsStored()
      throws Exception {
    Map<String, Integer> answers =
        flood(
            "503 SERVER_BUSY",
            20,
            room -> {
              String event = "{\"room\":\"" + room + "\",\"name\":\"test.flood\",\"data\":{}}";
              return Api.postAsync(
                  base,
                  "api/v1/events",
                  PUBLISHER,
                  "{\"events\":[" + String.join(",", Collections.nCopies(50, event)) + "]}");
            },
            taken ->
                taken.body().getJsonArray("results").getValuesAs(JsonObject.class).stream()
                    .map(result -> result.getJsonNumber("seq").longValue())
                    .toList());
    assertTrue(
        answers.containsKey("503 SERVER_BUSY"), "a burst found a batch in progress: " + answers);
    assertEquals(Set.of("200", "503 SERVER_BUSY"), answers.keySet(), answers.toString());
  }

  /**
   * Floods a fresh room, which a client subscribes to, with bursts of publishes until one is
   * answered {@code refusal} ({@link #burstsUntil}), while a bystander publishes into its own room;
   * then checks that exactly the stored events were delivered, in order, and the bystander's too.
   * {@code seqs} reads the seqs an accepted answer gives. The answers by status and code.
   */
  private Map<String, Integer> flood(
      String refusal,
      int size,
      Function<String, CompletableFuture<Api.Answer>> publish,
      Function<Api.Answer, List<Long>> seqs)
      throws Exception {
    String subject = "flood-" + UUID.randomUUID();
    String room = "user:" + subject;
    List<Long> stored = new ArrayList<>();
    try (Bystander bystander = new Bystander(base, "bystander");
        TestClient subscriber =
            Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject)))) {
      subscriber.subscribe(room);
      Map<String, Integer> answers =
          burstsUntil(
              refusal, size, () -> publish.apply(room), taken -> stored.addAll(seqs.apply(taken)));
      assertEveryStoredEventDeliveredAndNothingElse(subscriber, room, stored);
      bystander.receivedEveryEventInOrder();
      return answers;
    }
  }

  /**
   * Sends bursts of {@code size} requests at once until one is answered {@code refusal}, at most
   * five: whether a burst finds the bound taken depends on how fast the server works through it.
   * Every answer must be explicit; each accepted one goes to {@code accepted}. The answers by
   * status and code.
   */
  private static Map<String, Integer> burstsUntil(
      String refusal,
      int size,
      Supplier<CompletableFuture<Api.Answer>> request,
      Consumer<Api.Answer> accepted)
      throws Exception {
    Map<String, Integer> answers = new TreeMap<>();
    for (int burst = 0; burst < 5 && !answers.containsKey(refusal); burst++) {
      List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        sent.add(request.get());
      }
      for (CompletableFuture<Api.Answer> answer : sent) {
        Api.Answer taken = answer.get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        answers.merge(explicit(taken), 1, Integer::sum);
        if (taken.status() < 300) {
          accepted.accept(taken);
        }
      }
    }
    return answers;
  }

  /**
   * The answer's status, with the error code of a refusal, after checking that a refusal says when
   * to try again and what to do.
   */
  private static String explicit(Api.Answer answer) {
    if (answer.status() < 300) {
      return Integer.toString(answer.status());
    }
    assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), answer.toString());
    assertFalse(answer.body().getString("message").isBlank(), answer.toString());
    assertFalse(answer.body().getString("action").isBlank(), answer.toString());
    return answer.status() + " " + answer.body().getString("code");
  }

  /**
   * The stored events' seqs run from the first without a gap (a refused publish took none), the
   * subscriber received exactly them in that order, and the next event it receives is a marker
   * published afterwards: no refused publish was delivered.
   */
  private void assertEveryStoredEventDeliveredAndNothingElse(
      TestClient subscriber, String room, List<Long> stored) throws Exception {
    assertFalse(stored.isEmpty(), "some publishes were stored");
    List<Long> seqs = stored.stream().sorted().toList();
    assertEquals(
        LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, "seqs from 1 without a gap");
    List<Long> delivered =
        subscriber.events(room, seqs.size()).stream()
            .map(e -> e.getJsonNumber("seq").longValue())
            .toList();
    assertEquals(seqs, delivered, "every stored event delivered, in seq order");
    Api.Answer marker = Api.publish(base, room, "test.marker", "{}");
    for (int attempt = 0; attempt < 10 && marker.status() == 503; attempt++) {
      Thread.sleep(1000);
      marker = Api.publish(base, room, "test.marker", "{}");
    }
    assertEquals(201, marker.status(), marker.toString());
    JsonObject next = subscriber.events(room, 1).get(0);
    assertEquals("test.marker", next.getString("name"), "nothing else was delivered: " + next);
    assertEquals(seqs.size() + 1L, next.getJsonNumber("seq").longValue());
  }

  /**
   * Opens {@code size} TCP connections first, then writes every upgrade request at once, so the
   * handshakes reach the server together; reads and checks each answer.
   */
  private void burst(int size, Map<String, Integer> answers) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Socket socket = new Socket("127.0.0.1", base.getPort());
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        sockets.add(socket);
      }
      List<byte[]> requests = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        requests.add(
            UpgradeRequest.of(
                base,
                Map.of(
                    "Sec-WebSocket-Protocol",
                    TestClient.PROTOCOL + ", bearer." + Tokens.valid("burst-" + i))));
      }
      for (int i = 0; i < size; i++) {
        sockets.get(i).getOutputStream().write(requests.get(i));
      }
      for (Socket socket : sockets) {
        UpgradeRequest.Answer answer = UpgradeRequest.answer(socket.getInputStream());
        String key = Integer.toString(answer.status());
        if (answer.status() != 101) {
          JsonObject body = Json.createReader(new StringReader(answer.body())).readObject();
          key += " " + body.getString("code");
          assertNotNull(answer.headers().get("retry-after"), "Retry-After on " + key);
          assertFalse(body.getString("action").isEmpty(), "an action on " + key);
        }
        answers.merge(key, 1, Integer::sum);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /**
   * The refusal of a handshake that did not find the one handshake place taken. A filler's place is
   * given back just after its 101 is written, so the next handshake can still find it taken and be
   * told SERVER_BUSY, which a client retries after its Retry-After (1 s), as this does.
   */
  private UpgradeRequest.Refusal refusedWhileNotBusy(String subject) throws Exception {
    UpgradeRequest.Refusal refusal = refused(subject);
    for (int attempt = 0; attempt < 10 && isBusy(refusal); attempt++) {
      Thread.sleep(Long.parseLong(refusal.headers().get("retry-after")) * 1000);
      refusal = refused(subject);
    }
    return refusal;
  }

  private static boolean isBusy(UpgradeRequest.Refusal refusal) {
    return refusal.status() == 503 && "SERVER_BUSY".equals(refusal.body().getString("code", ""));
  }

  private UpgradeRequest.Refusal refused(String subject) throws IOException {
    return UpgradeRequest.refused(
        base,
        Map.of(
            "Sec-WebSocket-Protocol", TestClient.PROTOCOL + ", bearer." + Tokens.valid(subject)));
  }
}
