package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad and abusive clients get their documented error or close, and a well-behaved client on the
 * same server keeps receiving. (The test server runs with a 16 MiB / 200-frame outbound queue, a 3
 * s send timeout and at most 3 rooms per connection: see arquillian.xml.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LimitsIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  /** The pool's statement timeout (server-config/payara/postgres.asadmin). */
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);

  @ArquillianResource URL base;

  @Test
  void malformedAndIllTypedCommandsGetNamedErrors() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("mike"))) {
      client.sendRaw("{not json");
      assertError(client, "MALFORMED_JSON");
      client.sendRaw("[1,2,3]");
      assertError(client, "INVALID_FRAME");
      client.sendRaw("{\"type\":\"ping\"}");
      assertError(client, "MISSING_FIELD");
      client.sendRaw("{\"id\":7,\"type\":\"ping\"}");
      assertError(client, "INVALID_FIELD");
      client.sendRaw("{\"id\":\"a1\",\"type\":\"teleport\"}");
      JsonObject unknown = client.reply("a1");
      assertEquals("UNKNOWN_TYPE", unknown.getString("code"));
      client.sendRaw("{\"id\":\"a2\",\"type\":\"subscribe\"}");
      assertEquals("MISSING_FIELD", client.reply("a2").getString("code"));
      client.sendRaw("{\"id\":\"a3\",\"type\":\"subscribe\",\"room\":42}");
      assertEquals("INVALID_FIELD", client.reply("a3").getString("code"));
      client.sendRaw("{\"id\":\"a4\",\"type\":\"unsubscribe\",\"room\":\"user:mike\"}");
      assertEquals("NOT_SUBSCRIBED", client.reply("a4").getString("code"));
      String ping = client.send("ping", "");
      assertEquals("pong", client.reply(ping).getString("type"), "the connection still works");
    }
  }

  /**
   * A database that does not answer (here {@code room_sequences} and {@code quotes} locked, as a
   * long migration or a stuck transaction locks them) holds each command that reads them on the
   * worker that carries it: a subscribe reading its room's head, a {@code snapshot} reading its
   * quote. At most {@code realtime.subscribe.max-in-progress} (16) subscribes and {@code
   * realtime.commands.max-in-progress} (8) other such commands are held; the others are answered
   * {@code SERVER_BUSY} after the busy wait (and once the places have not moved for that long, at
   * once), so REST and the frames of other connections are still served while the database does not
   * answer; and the held ones are answered {@code SERVER_BUSY} too once the pool's statement
   * timeout (10 s, postgres.asadmin) cancels their reads, so no worker waits longer than that. Once
   * the database answers, every command sent again is answered ok. PostgreSQL only: the test locks
   * the server's tables.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void commandsWaitingForADatabaseThatDoesNotAnswerAreBoundedInNumberAndInTime() throws Exception {
    int subscribeBound = 16;
    int commandBound = 8;
    int refusedPerKind = 4;
    int subscribing = subscribeBound + refusedPerKind;
    int reading = commandBound + refusedPerKind;
    String run = UUID.randomUUID().toString().substring(0, 8);
    String quoteRoom = "quote:" + Api.createQuote(base, "lock-customer-" + run);
    List<TestClient> subscribers = new ArrayList<>();
    List<TestClient> readers = new ArrayList<>();
    try (Bystander bystander = new Bystander(base, "lock-bystander-" + run);
        TestClient observer = TestClient.connect(base, Tokens.valid("lock-observer-" + run));
        Connection database = PostgresTestDatabase.connect()) {
      for (int i = 0; i < subscribing; i++) {
        String subject = "lock-" + run + "-" + i;
        subscribers.add(Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(subject))));
      }
      for (int i = 0; i < reading; i++) {
        String agent = "lock-agent-" + run + "-" + i;
        TestClient reader =
            Accepted.eventually(() -> TestClient.connect(base, Tokens.valid(agent, "quote:read")));
        readers.add(reader);
        assertEquals("ok", reader.subscribe(quoteRoom).getString("type"));
      }
      database.setAutoCommit(false);
      try (Statement lock = database.createStatement()) {
        lock.execute("LOCK TABLE room_sequences, quotes IN ACCESS EXCLUSIVE MODE");
      }
      Map<TestClient, String> subscribes = new LinkedHashMap<>();
      Map<TestClient, String> snapshots = new LinkedHashMap<>();
      for (int i = 0; i < subscribing; i++) {
        subscribes.put(
            subscribers.get(i),
            subscribers.get(i).send("subscribe", "\"room\":\"user:lock-" + run + "-" + i + "\""));
      }
      for (int i = 0; i < reading; i++) {
        snapshots.put(
            readers.get(i), readers.get(i).send("snapshot", "\"room\":\"" + quoteRoom + "\""));
      }
      List<TestClient> refused = answered(subscribes, refusedPerKind, TestClient.WAIT);
      List<TestClient> refusedSnapshots = answered(snapshots, refusedPerKind, TestClient.WAIT);
      assertEquals(refusedPerKind, refused.size(), "subscribes answered, the tables locked");
      assertEquals(
          refusedPerKind, refusedSnapshots.size(), "snapshots answered, the tables locked");
      assertServerBusy(refused, subscribes, "16 subscribes are in progress");
      assertServerBusy(refusedSnapshots, snapshots, "8 presence, snapshot, refresh and feature");
      // No place has moved since the lock, over a busy wait ago: the next is refused at once.
      TestClient again = refused.get(0);
      String room = "user:lock-" + run + "-" + subscribers.indexOf(again);
      Map<TestClient, String> late =
          Map.of(
              again,
              again.send("subscribe", "\"room\":\"" + room + "\""),
              refusedSnapshots.get(0),
              refusedSnapshots.get(0).send("snapshot", "\"room\":\"" + quoteRoom + "\""));
      assertEquals(2, answered(late, 2, TestClient.WAIT).size(), "late commands answered");
      assertServerBusy(List.copyOf(late.keySet()), late, "and none has finished for over 1000 ms");
      Api.Answer rest =
          Api.get(base, "api/v1/notifications/preferences", Tokens.valid("lock-rest-" + run));
      assertEquals(200, rest.status(), rest::toString);
      assertEquals("pong", observer.reply(observer.send("ping", "")).getString("type"));
      assertEquals(
          refused.size(),
          answered(subscribes, 0, Duration.ZERO).size(),
          "the held subscribes wait for the database");
      assertEquals(
          refusedSnapshots.size(),
          answered(snapshots, 0, Duration.ZERO).size(),
          "the held snapshots wait for the database");

      Duration timeout = STATEMENT_TIMEOUT.plus(TestClient.WAIT);
      List<TestClient> held = new ArrayList<>(answered(subscribes, subscribing, timeout));
      held.removeAll(refused);
      assertEquals(subscribeBound, held.size(), "subscribes answered at the statement timeout");
      assertServerBusy(held, subscribes, "statement timeout");
      held = new ArrayList<>(answered(snapshots, reading, timeout));
      held.removeAll(refusedSnapshots);
      assertEquals(commandBound, held.size(), "snapshots answered at the statement timeout");
      assertServerBusy(held, snapshots, "statement timeout");

      database.commit();
      for (int i = 0; i < subscribing; i++) {
        JsonObject answer = subscribers.get(i).subscribe("user:lock-" + run + "-" + i);
        assertEquals("ok", answer.getString("type"), answer::toString);
      }
      for (int i = 0; i < reading; i++) {
        JsonObject state =
            readers.get(i).reply(readers.get(i).send("snapshot", "\"room\":\"" + quoteRoom + "\""));
        assertEquals("ok", state.getString("type"), state::toString);
      }
      bystander.receivedEveryEventInOrder();
      assertTrue(
          bystander.publishesSentAgain() > 0,
          "the bystander's publish, held by the lock, was refused at the timeout and sent again");
    } finally {
      subscribers.forEach(TestClient::close);
      readers.forEach(TestClient::close);
    }
  }

  private static void assertServerBusy(
      List<TestClient> clients, Map<TestClient, String> sent, String messagePart) {
    for (TestClient client : clients) {
      JsonObject busy = client.replyIfCome(sent.get(client)).orElseThrow();
      assertEquals("SERVER_BUSY", busy.getString("code"), busy::toString);
      assertTrue(busy.getString("message").contains(messagePart), busy::toString);
      assertFalse(busy.getString("action").isBlank(), busy::toString);
    }
  }

  /**
   * The clients whose command was answered, once at least {@code count} are or {@code wait} has
   * passed.
   */
  private static List<TestClient> answered(Map<TestClient, String> sent, int count, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<TestClient> answered = new ArrayList<>();
    do {
      answered.clear();
      sent.forEach(
          (client, id) -> {
            if (client.replyIfCome(id).isPresent()) {
              answered.add(client);
            }
          });
      if (answered.size() >= count) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return answered;
  }

  @Test
  void inputTheJsonProviderRefusesGetsExactlyOneMalformedJsonEachAndIsCounted() throws Exception {
    List<String> refused =
        List.of(
            "[".repeat(10_000),
            "{\"id\":\"n1\",\"type\":\"ping\",\"n\":" + "9".repeat(60_000) + "}",
            "{\"id\":\"n2\",\"type\":\"ping\",\"n\":1e2147483648}",
            "{\"id\":\"n3\",\"type\":\"ping\",\"type\":\"subscribe\"}");
    try (TestClient client = TestClient.connect(base, Tokens.valid("rita"))) {
      double countedBefore = malformedJsonCounted();
      for (String frame : refused) {
        client.sendRaw(frame);
      }
      String ping = client.send("ping", "");
      assertEquals("pong", client.reply(ping).getString("type"), "the connection still works");
      List<JsonObject> errors =
          client.received().stream().filter(f -> "error".equals(f.getString("type"))).toList();
      assertEquals(refused.size(), errors.size(), "one reply per frame: " + errors);
      for (JsonObject error : errors) {
        assertEquals("MALFORMED_JSON", error.getString("code"));
        assertTrue(error.isNull("replyTo"), "no replyTo: the id was not read");
      }
      assertEquals(countedBefore + refused.size(), malformedJsonCounted(), "each one counted");
    }
  }

  private double malformedJsonCounted() throws Exception {
    return Api.serverText(base, "/metrics")
        .lines()
        .filter(l -> l.startsWith("realtime_errors_total{") && l.contains("\"MALFORMED_JSON\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void oversizedFrameClosesWith1009AndOthersAreUnaffected() throws Exception {
    try (TestClient bystander = TestClient.connect(base, Tokens.valid("nina"));
        TestClient big = TestClient.connect(base, Tokens.valid("oscar"))) {
      bystander.subscribe("user:nina");
      big.sendRaw("{\"id\":\"x\",\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertEquals(1009, big.awaitClose());
      Api.publish(base, "user:nina", "note.created", "{}");
      assertEquals(1, bystander.events("user:nina", 1).get(0).getJsonNumber("seq").longValue());
    }
  }

  @Test
  void floodIsRateLimitedThenClosedWith4029() throws Exception {
    try (TestClient bystander = TestClient.connect(base, Tokens.valid("pat"));
        TestClient flood = TestClient.connect(base, Tokens.valid("quinn"))) {
      bystander.subscribe("user:pat");
      // Far over 20/s, but each ping waits for its answer: a server that closes a socket with
      // unread input makes TCP reset it, and the reset can overtake the close frame (seen as 1006).
      try {
        for (int i = 0; i < 2000 && !flood.closeCode.isDone(); i++) {
          String id = flood.send("ping", "");
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (!flood.closeCode.isDone()
              && System.nanoTime() < until
              && flood.received().stream().noneMatch(f -> id.equals(f.getString("replyTo", "")))) {
            Thread.sleep(1);
          }
        }
      } catch (CompletionException closedWhileSending) {
        // The server closed the socket between two sends: that is the close this test waits for.
      }
      assertEquals(4029, flood.awaitClose(), () -> "closed with reason: " + flood.closeReason);
      assertTrue(
          flood.received().stream().anyMatch(f -> "RATE_LIMITED".equals(f.getString("code", ""))),
          "the flood was warned with RATE_LIMITED before being closed");
      Api.publish(base, "user:pat", "note.created", "{}");
      assertEquals(1, bystander.events("user:pat", 1).size());
    }
  }

  @Test
  void subscriptionsBeyondTheLimitAreRefused() throws Exception {
    try (TestClient rita = TestClient.connect(base, Tokens.valid("rita"))) {
      assertEquals("ok", rita.subscribe("user:rita").getString("type"));
      assertEquals(
          "ok", rita.subscribe("quote:" + Api.createQuote(base, "rita")).getString("type"));
      assertEquals(
          "ok", rita.subscribe("quote:" + Api.createQuote(base, "rita")).getString("type"));
      JsonObject refused = rita.subscribe("quote:" + Api.createQuote(base, "rita"));
      assertEquals("TOO_MANY_SUBSCRIPTIONS", refused.getString("code"));
    }
  }

  @Test
  void clientThatReadsTooSlowlyIsClosedWith4008AfterAGaplessPrefixWhileOthersGetEverything()
      throws Exception {
    String room = "user:sam";
    try (TestClient reader = TestClient.connect(base, Tokens.valid("sam"));
        TestClient slow = TestClient.connect(base, Tokens.valid("sam"))) {
      reader.subscribe(room);
      slow.subscribe(room);
      // Five frames a second, far below the publishing pace; the pongs keep the heartbeat satisfied
      // (under load its 9 s once ran out first and closed the slow client with 4002, not 4008).
      slow.readSlowly(Duration.ofMillis(200));
      slow.keepAliveWithoutReading(Duration.ofMillis(500));
      String data = "{\"pad\":\"" + "y".repeat(60_000) + "\"}";
      // One publisher, one event at a time: a pace a reading client keeps up with. Four at once,
      // once the relay stopped holding each publish request, left the reading client without
      // events for 15 s in one run (suspected: it fell 1 MiB behind and was closed 4008 too; the
      // check below now says so). Up to 600 events (36 MB) fill the loopback socket buffers
      // (several MB) and the slow client's 200-frame queue (12 MB).
      int published = 0;
      while (published < 600 && closedRowIfAny(slow) == null) {
        for (int i = 0; i < 10; i++) {
          Api.publish(base, room, "bulk.item", data);
          published++;
        }
      }
      JsonObject row =
          Api.closedConnectionRow(
              base, slow.welcome.getString("connectionId"), Duration.ofSeconds(60));
      assertEquals(4008, row.getInt("closeCode"), row.toString());
      assertFalse(
          reader.closeCode.isDone(),
          () ->
              "the reading client was closed: "
                  + reader.closeCode.join()
                  + " "
                  + reader.closeReason);
      List<JsonObject> events = reader.events(room, published);
      assertEquals(consecutiveFromOne(published), seqs(events), "every event, once, in order");
      reader.reply(reader.send("ping", ""));
      assertEquals(published, seqs(reader.received(), room).size(), "nothing after the last");

      // What the slow client got before its close is a prefix: the queue never skips an event.
      slow.readSlowly(Duration.ZERO);
      slow.awaitClose();
      List<Long> slowSeqs = seqs(slow.received(), room);
      assertTrue(slowSeqs.size() < published, "the slow client was closed before the end");
      assertEquals(consecutiveFromOne(slowSeqs.size()), slowSeqs, "a gapless prefix");
    }
  }

  @Test
  void clientThatStopsReadingIsClosedWith4008AfterTheSendTimeoutThoughItsRoomFallsSilent()
      throws Exception {
    String room = "user:stella";
    ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor();
    try (TestClient reader = TestClient.connect(base, Tokens.valid("stella"));
        RawSocket stalled = RawSocket.connect(base, Tokens.valid("stella"), 16 * 1024)) {
      reader.subscribe(room);
      String connectionId =
          awaitLine(stalled, f -> "welcome".equals(f.getString("type"))).getString("connectionId");
      stalled.text("{\"id\":\"s1\",\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
      awaitLine(stalled, f -> "s1".equals(f.getString("replyTo", "")));
      // From here on it reads nothing; unsolicited pongs keep the heartbeat satisfied, so only a
      // deadline on the stalled write can close it.
      pongs.scheduleWithFixedDelay(
          () -> {
            try {
              stalled.frame(0x8A, new byte[0]);
            } catch (IOException closed) {
              throw new UncheckedIOException(closed);
            }
          },
          0,
          500,
          TimeUnit.MILLISECONDS);
      // 12 MB: more than the socket buffers between server and client take (a few MB with
      // Linux's defaults), less than the test server's 16 MiB queue, so the queue never overflows
      // and the room is silent afterwards.
      String data = "{\"pad\":\"" + "z".repeat(60_000) + "\"}";
      int published = 200;
      for (int i = 0; i < published; i++) {
        Api.publish(base, room, "bulk.item", data);
      }
      JsonObject row = Api.closedConnectionRow(base, connectionId, Duration.ofSeconds(30));
      assertEquals(4008, row.getInt("closeCode"), row.toString());
      assertTrue(row.getString("closeReason").startsWith("a write waited "), row.toString());
      assertFalse(
          reader.closeCode.isDone(),
          () -> "the reading client was closed: " + reader.closeCode.join());
      List<JsonObject> events = reader.events(room, published);
      assertEquals(consecutiveFromOne(published), seqs(events), "every event, once, in order");
    } finally {
      pongs.shutdownNow();
    }
  }

  /** Reads a raw socket's frames, batched ones line by line, up to the first line that matches. */
  private static JsonObject awaitLine(RawSocket raw, Predicate<JsonObject> wanted)
      throws IOException {
    while (true) {
      for (String line : raw.readText().split("\n")) {
        JsonObject frame = Json.createReader(new StringReader(line)).readObject();
        if (wanted.test(frame)) {
          return frame;
        }
      }
    }
  }

  private static List<Long> seqs(List<JsonObject> events) {
    return events.stream().map(e -> e.getJsonNumber("seq").longValue()).toList();
  }

  private static List<Long> seqs(List<JsonObject> frames, String room) {
    return seqs(
        frames.stream()
            .filter(f -> "event".equals(f.getString("type")) && room.equals(f.getString("room")))
            .filter(f -> f.containsKey("seq"))
            .toList());
  }

  private static List<Long> consecutiveFromOne(int count) {
    return LongStream.rangeClosed(1, count).boxed().toList();
  }

  private JsonObject closedRowIfAny(TestClient client) throws Exception {
    Api.Answer row =
        Api.get(
            base,
            "api/v1/admin/connections/" + client.welcome.getString("connectionId"),
            Tokens.valid("operator", "admin:access"));
    return row.status() == 200 && "CLOSED".equals(row.body().getString("state"))
        ? row.body()
        : null;
  }

  private static void assertError(TestClient client, String code) throws InterruptedException {
    JsonObject error = client.next(f -> "error".equals(f.getString("type")));
    assertEquals(code, error.getString("code"));
    assertTrue(error.containsKey("action") && !error.getString("action").isEmpty());
  }
}
