package com.pdprime.realtime.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API as a careless or hostile backend sees it: every refusal is a JSON body with a code,
 * a message and an action (never an HTML page or a stack trace), server-owned event names are
 * refused, and a retried publish with the same Idempotency-Key stores one event.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestApiIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PUBLISHER = Tokens.valid("backend-rest", "realtime:publish");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  /** An answer as the client receives it: status, content type and the raw body. */
  record Raw(int status, String contentType, String body, HttpResponse<String> response) {
    JsonObject json() {
      assertTrue(
          contentType.startsWith("application/json"), "JSON, not " + contentType + ": " + body);
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      }
    }

    /** The documented error shape, and nothing a stack trace or an HTML page would add. */
    JsonObject error(int expectedStatus, String expectedCode) {
      assertEquals(expectedStatus, status, body);
      JsonObject error = json();
      assertEquals(expectedCode, error.getString("code"), body);
      assertFalse(error.getString("message").isBlank(), body);
      assertFalse(error.getString("action").isBlank(), body);
      assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace: " + body);
      return error;
    }
  }

  private Raw send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Raw(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body(),
        response);
  }

  private HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(Local.uri(base, path));
  }

  private Raw publish(String room, String token, String body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        to("api/v1/rooms/" + room + "/events")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request);
  }

  private Raw publish(String room, String body) throws Exception {
    return publish(room, PUBLISHER, body, null);
  }

  // --- bodies the JSON provider refuses ---

  @Test
  void bodiesThatAreNotAcceptableJsonAre400MalformedJson() throws Exception {
    List<String> bodies =
        List.of(
            "{\"name\":",
            "{\"name\":\"note.created\",\"data\":{}} {}",
            "[".repeat(10_000),
            "{\"name\":\"note.created\",\"data\":{\"n\":" + "9".repeat(60_000) + "}}",
            "{\"name\":\"note.created\",\"data\":{\"n\":1e2147483648}}",
            "{\"name\":\"note.created\",\"name\":\"quote.premium.calculated\",\"data\":{}}");
    for (String body : bodies) {
      publish("user:rest-malformed", body).error(400, "MALFORMED_JSON");
    }
  }

  @Test
  void invalidUtf8IsMalformedJsonNotReplaced() throws Exception {
    byte[] body =
        "{\"name\":\"note.created\",\"data\":{\"t\":\"??\"}}".getBytes(StandardCharsets.UTF_8);
    body[body.length - 5] = (byte) 0xC3;
    body[body.length - 4] = (byte) 0x28;
    send(to("api/v1/rooms/user:rest-utf8/events")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + PUBLISHER)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)))
        .error(400, "MALFORMED_JSON");
  }

  @Test
  void wrongShapesAndTypesAreNamedErrors() throws Exception {
    publish("user:rest-types", "[1,2]").error(400, "INVALID_FRAME");
    publish("user:rest-types", "{\"name\":42,\"data\":{}}").error(400, "INVALID_FIELD");
    publish("user:rest-types", "{\"name\":\"note.created\",\"data\":[]}")
        .error(400, "INVALID_FIELD");
    publish("user:rest-types", "{\"data\":{}}").error(400, "MISSING_FIELD");
  }

  // --- sizes and ranges checked before the database ---

  @Test
  void bodyDeclaredOverTheCapIs413BeforeAnyOfItIsSent() throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(publishHead("user:rest-big", "Content-Length: 300000"));
      out.flush();
      TooLargeAnswer.assertRead(socket, false);
    }
  }

  @Test
  void chunkedBodyIsCutOffWith413OnceItPassesTheCap() throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(publishHead("user:rest-big", "Transfer-Encoding: chunked"));
      Thread sender =
          new Thread(
              () -> {
                byte[] chunk = ("2000\r\n" + "x".repeat(0x2000) + "\r\n").getBytes(US_ASCII);
                try {
                  out.write("1B\r\n{\"name\":\"a.b\",\"data\":{\"t\":\"\r\n".getBytes(US_ASCII));
                  // 4 MiB unless the server answers and closes first.
                  for (int i = 0; i < 512; i++) {
                    out.write(chunk);
                  }
                } catch (IOException closedByTheServer) {
                  // The server stopped reading after the cap: that is the behaviour under test.
                }
              });
      sender.start();
      TooLargeAnswer.assertRead(socket, true);
      sender.join(TestClient.WAIT.toMillis());
    }
  }

  // --- bodies that stop coming ---

  /**
   * Publishers that close their connections partway through the body store nothing and are counted
   * (no answer can reach them), while a bystander keeps receiving every event in order; the room's
   * next publish is its first event.
   */
  @Test
  void publishesWhoseClientsLeaveMidBodyStoreNothingAndAreCounted() throws Exception {
    String subject = "rest-left-" + UUID.randomUUID();
    String room = "user:" + subject;
    String body = "{\"name\":\"note.created\",\"data\":{\"text\":\"never whole\"}}";
    int left = 5;
    long before = unfinishedBodies("closed");
    try (Bystander bystander = new Bystander(base, "rest-left-bystander");
        TestClient subscriber = TestClient.connect(base, Tokens.valid(subject))) {
      subscriber.subscribe(room);
      for (int i = 0; i < left; i++) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
          OutputStream out = socket.getOutputStream();
          out.write(publishHead(room, "Content-Length: " + body.length()));
          out.write(body.substring(0, 20).getBytes(US_ASCII));
          out.flush();
          // Every other one leaves at once, before the server's first read of the body; the others
          // while the server waits in a read for the rest.
          if (i % 2 == 1) {
            Thread.sleep(300);
          }
        }
      }
      assertCountedAsLeft(before + left);

      Raw whole = publish(room, "{\"name\":\"note.created\",\"data\":{\"text\":\"whole\"}}");
      assertEquals(201, whole.status(), whole.body());
      assertEquals(1, whole.json().getInt("seq"), "nothing was stored before it");
      JsonObject first = subscriber.events(room, 1).get(0);
      assertEquals(1, first.getInt("seq"));
      assertEquals("whole", first.getJsonObject("data").getString("text"));
      bystander.receivedEveryEventInOrder();
    }
  }

  /**
   * Publishers that stop sending partway through the body (their connections half closed, so an
   * answer can still reach them) are never answered from bytes they did not send: on WildFly the
   * container's stream, once failed, handed the next read up to 8 KB of earlier requests and
   * answers, and the parser refused that as MALFORMED_JSON (docs/operations.md §5.6). Each is
   * counted as gone and stores nothing. WildFly answers them 400 BODY_INCOMPLETE; Payara's Grizzly
   * closes a connection whose client stopped sending, so there they get no answer at all. Undertow
   * drops a chunked body's request whose client stops before the last chunk without handing it to
   * the application: on WildFly those are neither answered nor counted (docs/operations.md §5.6).
   */
  @Test
  void publishersThatStopSendingMidBodyAreNeverAnsweredFromBytesTheyDidNotSend() throws Exception {
    String room = "user:rest-half-closed-" + UUID.randomUUID();
    String body = "{\"name\":\"note.created\",\"data\":{\"text\":\"never whole\"}}";
    String part = body.substring(0, 30);
    int left = 4;
    boolean onWildFly = ServerUnderTest.CURRENT == ServerUnderTest.WILDFLY;
    long before = unfinishedBodies("closed");
    try (Bystander bystander = new Bystander(base, "rest-half-closed-bystander")) {
      for (int i = 0; i < left; i++) {
        assertEquals(201, publish(room, body).status(), "a whole publish before each");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
          socket.setSoTimeout(15_000);
          OutputStream out = socket.getOutputStream();
          // Every other one chunked: one whole chunk, no last chunk.
          boolean chunked = i % 2 == 1;
          if (!chunked) {
            out.write(publishHead(room, "Content-Length: " + body.length()));
            out.write(part.getBytes(US_ASCII));
          } else {
            out.write(publishHead(room, "Transfer-Encoding: chunked"));
            out.write(("1E\r\n" + part + "\r\n").getBytes(US_ASCII));
          }
          out.flush();
          socket.shutdownOutput();
          PushbackInputStream in = new PushbackInputStream(socket.getInputStream());
          int first = in.read();
          if (first < 0) {
            assertFalse(
                onWildFly && !chunked, "Undertow answers a half-closed Content-Length body");
          } else {
            in.unread(first);
            RawAnswer answer = RawAnswer.read(in);
            answer.error(400, "BODY_INCOMPLETE");
            assertTrue(answer.closesTheConnection(), answer.head());
          }
        }
      }
      assertCountedAsLeft(before + (onWildFly ? left / 2 : left));
      Raw whole = publish(room, body);
      assertEquals(left + 1, whole.json().getInt("seq"), "only the whole publishes were stored");
      bystander.receivedEveryEventInOrder();
    }
  }

  /**
   * A publisher whose body stops coming but who stays connected is answered 408 BODY_TIMEOUT once
   * the body deadline passes (10 s, realtime.rest.body-deadline-ms), and its worker is free again:
   * on WildFly, whose listener has no read timeout, the deadline ends the worker's wait in the
   * read.
   */
  @Test
  void aPublishWhoseBodyStopsComingIsAnswered408AndStoresNothing() throws Exception {
    String room = "user:rest-stalled-" + UUID.randomUUID();
    long before = unfinishedBodies("timeout");
    try (Bystander bystander = new Bystander(base, "rest-stalled-bystander");
        Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(publishHead(room, "Content-Length: 60"));
      out.write("{\"name\":\"note.created\",".getBytes(US_ASCII));
      out.flush();
      assertTimedOutAndNothingStored(RawAnswer.read(socket), room, before);
      bystander.receivedEveryEventInOrder();
    }
  }

  /**
   * A publisher trickling its body a byte at a time, each within the read timeout, is answered 408
   * BODY_TIMEOUT once the body deadline has passed (10 s, realtime.rest.body-deadline-ms), on
   * Payara and WildFly alike; the worker it held is free again.
   */
  @Test
  void aPublishWhoseBodyIsTrickledIsAnswered408AtTheDeadline() throws Exception {
    String room = "user:rest-trickled-" + UUID.randomUUID();
    String body = "{\"name\":\"note.created\",\"data\":{\"text\":\"" + "x".repeat(40) + "\"}}";
    long before = unfinishedBodies("timeout");
    try (Bystander bystander = new Bystander(base, "rest-trickled-bystander");
        Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(publishHead(room, "Content-Length: " + body.length()));
      out.flush();
      Thread trickle =
          new Thread(
              () -> {
                try {
                  for (byte b : body.getBytes(US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(500); // all of it would take 31 s
                  }
                } catch (IOException closedByTheServer) {
                  // The server answered and closed: the behaviour under test.
                } catch (InterruptedException stopped) {
                  Thread.currentThread().interrupt();
                }
              });
      trickle.start();
      RawAnswer answer = RawAnswer.read(socket);
      trickle.interrupt();
      assertTimedOutAndNothingStored(answer, room, before);
      bystander.receivedEveryEventInOrder();
    }
  }

  private void assertTimedOutAndNothingStored(RawAnswer answer, String room, long timeoutsBefore)
      throws Exception {
    answer.error(408, "BODY_TIMEOUT");
    assertTrue(answer.closesTheConnection(), answer.head());
    assertEquals(timeoutsBefore + 1, unfinishedBodies("timeout"), "counted as timed out");
    Raw whole = publish(room, "{\"name\":\"note.created\",\"data\":{}}");
    assertEquals(1, whole.json().getInt("seq"), "nothing was stored before it");
  }

  private void assertCountedAsLeft(long expected) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (unfinishedBodies("closed") < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(expected, unfinishedBodies("closed"), "bodies counted as left unfinished");
  }

  private long unfinishedBodies(String reason) throws Exception {
    return Api.serverText(base, "/metrics")
        .lines()
        .filter(
            line ->
                line.startsWith("realtime_rest_unfinished_bodies_total{")
                    && line.contains("reason=\"" + reason + "\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private byte[] publishHead(String room, String lengthHeader) {
    return ("POST "
            + Local.uri(base, "api/v1/rooms/" + room + "/events").getRawPath()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer "
            + PUBLISHER
            + "\r\n"
            + lengthHeader
            + "\r\n\r\n")
        .getBytes(US_ASCII);
  }

  @Test
  void overLongCustomerTextsAndHugeVersionsAre400NotDatabaseErrors() throws Exception {
    String writer = Tokens.valid("agent-rest", "quote:read", "quote:write");
    Api.Answer longName =
        Api.post(
            base,
            "api/v1/quotes",
            writer,
            "{\"customerSubject\":\"c-long\",\"customerName\":\"" + "n".repeat(201) + "\"}");
    assertEquals(400, longName.status(), String.valueOf(longName.body()));
    assertEquals("INVALID_FIELD", longName.body().getString("code"));
    Api.Answer longSubject =
        Api.post(
            base,
            "api/v1/quotes",
            writer,
            "{\"customerSubject\":\"" + "s".repeat(201) + "\",\"customerName\":\"C\"}");
    assertEquals(400, longSubject.status(), String.valueOf(longSubject.body()));

    String quote = Api.createQuote(base, "c-versions");
    for (String version : List.of("18446744073709551616", "1e2147483647", "-1", "\"0\"", "0.5")) {
      Api.Answer refused =
          Api.put(
              base,
              "api/v1/quotes/" + quote + "/fields/state",
              writer,
              "{\"value\":\"CA\",\"version\":" + version + "}");
      assertEquals(400, refused.status(), version + ": " + refused.body());
      assertEquals("INVALID_FIELD", refused.body().getString("code"));
    }
    JsonObject snapshot = Api.get(base, "api/v1/quotes/" + quote, writer).body();
    assertFalse(snapshot.getJsonObject("fields").containsKey("state"), "nothing was written");
  }

  @Test
  void anUpperCaseQuoteIdFindsTheSameQuoteAsOnTheSocket() throws Exception {
    String reader = Tokens.valid("agent-case", "quote:read");
    String quote = Api.createQuote(base, "c-case");
    Api.Answer upper = Api.get(base, "api/v1/quotes/" + quote.toUpperCase(Locale.ROOT), reader);
    assertEquals(200, upper.status(), String.valueOf(upper.body()));
    assertEquals(quote, upper.body().getString("id"));
    Api.Answer notAUuid = Api.get(base, "api/v1/quotes/not-a-uuid", reader);
    assertEquals(404, notAUuid.status());
    assertEquals("NOT_FOUND", notAUuid.body().getString("code"));
  }

  @Test
  void theTestOnlyNotificationClockIsAbsentWithoutItsKey() throws Exception {
    Api.Answer clock =
        Api.post(
            base,
            "api/v1/test/notifications/clock",
            Tokens.valid("clock-setter", "notifications:send"),
            "{\"now\":\"2026-12-02T08:00:00Z\"}");
    assertEquals(404, clock.status());
    assertEquals("NOT_FOUND", clock.body().getString("code"));
  }

  // --- errors the JAX-RS runtime raises ---

  @Test
  void unknownPathWrongMethodAndWrongMediaTypeAnswerJson() throws Exception {
    send(to("api/v1/nothing-here").header("Authorization", "Bearer " + PUBLISHER).GET())
        .error(404, "NOT_FOUND");
    Raw wrongMethod =
        send(
            to("api/v1/rooms/user:rest-method/events")
                .header("Authorization", "Bearer " + PUBLISHER)
                .DELETE());
    wrongMethod.error(405, "METHOD_NOT_ALLOWED");
    assertTrue(
        wrongMethod.response().headers().firstValue("Allow").orElse("").contains("POST"),
        "Allow names POST");
    send(to("api/v1/rooms/user:rest-media/events")
            .header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + PUBLISHER)
            .POST(HttpRequest.BodyPublishers.ofString("hello")))
        .error(415, "UNSUPPORTED_MEDIA_TYPE");
    send(to("api/v1/rooms/user:rest-media/events")
            .header("Content-Type", "application/json")
            .header("Accept", "text/html")
            .header("Authorization", "Bearer " + PUBLISHER)
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"note.created\",\"data\":{}}")))
        .error(406, "NOT_ACCEPTABLE");
    Raw stored = publish("user:rest-media", "{\"name\":\"note.created\",\"data\":{}}");
    assertEquals(201, stored.status(), stored.body());
    assertEquals(
        1,
        stored.json().getJsonNumber("seq").longValue(),
        "none of the refused requests was stored: this is the room's first event");
  }

  @Test
  void aMissingPermissionIsA403InTheErrorShape() throws Exception {
    publish("user:rest-perm", Tokens.valid("no-publish"), "{\"name\":\"a.b\",\"data\":{}}", null)
        .error(403, "FORBIDDEN");
  }

  // --- server-owned event names ---

  @Test
  void serverOwnedEventNamesAreRefusedAndNeverReachTheRoom() throws Exception {
    String quote = Api.createQuote(base, "c-spoof");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("c-spoof"))) {
      long created =
          customer.subscribe(room).getJsonObject("data").getJsonNumber("seq").longValue();
      for (String name :
          List.of(
              "quote.created",
              "quote.premium.calculated",
              "quote.field.changed",
              "quote.status.changed",
              "quote.editing",
              "quote.calculation.progress",
              "quote.calculation.failed",
              "presence.join",
              "presence.leave",
              "dashboard.snapshot",
              "dashboard.delta",
              "notification",
              "notification.read",
              "alert.raised",
              "alert.repeated",
              "alert.acknowledged",
              "alert.resolved",
              "admin.activity")) {
        publish(
                room,
                "{\"name\":\""
                    + name
                    + "\",\"data\":{\"premium\":{\"total\":1},\"by\":{\"subject\":\"boss\"}}}")
            .error(403, "RESERVED_EVENT_NAME");
      }
      assertEquals(201, publish(room, "{\"name\":\"note.created\",\"data\":{}}").status());
      JsonObject first = customer.events(room, 1).get(0);
      assertEquals("note.created", first.getString("name"), "no reserved event got through");
      assertEquals(created + 1, first.getJsonNumber("seq").longValue());
    }
  }

  // --- Idempotency-Key ---

  @Test
  void aRetryWithTheSameKeyGetsTheFirstPlaceAndStoresNothing() throws Exception {
    String room = "user:idem-retry";
    String key = UUID.randomUUID().toString();
    String body = "{\"name\":\"note.created\",\"data\":{\"n\":1}}";
    try (TestClient reader = TestClient.connect(base, Tokens.valid("idem-retry"))) {
      reader.subscribe(room);
      JsonObject first = publish(room, PUBLISHER, body, key).json();
      Raw retry = publish(room, PUBLISHER, body, key);
      assertEquals(201, retry.status(), retry.body());
      assertEquals(first, retry.json(), "the first publish's {room, epoch, seq}");
      assertEquals("true", retry.response().headers().firstValue("Idempotent-Replayed").orElse(""));

      assertEquals(
          2,
          publish(room, PUBLISHER, "{\"name\":\"note.created\",\"data\":{\"n\":2}}", null)
              .json()
              .getJsonNumber("seq")
              .longValue(),
          "the retry took no seq");
      List<JsonObject> events = reader.events(room, 2);
      assertEquals(1, events.get(0).getJsonObject("data").getInt("n"));
      assertEquals(2, events.get(1).getJsonObject("data").getInt("n"), "no second copy of n=1");
    }
  }

  @Test
  void concurrentRetriesStoreOneEventAndAllGetItsPlace() throws Exception {
    String room = "user:idem-race";
    String key = UUID.randomUUID().toString();
    String body = "{\"name\":\"note.created\",\"data\":{\"n\":1}}";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Raw>> retries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        retries.add(() -> publish(room, PUBLISHER, body, key));
      }
      List<Long> seqs = new ArrayList<>();
      for (Future<Raw> answer : pool.invokeAll(retries)) {
        Raw raw = answer.get();
        if (raw.status() == 409) {
          raw.error(409, "IDEMPOTENCY_KEY_IN_USE");
          continue;
        }
        assertEquals(201, raw.status(), raw.body());
        seqs.add(raw.json().getJsonNumber("seq").longValue());
      }
      assertFalse(seqs.isEmpty(), "at least the first publish succeeded");
      assertTrue(seqs.stream().allMatch(seq -> seq == 1), "all got the one event: " + seqs);
      assertEquals(1, publish(room, PUBLISHER, body, key).json().getJsonNumber("seq").longValue());
      assertEquals(
          2,
          publish(room, "{\"name\":\"note.created\",\"data\":{\"n\":2}}")
              .json()
              .getJsonNumber("seq")
              .longValue(),
          "exactly one event was stored for the key");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyReusedForADifferentPublishOrMalformedIsRefused() throws Exception {
    String key = UUID.randomUUID().toString();
    assertEquals(
        201,
        publish("user:idem-reuse", PUBLISHER, "{\"name\":\"note.created\",\"data\":{}}", key)
            .status());
    publish("user:idem-reuse", PUBLISHER, "{\"name\":\"note.created\",\"data\":{\"x\":1}}", key)
        .error(422, "IDEMPOTENCY_KEY_REUSED");
    publish(
            "user:idem-reuse",
            PUBLISHER,
            "{\"name\":\"note.created\",\"data\":{}}",
            "x".repeat(201))
        .error(400, "INVALID_HEADER");
    String otherPublisher = Tokens.valid("backend-other", "realtime:publish");
    assertEquals(
        201,
        publish("user:idem-reuse", otherPublisher, "{\"name\":\"note.created\",\"data\":{}}", key)
            .status(),
        "keys belong to their publisher");
  }

  @Test
  void aRetriedFieldChangeWithTheSameKeyAnswersAsTheFirstAndChangesNothing() throws Exception {
    String writer = Tokens.valid("agent-idem", "quote:read", "quote:write");
    String quote = Api.createQuote(base, "c-idem");
    String key = UUID.randomUUID().toString();
    String body = "{\"value\":\"CA\",\"version\":0}";
    Raw first = change(quote, writer, body, key);
    assertEquals(200, first.status(), first.body());
    Raw retry = change(quote, writer, body, key);
    assertEquals(200, retry.status(), "not 409 EDIT_CONFLICT: " + retry.body());
    assertEquals(first.json(), retry.json());
    assertEquals("true", retry.response().headers().firstValue("Idempotent-Replayed").orElse(""));
    JsonObject state =
        Api.get(base, "api/v1/quotes/" + quote, writer).body().getJsonObject("fields");
    assertEquals(1, state.getJsonObject("state").getInt("version"), "changed once");

    change(quote, writer, "{\"value\":\"NV\",\"version\":0}", key)
        .error(422, "IDEMPOTENCY_KEY_REUSED");
    String conflictKey = UUID.randomUUID().toString();
    assertEquals(
        409, change(quote, writer, "{\"value\":\"NV\",\"version\":0}", conflictKey).status());
    assertEquals(
        200,
        change(quote, writer, "{\"value\":\"NV\",\"version\":1}", conflictKey).status(),
        "a conflict keeps no key: the corrected retry is judged afresh");
  }

  private Raw change(String quote, String token, String body, String idempotencyKey)
      throws Exception {
    return send(
        to("api/v1/quotes/" + quote + "/fields/state")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", idempotencyKey)
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }
}
