package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rooms as a user sees them: their own room works, others' rooms are refused, events arrive in
 * order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoomDeliveryIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void subscriberReceivesPublishedEventsInOrderStartingAtSeqOne() throws Exception {
    try (TestClient alice = TestClient.connect(base, Tokens.valid("alice-order"))) {
      JsonObject subscribed = alice.subscribe("user:alice-order");
      assertEquals("ok", subscribed.getString("type"));
      assertEquals(0, subscribed.getJsonObject("data").getJsonNumber("seq").longValue());

      for (int n = 1; n <= 3; n++) {
        assertEquals(
            201,
            Api.publish(base, "user:alice-order", "note.created", "{\"n\":" + n + "}").status());
      }
      List<JsonObject> events = alice.events("user:alice-order", 3);
      for (int n = 1; n <= 3; n++) {
        JsonObject event = events.get(n - 1);
        assertEquals(n, event.getJsonNumber("seq").longValue());
        assertEquals("note.created", event.getString("name"));
        assertEquals(n, event.getJsonObject("data").getInt("n"));
        assertEquals(subscribed.getJsonObject("data").getString("epoch"), event.getString("epoch"));
      }
    }
  }

  @Test
  void concurrentPublishersStillProduceOneGaplessSequence() throws Exception {
    String room = "user:alice-concurrent";
    try (TestClient alice = TestClient.connect(base, Tokens.valid("alice-concurrent"))) {
      alice.subscribe(room);
      int publishers = 4;
      int each = 10;
      Thread[] threads = new Thread[publishers];
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        threads[p] =
            new Thread(
                () -> {
                  for (int i = 0; i < each; i++) {
                    try {
                      Api.publish(base, room, "tick", "{\"p\":" + publisher + "}");
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                });
        threads[p].start();
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
      }
      List<JsonObject> events = alice.events(room, publishers * each);
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i + 1, events.get(i).getJsonNumber("seq").longValue());
      }
    }
  }

  @Test
  void nonSubscribersReceiveNothing() throws Exception {
    try (TestClient bob = TestClient.connect(base, Tokens.valid("bob-bystander"));
        TestClient carol = TestClient.connect(base, Tokens.valid("carol-listener"))) {
      bob.subscribe("user:bob-bystander");
      carol.subscribe("user:carol-listener");
      Api.publish(base, "user:carol-listener", "note.created", "{\"secret\":true}");
      carol.events("user:carol-listener", 1);
      String pingId = bob.send("ping", "");
      assertEquals("pong", bob.reply(pingId).getString("type"));
      assertFalse(
          bob.received().stream()
              .anyMatch(
                  f ->
                      "event".equals(f.getString("type"))
                          && !"user:bob-bystander".equals(f.getString("room"))),
          "bob received an event of a room he is not in");
    }
  }

  @Test
  void anotherUsersRoomIsForbidden() throws Exception {
    try (TestClient mallory = TestClient.connect(base, Tokens.valid("mallory", "quote:read"))) {
      JsonObject refused = mallory.subscribe("user:alice-order");
      assertEquals("error", refused.getString("type"));
      assertEquals("FORBIDDEN_ROOM", refused.getString("code"));
      assertTrue(refused.getString("action").length() > 0);
    }
  }

  @Test
  void unknownRoomTypesAndBadKeysAreRefusedWithTheirCodes() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("dave"))) {
      assertEquals("UNKNOWN_ROOM_TYPE", client.subscribe("galaxy:42").getString("code"));
      assertEquals("INVALID_ROOM", client.subscribe("quote:not-a-uuid").getString("code"));
      assertEquals("ALREADY_SUBSCRIBED", resubscribe(client, "user:dave"));
    }
  }

  @Test
  void quoteRoomIsOpenToItsCustomerAndToQuoteReadersOnly() throws Exception {
    String quote = Api.createQuote(base, "erin");
    try (TestClient erin = TestClient.connect(base, Tokens.valid("erin"));
        TestClient agent = TestClient.connect(base, Tokens.valid("agent-a", "quote:read"));
        TestClient frank = TestClient.connect(base, Tokens.valid("frank"))) {
      assertEquals("ok", erin.subscribe("quote:" + quote).getString("type"));
      assertEquals("ok", agent.subscribe("quote:" + quote).getString("type"));
      assertEquals("FORBIDDEN_ROOM", frank.subscribe("quote:" + quote).getString("code"));
      String missing = "quote:00000000-0000-4000-8000-000000000000";
      assertEquals("ROOM_NOT_FOUND", agent.subscribe(missing).getString("code"));
      assertEquals("FORBIDDEN_ROOM", frank.subscribe(missing).getString("code"));
    }
  }

  @Test
  void resumingSubscriberGetsEveryMissedEventThenLiveOnes() throws Exception {
    String room = "user:grace-resume";
    String epoch;
    try (TestClient first = TestClient.connect(base, Tokens.valid("grace-resume"))) {
      epoch = first.subscribe(room).getJsonObject("data").getString("epoch");
      Api.publish(base, room, "note.created", "{\"n\":1}");
      first.events(room, 1);
    }
    Api.publish(base, room, "note.created", "{\"n\":2}");
    Api.publish(base, room, "note.created", "{\"n\":3}");
    try (TestClient again = TestClient.connect(base, Tokens.valid("grace-resume"))) {
      String id =
          again.send(
              "subscribe",
              "\"room\":\"" + room + "\",\"since\":{\"epoch\":\"" + epoch + "\",\"seq\":1}");
      JsonObject reply = again.reply(id).getJsonObject("data");
      assertTrue(reply.getBoolean("recovered"));
      assertEquals(2, reply.getInt("replayed"));
      Api.publish(base, room, "note.created", "{\"n\":4}");
      List<JsonObject> events = again.events(room, 3);
      assertEquals(
          List.of(2L, 3L, 4L),
          events.stream().map(e -> e.getJsonNumber("seq").longValue()).toList());
    }
  }

  @Test
  void resumingFromAnotherEpochIsNotRecovered() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("heidi"))) {
      String id =
          client.send(
              "subscribe", "\"room\":\"user:heidi\",\"since\":{\"epoch\":\"gone\",\"seq\":5}");
      JsonObject reply = client.reply(id).getJsonObject("data");
      assertFalse(reply.getBoolean("recovered"));
      assertEquals("EPOCH_CHANGED", reply.getString("reason"));
    }
  }

  @Test
  void presenceShowsWhoIsInTheRoomAndAnnouncesJoinsAndLeaves() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "kate");
    try (TestClient kate = TestClient.connect(base, Tokens.valid("kate"));
        TestClient agent = TestClient.connect(base, Tokens.valid("agent-liz", "quote:read"))) {
      kate.subscribe(quote);
      agent.subscribe(quote);
      JsonObject joined =
          kate.next(
              f ->
                  "presence.join".equals(f.getString("name", ""))
                      && f.getJsonObject("data").getString("subject").equals("agent-liz"));
      assertTrue(joined.getBoolean("ephemeral"));
      assertFalse(joined.containsKey("seq"), "presence events are not numbered");

      assertEquals(List.of("agent-liz", "kate"), members(kate, quote));

      agent.close();
      JsonObject left =
          kate.next(
              f ->
                  "presence.leave".equals(f.getString("name", ""))
                      && f.getJsonObject("data").getString("subject").equals("agent-liz"));
      assertEquals(quote, left.getString("room"));
    }
  }

  @Test
  void aUserWithTwoTabsJoinsOnceAndLeavesWhenTheLastTabCloses() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "tess");
    try (TestClient observer = TestClient.connect(base, Tokens.valid("agent-obi", "quote:read"));
        TestClient first = TestClient.connect(base, Tokens.valid("tess"));
        TestClient second = TestClient.connect(base, Tokens.valid("tess"))) {
      observer.subscribe(quote);
      first.subscribe(quote);
      observer.next(f -> isPresence(f, "presence.join", "tess"));
      second.subscribe(quote);
      // Presence and published events share the relay's order: a marker published after the
      // second tab's subscribe arrives after any join it caused.
      Api.publish(base, quote, "note.created", "{\"marker\":1}");
      observer.events(quote, 1);
      first.close();
      long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
      while (observer.connectionsOf(quote, "tess").orElseThrow() != 1
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(
          1, observer.connectionsOf(quote, "tess").orElseThrow(), "the first tab's row is gone");
      Api.publish(base, quote, "note.created", "{\"marker\":2}");
      observer.events(quote, 1);
      second.close();
      observer.next(f -> isPresence(f, "presence.leave", "tess"));
      assertEquals(List.of("presence.join", "presence.leave"), announced(observer, "tess"));
    }
  }

  /**
   * Closes are taken out of presence in batches (PresenceFlush): a burst of them must still
   * announce every user who left, once, and none who kept another tab.
   */
  @Test
  void manyUsersClosingAtOnceEachLeaveOnceAndUsersWithAnotherTabStay() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "cora");
    List<String> leaving = List.of("agent-b1", "agent-b2", "agent-b3", "agent-b4", "agent-b5");
    List<String> staying = List.of("agent-b6", "agent-b7");
    List<TestClient> closing = new ArrayList<>();
    List<TestClient> kept = new ArrayList<>();
    try (TestClient observer = TestClient.connect(base, Tokens.valid("cora"))) {
      observer.subscribe(quote);
      for (String agent : leaving) {
        closing.add(TestClient.connect(base, Tokens.valid(agent, "quote:read")));
      }
      for (String agent : staying) {
        closing.add(TestClient.connect(base, Tokens.valid(agent, "quote:read")));
        kept.add(TestClient.connect(base, Tokens.valid(agent, "quote:read")));
      }
      for (TestClient client : closing) {
        client.subscribe(quote);
      }
      for (TestClient client : kept) {
        client.subscribe(quote);
      }
      for (String agent : leaving) {
        observer.next(f -> isPresence(f, "presence.join", agent));
      }
      closing.parallelStream().forEach(TestClient::close);

      for (String agent : leaving) {
        observer.next(f -> isPresence(f, "presence.leave", agent));
      }
      long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
      while (members(observer, quote).size() != 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(List.of("agent-b6", "agent-b7", "cora"), members(observer, quote));
      for (String agent : staying) {
        assertEquals(
            1, observer.connectionsOf(quote, agent).orElseThrow(), agent + " keeps one tab");
      }
      Api.publish(base, quote, "note.created", "{\"marker\":1}");
      observer.events(quote, 1);
      List<String> left =
          observer.received().stream()
              .filter(f -> "presence.leave".equals(f.getString("name", "")))
              .map(f -> f.getJsonObject("data").getString("subject"))
              .sorted()
              .toList();
      assertEquals(leaving, left, "each user who left, once; none who kept a tab");
    } finally {
      kept.forEach(TestClient::close);
    }
  }

  /**
   * Presence is written in batches (PresenceFlush), but a connection that asks right after its
   * subscribe is listed, and one that unsubscribes and subscribes again at once still counts once.
   */
  @Test
  void aPresenceQueryRightAfterSubscribingListsTheSubscriberOnce() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "ida");
    try (TestClient ida = TestClient.connect(base, Tokens.valid("ida"))) {
      ida.subscribe(quote);
      assertEquals(1, ida.connectionsOf(quote, "ida").orElseThrow(), "listed by its first query");

      ida.reply(ida.send("unsubscribe", "\"room\":\"" + quote + "\""));
      ida.subscribe(quote);
      assertEquals(
          1,
          ida.connectionsOf(quote, "ida").orElseThrow(),
          "one row after leaving and coming back");
    }
  }

  /**
   * A presence query only reads: while presence's writes wait for the database (here {@code
   * room_presence} locked against writes, as a long transaction or a migration may lock it), a
   * connection that has just subscribed asks who is in the room and is answered while the lock is
   * held, itself listed though its join is not written, beside the member written before; its join
   * is announced once the database takes it. PostgreSQL only: the test locks the server's table.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void aPresenceQueryIsAnsweredWhilePresencesWritesWaitForTheDatabase() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "lena");
    try (TestClient lena = TestClient.connect(base, Tokens.valid("lena"));
        TestClient agent = TestClient.connect(base, Tokens.valid("agent-max", "quote:read"));
        Connection database = PostgresTestDatabase.connect()) {
      lena.subscribe(quote);
      lena.next(f -> isPresence(f, "presence.join", "lena"));
      database.setAutoCommit(false);
      try (Statement lock = database.createStatement()) {
        // EXCLUSIVE waits out writers (ROW EXCLUSIVE), not readers (ACCESS SHARE).
        lock.execute("LOCK TABLE room_presence IN EXCLUSIVE MODE");
      }
      agent.subscribe(quote);
      String asked = agent.send("presence", "\"room\":\"" + quote + "\"");
      // Half the pool's statement timeout (10 s): a query that waited for the flush's write would
      // be answered only when that write is cancelled.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Optional<JsonObject> answer;
      while ((answer = agent.replyIfCome(asked)).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(answer.isPresent(), "answered while room_presence is locked against writes");
      assertEquals("ok", answer.get().getString("type"), answer.get()::toString);
      assertEquals(
          List.of("agent-max", "lena"),
          answer.get().getJsonObject("data").getJsonArray("members").stream()
              .map(m -> m.asJsonObject().getString("subject"))
              .toList());
      assertFalse(
          lena.received().stream().anyMatch(f -> isPresence(f, "presence.join", "agent-max")),
          "the agent's join is not written while the lock is held");
      database.commit();
      lena.next(f -> isPresence(f, "presence.join", "agent-max"));
    }
  }

  /**
   * A subscription made and ended at once, whichever flushes it spans, never leaves a row behind
   * nor two joins in a row: an observer sees the user's joins and leaves alternate and end with the
   * user gone.
   */
  @Test
  void aSubscriptionEndedAtOnceLeavesNoRowAndAnnouncementsAlternate() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "jon");
    try (TestClient observer = TestClient.connect(base, Tokens.valid("jon"));
        TestClient visitor = TestClient.connect(base, Tokens.valid("agent-vic", "quote:read"))) {
      observer.subscribe(quote);
      for (int round = 0; round < 5; round++) {
        visitor.subscribe(quote);
        visitor.reply(visitor.send("unsubscribe", "\"room\":\"" + quote + "\""));
      }
      // A query reads what the flushes have written: the last of them may be on its way.
      long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
      while (!members(observer, quote).equals(List.of("jon")) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(List.of("jon"), members(observer, quote), "no row of the visitor is left");
      Api.publish(base, quote, "note.created", "{\"marker\":1}");
      observer.events(quote, 1);

      List<String> announced = announced(observer, "agent-vic");
      for (int i = 0; i < announced.size(); i++) {
        assertEquals(
            i % 2 == 0 ? "presence.join" : "presence.leave", announced.get(i), "" + announced);
      }
      assertEquals(0, announced.size() % 2, "the last announcement is a leave: " + announced);
    }
  }

  private static List<String> members(TestClient client, String room) throws Exception {
    return client
        .reply(client.send("presence", "\"room\":\"" + room + "\""))
        .getJsonObject("data")
        .getJsonArray("members")
        .stream()
        .map(m -> m.asJsonObject().getString("subject"))
        .toList();
  }

  /** The presence events about the subject the client received, in order. */
  private static List<String> announced(TestClient client, String subject) {
    return client.received().stream()
        .filter(f -> f.getString("name", "").startsWith("presence."))
        .filter(f -> subject.equals(f.getJsonObject("data").getString("subject")))
        .map(f -> f.getString("name"))
        .toList();
  }

  private static boolean isPresence(JsonObject frame, String name, String subject) {
    return name.equals(frame.getString("name", ""))
        && subject.equals(frame.getJsonObject("data").getString("subject"));
  }

  @Test
  void presenceOfARoomNotSubscribedIsRefused() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("mo"))) {
      JsonObject refused = client.reply(client.send("presence", "\"room\":\"user:mo\""));
      assertEquals("NOT_SUBSCRIBED", refused.getString("code"));
    }
  }

  @Test
  void analyticsRoomsNeedAnalyticsReadAndKeepNoPresence() throws Exception {
    String room = "analytics:quotes-today";
    try (TestClient viewer = TestClient.connect(base, Tokens.valid("ana", "analytics:read"));
        TestClient other = TestClient.connect(base, Tokens.valid("ned", "analytics:read"));
        TestClient outsider = TestClient.connect(base, Tokens.valid("otto", "quote:read"))) {
      assertEquals("FORBIDDEN_ROOM", outsider.subscribe(room).getString("code"));
      assertEquals("ok", viewer.subscribe(room).getString("type"));
      assertEquals("ok", other.subscribe(room).getString("type"));
      assertEquals(
          "NO_PRESENCE",
          viewer.reply(viewer.send("presence", "\"room\":\"" + room + "\"")).getString("code"));

      assertEquals(201, Api.publish(base, room, "figures.updated", "{\"quotes\":7}").status());
      assertEquals(7, viewer.events(room, 1).get(0).getJsonObject("data").getInt("quotes"));
      assertEquals(7, other.events(room, 1).get(0).getJsonObject("data").getInt("quotes"));
      assertTrue(
          viewer.received().stream().noneMatch(f -> f.getString("name", "").startsWith("presence")),
          () -> "an analytics room announced presence: " + viewer.received());
    }
  }

  private static String resubscribe(TestClient client, String room) throws Exception {
    client.subscribe(room);
    return client.subscribe(room).getString("code");
  }
}
