package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.RefusingTrigger;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/** A customer and agents working on one quote at once, as they see it over their sockets. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class QuoteCollaborationIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void subscribingSendsTheQuoteStateFirst() throws Exception {
    String quote = Api.createQuote(base, "cust-snap");
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-snap"))) {
      edit(customer, quote, "state", "\"OH\"", 0);
      JsonObject data = customer.subscribe("quote:" + quote).getJsonObject("data");
      JsonObject snapshot = data.getJsonObject("snapshot");
      assertEquals("DRAFT", snapshot.getString("status"));
      assertEquals(
          "OH", snapshot.getJsonObject("fields").getJsonObject("state").getString("value"));
      assertEquals(1, snapshot.getJsonObject("fields").getJsonObject("state").getInt("version"));
    }
  }

  @Test
  void resumingFromBeforeTheReplayBoundGetsTheReasonAndTheSnapshot() throws Exception {
    String quote = Api.createQuote(base, "cust-behind");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-behind"))) {
      String epoch = customer.subscribe(room).getJsonObject("data").getString("epoch");
      // The test server replays at most 5 events (arquillian.xml); 8 edits put seq 1 out of reach.
      for (int version = 0; version < 8; version++) {
        edit(customer, quote, "vehicles.1.annualMiles", Integer.toString(1000 + version), version);
      }
      customer.events(room, 8);
      String id =
          customer.send(
              "subscribe",
              "\"room\":\"" + room + "\",\"since\":{\"epoch\":\"" + epoch + "\",\"seq\":1}");
      assertEquals("ALREADY_SUBSCRIBED", customer.reply(id).getString("code"));
      customer.reply(customer.send("unsubscribe", "\"room\":\"" + room + "\""));
      String resume =
          customer.send(
              "subscribe",
              "\"room\":\"" + room + "\",\"since\":{\"epoch\":\"" + epoch + "\",\"seq\":1}");
      JsonObject data = customer.reply(resume).getJsonObject("data");
      assertFalse(data.getBoolean("recovered"));
      assertEquals("TOO_FAR_BEHIND", data.getString("reason"));
      JsonObject miles =
          data.getJsonObject("snapshot")
              .getJsonObject("fields")
              .getJsonObject("vehicles.1.annualMiles");
      assertEquals(1007, miles.getInt("value"));
      assertEquals(8, miles.getInt("version"));
    }
  }

  @Test
  void twoEditorsOfOneFieldAtOnceExactlyOneWinsAndBothSeeTheSameOrder() throws Exception {
    String quote = Api.createQuote(base, "cust-race");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-race"));
        TestClient agent =
            TestClient.connect(base, Tokens.valid("agent-race", "quote:read", "quote:write"))) {
      customer.subscribe(room);
      agent.subscribe(room);
      String a = customer.send("edit", editFields(quote, "vehicles.1.make", "\"Subaru\"", 0));
      String b = agent.send("edit", editFields(quote, "vehicles.1.make", "\"Toyota\"", 0));
      JsonObject replyA = customer.reply(a);
      JsonObject replyB = agent.reply(b);
      List<JsonObject> replies = List.of(replyA, replyB);
      assertEquals(1, replies.stream().filter(r -> "ok".equals(r.getString("type"))).count());
      JsonObject conflict =
          replies.stream()
              .filter(r -> "error".equals(r.getString("type")))
              .findFirst()
              .orElseThrow();
      assertEquals("EDIT_CONFLICT", conflict.getString("code"));
      JsonObject winner =
          replies.stream().filter(r -> "ok".equals(r.getString("type"))).findFirst().orElseThrow();
      JsonObject current = conflict.getJsonObject("details").getJsonObject("current");
      assertEquals(winner.getJsonObject("data").getString("value"), current.getString("value"));
      assertEquals(1, current.getInt("version"));

      String after = current.getString("value");
      JsonObject retry =
          agent.reply(agent.send("edit", editFields(quote, "vehicles.1.make", "\"Honda\"", 1)));
      assertEquals("ok", retry.getString("type"), "the loser edits again on the current version");
      List<JsonObject> seenByCustomer = customer.events(room, 2);
      List<JsonObject> seenByAgent = agent.events(room, 2);
      assertEquals(sequence(seenByCustomer), sequence(seenByAgent));
      assertEquals(after, seenByCustomer.get(0).getJsonObject("data").getString("value"));
      assertEquals("Honda", seenByCustomer.get(1).getJsonObject("data").getString("value"));
    }
  }

  @Test
  void premiumAmountsReachOnlyHoldersOfPremiumView() throws Exception {
    String quote = Api.createQuote(base, "cust-premium");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-premium"));
        TestClient underwriter =
            TestClient.connect(base, Tokens.valid("uw", "quote:read", "premium:view"))) {
      fillRateableQuote(customer, quote);
      customer.subscribe(room);
      underwriter.subscribe(room);
      String calc = customer.send("calculate", "\"room\":\"" + room + "\"");
      assertEquals("ok", customer.reply(calc).getString("type"));

      JsonObject seenByUnderwriter =
          underwriter.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));
      JsonObject seenByCustomer =
          customer.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));
      String total =
          seenByUnderwriter.getJsonObject("data").getJsonObject("premium").get("total").toString();
      assertFalse(seenByCustomer.getJsonObject("data").containsKey("premium"));
      assertEquals("QUOTED", seenByCustomer.getJsonObject("data").getString("status"));

      // Re-subscribing shows the state: the snapshot too carries the premium only for the holder.
      customer.reply(customer.send("unsubscribe", "\"room\":\"" + room + "\""));
      customer.subscribe(room);
      underwriter.reply(underwriter.send("unsubscribe", "\"room\":\"" + room + "\""));
      assertTrue(
          underwriter
              .subscribe(room)
              .getJsonObject("data")
              .getJsonObject("snapshot")
              .containsKey("premium"));
      assertNoPremiumIn(customer, total);
    }
  }

  @Test
  void aRefreshWithoutPremiumViewStopsPremiumAmountsFromTheNextEventOnAndOneWithItRestoresThem()
      throws Exception {
    String quote = Api.createQuote(base, "cust-refresh");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-refresh"));
        TestClient underwriter =
            TestClient.connect(base, Tokens.valid("uw-refresh", "quote:read", "premium:view"));
        TestClient bystander =
            TestClient.connect(base, Tokens.valid("uw-bystander", "quote:read", "premium:view"))) {
      fillRateableQuote(customer, quote);
      underwriter.subscribe(room);
      bystander.subscribe(room);
      JsonObject downgraded =
          underwriter.reply(
              underwriter.send(
                  "refresh", "\"token\":\"" + Tokens.valid("uw-refresh", "quote:read") + "\""));
      assertEquals("ok", downgraded.getString("type"), downgraded.toString());
      assertEquals(0, downgraded.getJsonObject("data").getJsonArray("revoked").size());

      customer.reply(customer.send("calculate", "\"room\":\"" + room + "\""));
      String total =
          bystander
              .next(f -> "quote.premium.calculated".equals(f.getString("name", "")))
              .getJsonObject("data")
              .getJsonObject("premium")
              .get("total")
              .toString();
      JsonObject withoutView =
          underwriter.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));
      assertEquals("QUOTED", withoutView.getJsonObject("data").getString("status"));
      underwriter.reply(underwriter.send("unsubscribe", "\"room\":\"" + room + "\""));
      assertFalse(
          underwriter
              .subscribe(room)
              .getJsonObject("data")
              .getJsonObject("snapshot")
              .containsKey("premium"),
          "the snapshot after the refresh");
      assertNoPremiumIn(underwriter, total);

      JsonObject restored =
          underwriter.reply(
              underwriter.send(
                  "refresh",
                  "\"token\":\""
                      + Tokens.valid("uw-refresh", "quote:read", "premium:view")
                      + "\""));
      assertEquals("ok", restored.getString("type"), restored.toString());
      customer.reply(customer.send("calculate", "\"room\":\"" + room + "\""));
      JsonObject withView =
          underwriter.next(
              f ->
                  "quote.premium.calculated".equals(f.getString("name", ""))
                      && f.getJsonObject("data").containsKey("premium"));
      assertEquals(
          "QUOTED", withView.getJsonObject("data").getString("status"), withView.toString());
    }
  }

  @Test
  void premiumAmountsReachOnlyHoldersOfPremiumViewInReplayedEventsToo() throws Exception {
    String quote = Api.createQuote(base, "cust-replay");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-replay"));
        TestClient underwriter =
            TestClient.connect(base, Tokens.valid("uw-replay", "quote:read", "premium:view"));
        TestClient watcher = TestClient.connect(base, Tokens.valid("agent-w", "quote:read"))) {
      fillRateableQuote(customer, quote);
      watcher.subscribe(room);
      String since = since(customer.subscribe(room).getJsonObject("data"));
      underwriter.subscribe(room);
      customer.reply(customer.send("unsubscribe", "\"room\":\"" + room + "\""));
      underwriter.reply(underwriter.send("unsubscribe", "\"room\":\"" + room + "\""));

      // Calculated while both are away: they get the result only by replay from history.
      Api.Answer started =
          Api.post(
              base, "api/v1/quotes/" + quote + "/calculate", Tokens.valid("cust-replay"), null);
      assertEquals(202, started.status(), () -> String.valueOf(started.body()));
      watcher.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));

      JsonObject resumedByUnderwriter =
          underwriter.reply(
              underwriter.send("subscribe", "\"room\":\"" + room + "\",\"since\":" + since));
      assertTrue(resumedByUnderwriter.getJsonObject("data").getBoolean("recovered"));
      JsonObject replayedToUnderwriter =
          underwriter.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));
      String total =
          replayedToUnderwriter
              .getJsonObject("data")
              .getJsonObject("premium")
              .get("total")
              .toString();

      JsonObject resumedByCustomer =
          customer.reply(
              customer.send("subscribe", "\"room\":\"" + room + "\",\"since\":" + since));
      assertTrue(resumedByCustomer.getJsonObject("data").getBoolean("recovered"));
      JsonObject replayedToCustomer =
          customer.next(f -> "quote.premium.calculated".equals(f.getString("name", "")));
      assertEquals(
          replayedToUnderwriter.getJsonNumber("seq"), replayedToCustomer.getJsonNumber("seq"));
      assertEquals("QUOTED", replayedToCustomer.getJsonObject("data").getString("status"));
      assertFalse(replayedToCustomer.getJsonObject("data").containsKey("premium"));
      assertNoPremiumIn(customer, total);
    }
  }

  @Test
  void progressArrivesInStageOrderBeforeTheResult() throws Exception {
    String quote = Api.createQuote(base, "cust-progress");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-progress"))) {
      fillRateableQuote(customer, quote);
      customer.subscribe(room);
      customer.reply(customer.send("calculate", "\"room\":\"" + room + "\""));
      List<String> stages = new ArrayList<>();
      JsonObject frame;
      do {
        frame =
            customer.next(
                f ->
                    f.getString("name", "").startsWith("quote.calculation.progress")
                        || "quote.premium.calculated".equals(f.getString("name", "")));
        if (frame.getString("name").equals("quote.calculation.progress")) {
          stages.add(frame.getJsonObject("data").getString("stage"));
          assertTrue(frame.getBoolean("ephemeral"));
        }
      } while (!"quote.premium.calculated".equals(frame.getString("name")));
      assertEquals(
          List.of(
              "validating",
              "rating-vehicles",
              "rating-drivers",
              "applying-coverages",
              "finalizing"),
          stages);
    }
  }

  @Test
  void calculationWithMissingFieldsFailsWithTheReason() throws Exception {
    String quote = Api.createQuote(base, "cust-incomplete");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-incomplete"))) {
      customer.subscribe(room);
      customer.reply(customer.send("calculate", "\"room\":\"" + room + "\""));
      JsonObject failed =
          customer.next(f -> "quote.calculation.failed".equals(f.getString("name", "")));
      assertTrue(failed.containsKey("seq"), "a failure is durable");
      assertTrue(
          failed.getJsonObject("data").getJsonArray("missingFields").toString().contains("state"));
    }
  }

  @Test
  void customersCannotReachOthersQuotesAndReadOnlyAgentsCannotEdit() throws Exception {
    String quote = Api.createQuote(base, "cust-owner");
    try (TestClient stranger = TestClient.connect(base, Tokens.valid("cust-stranger"));
        TestClient reader = TestClient.connect(base, Tokens.valid("agent-ro", "quote:read"))) {
      assertEquals("FORBIDDEN_ROOM", stranger.subscribe("quote:" + quote).getString("code"));
      assertEquals(
          "FORBIDDEN_ACTION", edit(stranger, quote, "state", "\"TX\"", 0).getString("code"));
      assertEquals("ok", reader.subscribe("quote:" + quote).getString("type"));
      assertEquals("FORBIDDEN_ACTION", edit(reader, quote, "state", "\"TX\"", 0).getString("code"));
    }
  }

  @Test
  void invalidValuesAreRefusedNamingTheField() throws Exception {
    String quote = Api.createQuote(base, "cust-invalid");
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-invalid"))) {
      JsonObject year = edit(customer, quote, "vehicles.1.year", "1900", 0);
      assertEquals("INVALID_VALUE", year.getString("code"));
      assertTrue(year.getString("message").contains("vehicles.1.year"));
      assertEquals(
          "UNKNOWN_FIELD", edit(customer, quote, "vehicles.9.year", "2020", 0).getString("code"));
      assertEquals("INVALID_VALUE", edit(customer, quote, "state", "\"ZZ\"", 0).getString("code"));
    }
  }

  @Test
  void restChangesReachTheRoomInOrderLikeSocketEdits() throws Exception {
    String quote = Api.createQuote(base, "cust-rest");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-rest"))) {
      customer.subscribe(room);
      Api.Answer changed =
          Api.put(
              base,
              "api/v1/quotes/" + quote + "/fields/state",
              Tokens.valid("cust-rest"),
              "{\"value\":\"CA\",\"version\":0}");
      assertEquals(200, changed.status());
      edit(customer, quote, "state", "\"NV\"", 1);
      List<JsonObject> events = customer.events(room, 2);
      assertEquals("REST", events.get(0).getJsonObject("data").getString("source"));
      assertEquals("SOCKET", events.get(1).getJsonObject("data").getString("source"));
      assertEquals(
          events.get(0).getJsonNumber("seq").longValue() + 1,
          events.get(1).getJsonNumber("seq").longValue());
    }
  }

  @Test
  void aBoundQuoteRefusesEditsIndicatorsAndCalculationsOnTheSocketAndTheConnectionStaysOpen()
      throws Exception {
    String quote = Api.createQuote(base, "cust-bound");
    String room = "quote:" + quote;
    String agent = Tokens.valid("agent-bound", "quote:write", "quote:read");
    Api.fillRateableQuote(base, quote, agent);
    assertEquals(
        202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", agent, null).status());
    Api.awaitStatus(base, quote, agent, "QUOTED");
    assertEquals(200, Api.post(base, "api/v1/quotes/" + quote + "/bind", agent, null).status());
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-bound"))) {
      customer.subscribe(room);
      String field = "\"room\":\"" + room + "\",\"field\":\"state\"";
      for (String[] command :
          List.of(
              new String[] {"edit", editFields(quote, "state", "\"TX\"", 1)},
              new String[] {"focus", field},
              new String[] {"blur", field},
              new String[] {"calculate", "\"room\":\"" + room + "\""})) {
        JsonObject refused = customer.reply(customer.send(command[0], command[1]));
        assertEquals("error", refused.getString("type"), refused.toString());
        assertEquals("QUOTE_NOT_EDITABLE", refused.getString("code"), command[0]);
        assertFalse(refused.getString("action").isBlank(), refused.toString());
      }
      assertEquals("pong", customer.reply(customer.send("ping", "")).getString("type"));
      Api.publish(base, room, "test.marker", "{}");
      JsonObject next =
          customer.next(f -> room.equals(f.getString("room", "")) && f.containsKey("seq"));
      assertEquals("test.marker", next.getString("name"), "no event came of the refused commands");
    }
  }

  /**
   * A failure nobody foresaw (here the database refuses the quote's change log; in life a full disk
   * or a lost connection) answers the command INTERNAL_ERROR and leaves the socket open, answers
   * REST 500 as JSON, and stores nothing: once the database takes it again, the same edit at the
   * same version succeeds. PostgreSQL only: the test makes the database fail with a trigger.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void anUnexpectedFailureAnswersInternalErrorKeepsTheSocketOpenAndStoresNothing()
      throws Exception {
    String quote = Api.createQuote(base, "cust-failure");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-failure"))) {
      customer.subscribe(room);
      try (RefusingTrigger refusing =
          RefusingTrigger.on(
              PostgresTestDatabase::connect, "quote_changes", "NEW.quote_id = '" + quote + "'")) {
        JsonObject failed = edit(customer, quote, "state", "\"TX\"", 0);
        assertEquals("error", failed.getString("type"), failed.toString());
        assertEquals("INTERNAL_ERROR", failed.getString("code"), failed.toString());
        assertFalse(failed.getString("action").isBlank(), failed.toString());
        assertEquals("pong", customer.reply(customer.send("ping", "")).getString("type"));

        Api.Answer rest =
            Api.put(
                base,
                "api/v1/quotes/" + quote + "/fields/state",
                Tokens.valid("cust-failure"),
                "{\"value\":\"TX\",\"version\":0}");
        assertEquals(500, rest.status(), rest::toString);
        assertEquals("INTERNAL_ERROR", rest.body().getString("code"), rest::toString);
      }
      JsonObject stored = edit(customer, quote, "state", "\"TX\"", 0);
      assertEquals("ok", stored.getString("type"), "version 0 still current: " + stored);
      JsonObject changed =
          customer.next(
              f ->
                  room.equals(f.getString("room", ""))
                      && "quote.field.changed".equals(f.getString("name", "")));
      assertEquals(
          1,
          changed.getJsonObject("data").getJsonNumber("version").longValue(),
          changed.toString());
    }
  }

  @Test
  void anIndicatorIsReleasedWhenTheConnectionThatFocusedItCloses() throws Exception {
    String quote = Api.createQuote(base, "cust-leaves");
    String room = "quote:" + quote;
    try (TestClient watcher =
        TestClient.connect(base, Tokens.valid("agent-watch-close", "quote:read"))) {
      watcher.subscribe(room);
      try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-leaves"))) {
        customer.reply(customer.send("focus", "\"room\":\"" + room + "\",\"field\":\"state\""));
        JsonObject editing = watcher.next(f -> "quote.editing".equals(f.getString("name", "")));
        assertTrue(editing.getJsonObject("data").getBoolean("editing"), editing.toString());
      }
      JsonObject released = watcher.next(f -> "quote.editing".equals(f.getString("name", "")));
      assertFalse(released.getJsonObject("data").getBoolean("editing"), released.toString());
      assertEquals("state", released.getJsonObject("data").getString("field"), released.toString());
    }
  }

  @Test
  void rapidFocusGivesAtMostOneIndicatorPerUserPerFieldPer500Ms() throws Exception {
    String quote = Api.createQuote(base, "cust-typing");
    String room = "quote:" + quote;
    try (TestClient customer = TestClient.connect(base, Tokens.valid("cust-typing"));
        TestClient watcher = TestClient.connect(base, Tokens.valid("agent-watch", "quote:read"))) {
      watcher.subscribe(room);
      for (int i = 0; i < 12; i++) {
        String type = i % 2 == 0 ? "focus" : "blur";
        customer.reply(customer.send(type, "\"room\":\"" + room + "\",\"field\":\"state\""));
        Thread.sleep(60);
      }
      customer.reply(customer.send("focus", "\"room\":\"" + room + "\",\"field\":\"state\""));
      List<JsonObject> indicators = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 2_500;
      while (System.currentTimeMillis() < deadline) {
        JsonObject frame = watcher.frames.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (frame != null && "quote.editing".equals(frame.getString("name", ""))) {
          indicators.add(frame);
        }
      }
      assertFalse(indicators.isEmpty());
      for (int i = 1; i < indicators.size(); i++) {
        long gap =
            indicators.get(i).getJsonNumber("ts").longValue()
                - indicators.get(i - 1).getJsonNumber("ts").longValue();
        assertTrue(gap >= 500, "indicators " + gap + " ms apart: " + indicators);
      }
      assertTrue(
          indicators.get(indicators.size() - 1).getJsonObject("data").getBoolean("editing"),
          "the last state (editing) wins");
    }
  }

  private static void assertNoPremiumIn(TestClient client, String total) {
    List<String> frames;
    synchronized (client.rawFrames) {
      frames = new ArrayList<>(client.rawFrames);
    }
    for (String frame : frames) {
      assertFalse(frame.contains("\"premium\""), "premium field in " + frame);
      assertFalse(frame.contains(total), "premium amount " + total + " in " + frame);
    }
  }

  /** A {@code since} object for the position a subscribe reply gave. */
  private static String since(JsonObject subscribed) {
    return "{\"epoch\":\""
        + subscribed.getString("epoch")
        + "\",\"seq\":"
        + subscribed.getJsonNumber("seq")
        + "}";
  }

  private static List<Long> sequence(List<JsonObject> events) {
    return events.stream().map(e -> e.getJsonNumber("seq").longValue()).toList();
  }

  private static String editFields(String quote, String field, String valueJson, long version) {
    return "\"room\":\"quote:"
        + quote
        + "\",\"field\":\""
        + field
        + "\",\"value\":"
        + valueJson
        + ",\"version\":"
        + version;
  }

  private static JsonObject edit(
      TestClient client, String quote, String field, String valueJson, long version)
      throws InterruptedException {
    return client.reply(client.send("edit", editFields(quote, field, valueJson, version)));
  }

  private static void fillRateableQuote(TestClient customer, String quote)
      throws InterruptedException {
    for (var field : RateableQuote.FIELDS.entrySet()) {
      JsonObject reply = edit(customer, quote, field.getKey(), field.getValue(), 0);
      assertEquals("ok", reply.getString("type"), reply.toString());
    }
  }
}
