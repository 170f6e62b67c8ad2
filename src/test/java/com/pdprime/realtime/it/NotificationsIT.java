package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.NotificationBody;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications as their recipients and senders see them, over real sockets and REST. The server
 * (notifications in arquillian.xml) lets the test set its notification clock, releases held
 * notifications every 500 ms, allows 5 notifications per recipient per minute, and holds a premium
 * 12 s (checked every second). Wednesday 2026-12-02 09:00Z is 03:00 in Chicago. Each test has
 * recipients of its own; "exactly once" is shown by a critical marker sent afterwards arriving as
 * the very next event.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class NotificationsIT {
  private static final String SENDER = Tokens.valid("billing-service", "notifications:send");
  private static final String THREE_AM_CHICAGO = "2026-12-02T09:00:00Z";
  private static final String NINE_AM_CHICAGO = "2026-12-02T15:00:00Z";

  @Deployment(testable = false)
  @TargetsContainer("notifications")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api.Answer send(
      String recipient, String type, String priority, String title, String extra) throws Exception {
    return Api.post(
        base,
        "api/v1/notifications",
        SENDER,
        NotificationBody.of(recipient, type, priority, title, extra));
  }

  private JsonObject sent(
      String recipient, String type, String priority, String title, String extra) throws Exception {
    Api.Answer answer = send(recipient, type, priority, title, extra);
    assertEquals(201, answer.status(), () -> String.valueOf(answer.body()));
    return answer.body();
  }

  private void setClock(String now) throws Exception {
    Api.Answer set =
        Api.post(base, "api/v1/test/notifications/clock", SENDER, "{\"now\":\"" + now + "\"}");
    assertEquals(200, set.status(), () -> String.valueOf(set.body()));
  }

  /**
   * Makes {@code subject} a customer (a quote of theirs: customers' routine notifications wait for
   * business hours) whose stored zone is Chicago, sets the clock to 3 am there, and connects them
   * subscribed to their room.
   */
  private TestClient aCustomerInChicagoAtThreeAm(String subject) throws Exception {
    Api.createQuote(base, subject);
    Api.Answer preferences =
        Api.put(
            base,
            "api/v1/notifications/preferences",
            Tokens.valid(subject),
            "{\"timeZone\":\"America/Chicago\",\"quietHours\":null,\"mutedTypes\":[]}");
    assertEquals(200, preferences.status(), () -> String.valueOf(preferences.body()));
    assertEquals("America/Chicago", preferences.body().getString("effectiveTimeZone"));
    setClock(THREE_AM_CHICAGO);
    return subscribed(base, subject);
  }

  /** Sends a routine notification that the recipient's business hours hold. */
  private JsonObject held(String recipient, String title) throws Exception {
    JsonObject held = sent(recipient, "rates.changed", "normal", title, "");
    assertEquals("held", held.getString("state"), held::toString);
    return held;
  }

  /** The next notification or notification.read event of the user's room. */
  private static JsonObject nextInbox(TestClient client, String subject) throws Exception {
    String room = "user:" + subject;
    return client.next(
        f ->
            "event".equals(f.getString("type"))
                && room.equals(f.getString("room"))
                && f.getString("name").startsWith("notification"));
  }

  /** A critical marker is the next notification: nothing (no second copy) came before it. */
  private void nothingMoreThenTheMarker(TestClient client, String subject) throws Exception {
    String marker = sent(subject, "test.marker", "critical", "marker", "").getString("id");
    JsonObject next = nextInbox(client, subject);
    assertEquals("notification", next.getString("name"));
    assertEquals(marker, next.getJsonObject("data").getString("id"), next::toString);
  }

  private static TestClient subscribed(URL base, String subject) throws Exception {
    TestClient client = TestClient.connect(base, Tokens.valid(subject));
    assertEquals("ok", client.subscribe("user:" + subject).getString("type"));
    return client;
  }

  @Test
  void aNotificationSentWhileOfflineArrivesOnceOnTheNextConnect() throws Exception {
    String epoch;
    long seq;
    try (TestClient first = TestClient.connect(base, Tokens.valid("olive"))) {
      JsonObject ok = first.subscribe("user:olive").getJsonObject("data");
      epoch = ok.getString("epoch");
      seq = ok.getJsonNumber("seq").longValue();
    }
    JsonObject answer = sent("olive", "statement.ready", "normal", "Your statement", "");
    assertEquals("delivered", answer.getString("state"));
    assertTrue(answer.isNull("deliverAfter"));

    try (TestClient back = TestClient.connect(base, Tokens.valid("olive"))) {
      JsonObject resumed =
          back.reply(
              back.send(
                  "subscribe",
                  "\"room\":\"user:olive\",\"since\":{\"epoch\":\""
                      + epoch
                      + "\",\"seq\":"
                      + seq
                      + "}"));
      assertTrue(resumed.getJsonObject("data").getBoolean("recovered"), resumed::toString);
      JsonObject replayed = nextInbox(back, "olive");
      assertEquals("notification", replayed.getString("name"));
      JsonObject notification = replayed.getJsonObject("data");
      assertEquals(answer.getString("id"), notification.getString("id"));
      assertEquals("Your statement", notification.getString("title"));
      assertEquals("delivered", notification.getString("state"));
      nothingMoreThenTheMarker(back, "olive");
    }
    Api.Answer inbox = Api.get(base, "api/v1/notifications?state=unread", Tokens.valid("olive"));
    assertEquals(200, inbox.status(), () -> String.valueOf(inbox.body()));
    assertEquals(2, inbox.body().getInt("unread"));
    assertEquals(2, inbox.body().getJsonArray("items").size());
    assertTrue(inbox.body().isNull("next"));
  }

  @Test
  void aNormalOneAt3amIsHeldUntilTheWindowOpensThenDeliveredOnce() throws Exception {
    try (TestClient carmen = aCustomerInChicagoAtThreeAm("carmen")) {
      JsonObject held = held("carmen", "New rates");
      assertEquals(NINE_AM_CHICAGO, held.getString("deliverAfter"));
      Api.Answer waiting = Api.get(base, "api/v1/notifications?state=held", Tokens.valid("carmen"));
      assertEquals(held.getString("id"), firstId(waiting.body()));
      assertEquals(0, waiting.body().getInt("unread"));

      setClock("2026-12-02T15:00:01Z");
      JsonObject released = nextInbox(carmen, "carmen");
      assertEquals("notification", released.getString("name"));
      assertEquals(held.getString("id"), released.getJsonObject("data").getString("id"));
      assertEquals(NINE_AM_CHICAGO, released.getJsonObject("data").getString("deliverAfter"));
      assertEquals("delivered", released.getJsonObject("data").getString("state"));
      nothingMoreThenTheMarker(carmen, "carmen");
    }
  }

  @Test
  void aHeldOneReadInTheInboxBeforeTheWindowOpensIsNeverDelivered() throws Exception {
    try (TestClient hana = aCustomerInChicagoAtThreeAm("hana")) {
      JsonObject readEarly = held("hana", "Read early");
      JsonObject leftUnread = held("hana", "Left unread");
      Api.Answer read =
          Api.post(
              base,
              "api/v1/notifications/" + readEarly.getString("id") + "/read",
              Tokens.valid("hana"),
              null);
      assertEquals(200, read.status(), () -> String.valueOf(read.body()));
      assertEquals("notification.read", nextInbox(hana, "hana").getString("name"));

      setClock("2026-12-02T15:00:01Z");
      JsonObject released = nextInbox(hana, "hana");
      assertEquals("notification", released.getString("name"));
      assertEquals(
          leftUnread.getString("id"),
          released.getJsonObject("data").getString("id"),
          "the release job skipped the one read early");
      nothingMoreThenTheMarker(hana, "hana");
    }
  }

  @Test
  void aCriticalOneAndASecurityOneArriveAtOnceAt3am() throws Exception {
    Api.createQuote(base, "cecil");
    setClock(THREE_AM_CHICAGO);
    try (TestClient cecil = subscribed(base, "cecil")) {
      JsonObject critical = sent("cecil", "policy.lapse", "critical", "Policy lapses", "");
      assertEquals("delivered", critical.getString("state"));
      assertEquals(
          critical.getString("id"),
          nextInbox(cecil, "cecil").getJsonObject("data").getString("id"));
      JsonObject security = sent("cecil", "security.login", "low", "New sign-in", "");
      assertEquals("delivered", security.getString("state"));
      assertEquals(
          security.getString("id"),
          nextInbox(cecil, "cecil").getJsonObject("data").getString("id"));
    }
  }

  @Test
  void threeHeldRateChangesWithOneCollapseKeyArriveAsOne() throws Exception {
    Api.createQuote(base, "cody");
    setClock(THREE_AM_CHICAGO);
    try (TestClient cody = subscribed(base, "cody")) {
      List<String> ids = new ArrayList<>();
      for (String version : List.of("v1", "v2", "v3")) {
        JsonObject held =
            sent(
                "cody",
                "rates.changed",
                "normal",
                "Rates " + version,
                ",\"collapseKey\":\"rates:OH\"");
        assertEquals("held", held.getString("state"));
        ids.add(held.getString("id"));
      }
      Api.Answer waiting = Api.get(base, "api/v1/notifications?state=held", Tokens.valid("cody"));
      assertEquals(1, waiting.body().getJsonArray("items").size(), waiting.body()::toString);
      assertEquals(ids.get(2), firstId(waiting.body()));

      setClock("2026-12-02T15:00:01Z");
      JsonObject released = nextInbox(cody, "cody").getJsonObject("data");
      assertEquals(ids.get(2), released.getString("id"));
      assertEquals("Rates v3", released.getString("title"));
      nothingMoreThenTheMarker(cody, "cody");
    }
  }

  @Test
  void aMutedTypeIsNotDeliveredButACriticalOneOfItIs() throws Exception {
    Api.Answer muting =
        Api.put(
            base,
            "api/v1/notifications/preferences",
            Tokens.valid("mia"),
            "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[\"marketing.promo\"]}");
    assertEquals(200, muting.status(), () -> String.valueOf(muting.body()));
    Api.Answer security =
        Api.put(
            base,
            "api/v1/notifications/preferences",
            Tokens.valid("mia"),
            "{\"timeZone\":null,\"quietHours\":null,\"mutedTypes\":[\"security.login\"]}");
    assertEquals(400, security.status());
    assertEquals("NOTIFICATION_TYPE_UNMUTABLE", security.body().getString("code"));
    try (TestClient mia = subscribed(base, "mia")) {
      JsonObject muted = sent("mia", "marketing.promo", "normal", "Offer", "");
      assertEquals("muted", muted.getString("state"));
      JsonObject critical = sent("mia", "marketing.promo", "critical", "Recall notice", "");
      assertEquals("delivered", critical.getString("state"));
      JsonObject next = nextInbox(mia, "mia").getJsonObject("data");
      assertEquals(critical.getString("id"), next.getString("id"));
    }
    Api.Answer inbox = Api.get(base, "api/v1/notifications", Tokens.valid("mia"));
    assertEquals(1, inbox.body().getJsonArray("items").size(), inbox.body()::toString);
  }

  @Test
  void twoFirstPreferenceWritesAtOnceBothSucceedAndOneWins() throws Exception {
    String[] bodies = {
      "{\"timeZone\":\"America/Denver\",\"quietHours\":null,\"mutedTypes\":[]}",
      "{\"timeZone\":\"America/Phoenix\",\"quietHours\":null,\"mutedTypes\":[]}"
    };
    for (int round = 0; round < 5; round++) {
      String subject = "first-write-" + round;
      List<CompletableFuture<Api.Answer>> writes = new ArrayList<>();
      for (String body : bodies) {
        writes.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Api.put(
                        base, "api/v1/notifications/preferences", Tokens.valid(subject), body);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (CompletableFuture<Api.Answer> write : writes) {
        Api.Answer answer = write.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), () -> String.valueOf(answer.body()));
      }
      String stored =
          Api.get(base, "api/v1/notifications/preferences", Tokens.valid(subject))
              .body()
              .getString("timeZone");
      assertTrue(stored.equals("America/Denver") || stored.equals("America/Phoenix"), stored);
    }
  }

  @Test
  void aReadOnOneSocketIsEchoedToTheUsersOtherSocket() throws Exception {
    try (TestClient phone = subscribed(base, "rita");
        TestClient laptop = subscribed(base, "rita")) {
      String id = sent("rita", "statement.ready", "normal", "Statement", "").getString("id");
      assertEquals(id, nextInbox(phone, "rita").getJsonObject("data").getString("id"));
      assertEquals(id, nextInbox(laptop, "rita").getJsonObject("data").getString("id"));

      JsonObject ok =
          phone.reply(phone.send("notification.read", "\"notificationId\":\"" + id + "\""));
      assertEquals("ok", ok.getString("type"), ok::toString);
      assertEquals(id, ok.getJsonObject("data").getString("id"));
      assertEquals(0, ok.getJsonObject("data").getInt("unread"));

      JsonObject echo = nextInbox(laptop, "rita");
      assertEquals("notification.read", echo.getString("name"));
      assertEquals(id, echo.getJsonObject("data").getJsonArray("ids").getString(0));
      assertEquals(0, echo.getJsonObject("data").getInt("unread"));

      JsonObject unknown =
          phone.reply(phone.send("notification.read", "\"notificationId\":\"nope\""));
      assertEquals("NOTIFICATION_NOT_FOUND", unknown.getString("code"), unknown::toString);

      String second = sent("rita", "statement.ready", "low", "Another", "").getString("id");
      nextInbox(laptop, "rita");
      Api.Answer all = Api.post(base, "api/v1/notifications/read-all", Tokens.valid("rita"), null);
      assertEquals(200, all.status(), () -> String.valueOf(all.body()));
      assertEquals(
          List.of(second),
          all.body().getJsonArray("ids").getValuesAs(JsonValue.class).stream()
              .map(v -> ((jakarta.json.JsonString) v).getString())
              .toList());
      assertEquals("notification.read", nextInbox(laptop, "rita").getString("name"));
      Api.Answer foreign =
          Api.post(base, "api/v1/notifications/" + second + "/read", Tokens.valid("mallory"), null);
      assertEquals(404, foreign.status());
      assertEquals("NOTIFICATION_NOT_FOUND", foreign.body().getString("code"));
    }
  }

  @Test
  void overTheRateTheSenderGets429WhileABystanderKeepsReceivingInOrder() throws Exception {
    try (TestClient bea = subscribed(base, "bea")) {
      List<String> sentToBea = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        assertEquals(
            "delivered", sent("ron", "rates.changed", "low", "Ron " + i, "").getString("state"));
        if (i <= 4) {
          sentToBea.add(sent("bea", "rates.changed", "low", "Bea " + i, "").getString("id"));
        }
      }
      Api.Answer refused = send("ron", "rates.changed", "low", "Ron 6", "");
      assertEquals(429, refused.status(), () -> String.valueOf(refused.body()));
      assertEquals("NOTIFICATION_RATE_LIMITED", refused.body().getString("code"));
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter >= 1 && retryAfter <= 61, () -> "Retry-After " + retryAfter);
      sentToBea.add(sent("bea", "rates.changed", "low", "Bea 5", "").getString("id"));

      List<JsonObject> events = bea.events("user:bea", 5);
      for (int i = 0; i < 5; i++) {
        assertEquals(sentToBea.get(i), events.get(i).getJsonObject("data").getString("id"));
        if (i > 0) {
          assertEquals(
              events.get(i - 1).getJsonNumber("seq").longValue() + 1,
              events.get(i).getJsonNumber("seq").longValue());
        }
      }
    }
    Api.Answer ron = Api.get(base, "api/v1/notifications?limit=100", Tokens.valid("ron"));
    assertEquals(5, ron.body().getJsonArray("items").size());
  }

  @Test
  void thePlatformsQuoteNotificationsDoNotUseUpTheRateABackendIsHeldTo() throws Exception {
    String agent = Tokens.valid("agent-smith", "quote:write", "quote:read");
    for (int i = 0; i < 5; i++) {
      String quote = Api.createQuote(base, "pia");
      Api.fillRateableQuote(base, quote, agent);
      assertEquals(
          202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", agent, null).status());
      Api.awaitStatus(base, quote, agent, "QUOTED");
    }
    Api.Answer inbox =
        Api.get(base, "api/v1/notifications?state=all&limit=100", Tokens.valid("pia"));
    assertEquals(
        5,
        inbox.body().getJsonArray("items").stream()
            .filter(v -> "quote.calculated".equals(v.asJsonObject().getString("type")))
            .count(),
        () -> String.valueOf(inbox.body()));

    for (int i = 1; i <= 5; i++) {
      sent("pia", "security.login", "normal", "Sign-in " + i, "");
    }
    Api.Answer sixth = send("pia", "security.login", "normal", "Sign-in 6", "");
    assertEquals(429, sixth.status(), () -> String.valueOf(sixth.body()));
    assertEquals("NOTIFICATION_RATE_LIMITED", sixth.body().getString("code"));
  }

  @Test
  void aBoundQuoteTellsItsCustomerAndAgentAtOnce() throws Exception {
    String quote = Api.createQuote(base, "quinn");
    String agent = Tokens.valid("agent-smith", "quote:write", "quote:read");
    Api.fillRateableQuote(base, quote, agent);
    try (TestClient quinn = subscribed(base, "quinn");
        TestClient smith = subscribed(base, "agent-smith")) {
      assertEquals(
          202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", agent, null).status());
      Api.awaitStatus(base, quote, agent, "QUOTED");
      assertEquals(200, Api.post(base, "api/v1/quotes/" + quote + "/bind", agent, null).status());
      JsonObject toCustomer =
          quinn.next(
              f ->
                  "event".equals(f.getString("type"))
                      && "notification".equals(f.getString("name"))
                      && "quote.bound".equals(f.getJsonObject("data").getString("type")));
      assertEquals("critical", toCustomer.getJsonObject("data").getString("priority"));
      assertEquals(
          quote, toCustomer.getJsonObject("data").getJsonObject("data").getString("quoteId"));
      JsonObject toAgent = nextInbox(smith, "agent-smith").getJsonObject("data");
      assertEquals("quote.bound", toAgent.getString("type"));
    }
    Api.Answer quinnInbox = Api.get(base, "api/v1/notifications?state=all", Tokens.valid("quinn"));
    List<String> types =
        quinnInbox.body().getJsonArray("items").stream()
            .map(v -> v.asJsonObject().getString("type"))
            .toList();
    assertTrue(types.contains("quote.calculated"), types::toString);
    assertTrue(types.contains("quote.bound"), types::toString);
  }

  @Test
  void aQuotePastItsValidityIsExpiredAndItsCustomerToldFirstAnHourBefore() throws Exception {
    // 11:00 in New York (the quote's state is OH): the expiry notice, a normal one, is not held.
    setClock("2026-12-02T16:00:00Z");
    String quote = Api.createQuote(base, "exa");
    String agent = Tokens.valid("agent-smith", "quote:write", "quote:read");
    Api.fillRateableQuote(base, quote, agent);
    try (TestClient exa = subscribed(base, "exa")) {
      assertEquals("ok", exa.subscribe("quote:" + quote).getString("type"));
      assertEquals(
          202, Api.post(base, "api/v1/quotes/" + quote + "/calculate", agent, null).status());
      // The premium holds 12 s on this server, so the one-hour reminder is due at once.
      JsonObject reminder = nextOfType(exa, "quote.expiring");
      assertEquals("critical", reminder.getString("priority"));
      assertEquals(quote, reminder.getJsonObject("data").getString("quoteId"));
      JsonObject expired = nextOfType(exa, "quote.expired");
      assertEquals("normal", expired.getString("priority"));
      JsonObject status =
          exa.next(
              f ->
                  "quote.status.changed".equals(f.getString("name", ""))
                      && "EXPIRED".equals(f.getJsonObject("data").getString("status")));
      assertEquals("system", status.getJsonObject("data").getJsonObject("by").getString("subject"));
    }
    assertEquals(
        "EXPIRED", Api.get(base, "api/v1/quotes/" + quote, agent).body().getString("status"));
  }

  /** The next notification of this type on the user's socket, waiting past the others. */
  private static JsonObject nextOfType(TestClient client, String type) throws Exception {
    return client
        .next(
            f ->
                "notification".equals(f.getString("name", ""))
                    && type.equals(f.getJsonObject("data").getString("type")))
        .getJsonObject("data");
  }

  @Test
  void badInputIsAnsweredWithCodedErrors() throws Exception {
    Api.Answer malformed = Api.post(base, "api/v1/notifications", SENDER, "{\"recipient\":");
    assertEquals(400, malformed.status());
    assertEquals("MALFORMED_JSON", malformed.body().getString("code"));
    Api.Answer wrongType =
        Api.post(
            base,
            "api/v1/notifications",
            SENDER,
            "{\"recipient\":\"x\",\"type\":\"a.b\",\"priority\":1,\"title\":\"t\",\"body\":\"b\"}");
    assertEquals(400, wrongType.status());
    assertEquals("INVALID_FIELD", wrongType.body().getString("code"));
    assertTrue(wrongType.body().getString("message").contains("priority"));
    Api.Answer missing =
        Api.post(base, "api/v1/notifications", SENDER, "{\"recipient\":\"x\",\"type\":\"a.b\"}");
    assertEquals(400, missing.status());
    assertEquals("MISSING_FIELD", missing.body().getString("code"));
    Api.Answer oversized = send("x", "a.b", "low", "t".repeat(201), "");
    assertEquals(400, oversized.status());
    assertEquals("INVALID_FIELD", oversized.body().getString("code"));
    Api.Answer bigData =
        send("x", "a.b", "low", "t", ",\"data\":{\"blob\":\"" + "d".repeat(17000) + "\"}");
    assertEquals(400, bigData.status());
    assertEquals("INVALID_FIELD", bigData.body().getString("code"));
    Api.Answer noPermission =
        Api.post(
            base,
            "api/v1/notifications",
            Tokens.valid("someone"),
            "{\"recipient\":\"x\",\"type\":\"a.b\",\"priority\":\"low\",\"title\":\"t\",\"body\":\"b\"}");
    assertEquals(403, noPermission.status());
    Api.Answer badState = Api.get(base, "api/v1/notifications?state=new", Tokens.valid("x"));
    assertEquals(400, badState.status());
    assertEquals("INVALID_PARAMETER", badState.body().getString("code"));
    Api.Answer badZone =
        Api.put(
            base,
            "api/v1/notifications/preferences",
            Tokens.valid("x"),
            "{\"timeZone\":\"Mars/Base\",\"quietHours\":null,\"mutedTypes\":[]}");
    assertEquals(400, badZone.status());
    assertEquals("INVALID_FIELD", badZone.body().getString("code"));
  }

  private static String firstId(JsonObject page) {
    return page.getJsonArray("items").getJsonObject(0).getString("id");
  }
}
