package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Alerts as operators see them: raised by a monitor and pushed to a watching admin at once,
 * acknowledged and resolved over REST and the socket, resolved by themselves when the condition
 * clears, and a stalled monitor reported by the watchdog. The server (alerts in arquillian.xml)
 * alerts at 3 open sockets and runs the instance-lost monitor stalled on purpose.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AlertsIT {
  private static final String ALERTS = "admin:alerts";
  private static final String INSTANCE = "local-1";
  private static final String WRITE_FAILURES = "realtime_alert_write_failures_total";

  @Deployment(testable = false)
  @TargetsContainer("alerts")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String adminToken(String subject) {
    return Tokens.valid(subject, "admin:access");
  }

  /** The next event on admin:alerts named {@code name} about an alert of {@code type}. */
  private static JsonObject alertEvent(TestClient admin, String name, String type)
      throws InterruptedException {
    return admin.next(
        f ->
            "event".equals(f.getString("type"))
                && ALERTS.equals(f.getString("room"))
                && name.equals(f.getString("name"))
                && type.equals(f.getJsonObject("data").getString("type")));
  }

  private JsonObject openAlert(String type, String source) throws Exception {
    Api.Answer open = Api.get(base, "api/v1/admin/alerts?state=open", adminToken("ops-reader"));
    assertEquals(200, open.status(), open.body()::toString);
    for (JsonValue alert : open.body().getJsonArray("alerts")) {
      JsonObject row = alert.asJsonObject();
      if (row.getString("type").equals(type) && row.getString("source").equals(source)) {
        return row;
      }
    }
    return null;
  }

  /** Sockets of an earlier test are closed, and the alert they raised resolved itself. */
  private void awaitNoOpenConnectionsAlert() throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (openAlert("connections", INSTANCE) != null) {
      assertTrue(Instant.now().isBefore(deadline), "the connections alert stays open");
      Thread.sleep(100);
    }
  }

  @Test
  void anAlertReachesAWatchingAdminAtOnceAndResolvesItselfWhenTheConditionClears()
      throws Exception {
    awaitNoOpenConnectionsAlert();
    try (TestClient admin = TestClient.connectAdmin(base, adminToken("ops-watcher"))) {
      assertEquals("ok", admin.subscribe(ALERTS).getString("type"));
      JsonObject raised;
      try (TestClient one = TestClient.connect(base, Tokens.valid("crowd-1", "quote:read"));
          TestClient two = TestClient.connect(base, Tokens.valid("crowd-2", "quote:read"))) {
        raised = alertEvent(admin, "alert.raised", "connections").getJsonObject("data");
        assertEquals(INSTANCE, raised.getString("source"));
        assertEquals("medium", raised.getString("severity"));
        assertEquals("open", raised.getString("state"));
        assertTrue(raised.getString("message").contains("capacity of 5"), raised::toString);
      }
      JsonObject resolved =
          alertEvent(admin, "alert.resolved", "connections").getJsonObject("data");
      assertEquals(raised.getInt("id"), resolved.getInt("id"));
      assertEquals("AUTO", resolved.getString("resolution"));
      assertTrue(resolved.isNull("resolvedBy"), resolved::toString);
      assertNull(openAlert("connections", INSTANCE));
    }
  }

  @Test
  void anAdminAcknowledgesOverRestResolvesOverTheSocketAndEveryAdminSeesWho() throws Exception {
    awaitNoOpenConnectionsAlert();
    try (TestClient alice = TestClient.connectAdmin(base, adminToken("ops-alice"));
        TestClient bob = TestClient.connectAdmin(base, adminToken("ops-bob"))) {
      assertEquals("ok", bob.subscribe(ALERTS).getString("type"));
      try (TestClient user = TestClient.connect(base, Tokens.valid("crowd-3", "quote:read"))) {
        long id = alertEvent(bob, "alert.raised", "connections").getJsonObject("data").getInt("id");

        Api.Answer acknowledged =
            Api.post(
                base, "api/v1/admin/alerts/" + id + "/acknowledge", adminToken("ops-alice"), null);
        assertEquals(200, acknowledged.status(), acknowledged.body()::toString);
        assertEquals("ops-alice", acknowledged.body().getString("acknowledgedBy"));
        assertEquals(
            "ops-alice",
            alertEvent(bob, "alert.acknowledged", "connections")
                .getJsonObject("data")
                .getString("acknowledgedBy"));
        Api.Answer twice =
            Api.post(
                base, "api/v1/admin/alerts/" + id + "/acknowledge", adminToken("ops-carol"), null);
        assertEquals(409, twice.status());
        assertEquals("ALERT_ALREADY_ACKNOWLEDGED", twice.body().getString("code"));

        JsonObject reply = alice.reply(alice.send("resolve", "\"alertId\":" + id));
        assertEquals("ok", reply.getString("type"), reply::toString);
        assertEquals("MANUAL", reply.getJsonObject("data").getString("resolution"));
        assertEquals("ops-alice", reply.getJsonObject("data").getString("resolvedBy"));
        JsonObject seen = alertEvent(bob, "alert.resolved", "connections").getJsonObject("data");
        assertEquals(id, seen.getInt("id"));
        assertEquals("ops-alice", seen.getString("resolvedBy"));

        Api.Answer again =
            Api.post(base, "api/v1/admin/alerts/" + id + "/resolve", adminToken("ops-bob"), null);
        assertEquals(409, again.status());
        assertEquals("ALERT_ALREADY_RESOLVED", again.body().getString("code"));
        JsonObject late = alice.reply(alice.send("acknowledge", "\"alertId\":" + id));
        assertEquals("ALERT_ALREADY_RESOLVED", late.getString("code"), late::toString);
      }
    }
  }

  @Test
  void unknownAlertsAreNotFoundAndTheListIsValidated() throws Exception {
    String token = adminToken("ops-dave");
    Api.Answer unknown = Api.post(base, "api/v1/admin/alerts/999999/resolve", token, null);
    assertEquals(404, unknown.status());
    assertEquals("ALERT_NOT_FOUND", unknown.body().getString("code"));
    assertEquals(404, Api.post(base, "api/v1/admin/alerts/abc/acknowledge", token, null).status());
    for (String query :
        List.of(
            "",
            "?state=closed",
            "?state=all&limit=201",
            "?state=all&offset=-1",
            "?state=open&sate=all",
            "?state=open&state=all")) {
      Api.Answer refused = Api.get(base, "api/v1/admin/alerts" + query, token);
      assertEquals(400, refused.status(), query);
      assertEquals("INVALID_PARAMETER", refused.body().getString("code"), query);
    }
    Api.Answer page = Api.get(base, "api/v1/admin/alerts?state=all&limit=1", token);
    assertEquals(200, page.status());
    assertEquals(1, page.body().getJsonArray("alerts").size());
    assertTrue(page.body().getInt("total") >= 1, page.body()::toString);
    assertEquals(
        403,
        Api.get(base, "api/v1/admin/alerts?state=all", Tokens.valid("nosy", "quote:read"))
            .status());
    try (TestClient admin = TestClient.connectAdmin(base, token)) {
      JsonObject reply = admin.reply(admin.send("acknowledge", "\"alertId\":999999"));
      assertEquals("ALERT_NOT_FOUND", reply.getString("code"));
    }
  }

  @Test
  void alertsAreHandledOnlyOnTheOperatorsSocket() throws Exception {
    try (TestClient onUsersSocket = TestClient.connect(base, adminToken("ops-eve"))) {
      JsonObject reply = onUsersSocket.reply(onUsersSocket.send("resolve", "\"alertId\":1"));
      assertEquals("FORBIDDEN_ACTION", reply.getString("code"));
      assertTrue(reply.getString("message").contains("/ws/admin"), reply::toString);
    }
  }

  @Test
  void aReconnectingAdminResumesWithoutMissingAnAlertEvent() throws Exception {
    awaitNoOpenConnectionsAlert();
    JsonObject position;
    try (TestClient admin = TestClient.connectAdmin(base, adminToken("ops-frank"))) {
      position = admin.subscribe(ALERTS).getJsonObject("data");
    }
    // While the admin is away, three user sockets raise an alert.
    try (TestClient one = TestClient.connect(base, Tokens.valid("crowd-4", "quote:read"));
        TestClient two = TestClient.connect(base, Tokens.valid("crowd-5", "quote:read"));
        TestClient three = TestClient.connect(base, Tokens.valid("crowd-6", "quote:read"))) {
      Instant deadline = Instant.now().plusSeconds(10);
      while (openAlert("connections", INSTANCE) == null) {
        assertTrue(Instant.now().isBefore(deadline), "three sockets raised no alert");
        Thread.sleep(100);
      }
      try (TestClient back = TestClient.connectAdmin(base, adminToken("ops-frank"))) {
        JsonObject reply =
            back.reply(
                back.send(
                    "subscribe",
                    "\"room\":\""
                        + ALERTS
                        + "\",\"since\":{\"epoch\":\""
                        + position.getString("epoch")
                        + "\",\"seq\":"
                        + position.getInt("seq")
                        + "}"));
        assertTrue(reply.getJsonObject("data").getBoolean("recovered"), reply::toString);
        JsonObject raised = alertEvent(back, "alert.raised", "connections");
        assertTrue(raised.getInt("seq") > position.getInt("seq"), raised::toString);
      }
    }
  }

  @Test
  void theWatchdogReportsTheStalledMonitorWithinTwoPeriodsAndReadinessIsDown() throws Exception {
    JsonObject stalled = null;
    Instant deadline = Instant.now().plusSeconds(15);
    while (stalled == null && Instant.now().isBefore(deadline)) {
      stalled = openAlert("stalled", "instance-lost@" + INSTANCE);
      if (stalled == null) {
        Thread.sleep(200);
      }
    }
    assertTrue(stalled != null, "no stalled alert for instance-lost");
    assertEquals("critical", stalled.getString("severity"));
    // The monitor never ticked (period 1000 ms): reported once 2 periods passed, by the next
    // watchdog round (500 ms), with time for the alert's own write. The stall starts with the
    // server, while the start (schema, demo quotes) still competes for the CPU: 2.07 s measured
    // on a quiet machine, 4.27 s once in a CI run, so the bound leaves 2.5 s for the start.
    Instant lastTick = Instant.parse(field(stalled.getString("details"), "lastTick"));
    Duration late = Duration.between(lastTick, Instant.parse(stalled.getString("raisedAt")));
    assertTrue(late.toMillis() <= 2 * 1000 + 500 + 2500, "reported after " + late);

    String ready = Api.serverText(base, "/health/ready");
    assertTrue(ready.replace(" ", "").startsWith("{\"status\":\"DOWN\""), ready);
    assertTrue(ready.contains("instance-lost.lastTickMillisAgo"), ready);
    String live = Api.serverText(base, "/health/live");
    assertTrue(live.contains("\"monitor-watchdog\""), live);
    assertTrue(live.replace(" ", "").startsWith("{\"status\":\"UP\""), live);
  }

  @Test
  void systemHealthMeasuresEveryCheckAndNeedsAnalyticsRead() throws Exception {
    Api.Answer health =
        Api.get(base, "api/v1/admin/system-health", Tokens.valid("analyst", "analytics:read"));
    assertEquals(200, health.status(), health.body()::toString);
    JsonObject checks = health.body().getJsonObject("checks");
    assertEquals("UP", checks.getJsonObject("database").getString("status"));
    assertTrue(checks.getJsonObject("database").getInt("latencyMillis") >= 0);
    assertEquals("UP", checks.getJsonObject("broker").getString("status"));
    assertTrue(checks.getJsonObject("broker").containsKey("latencyMillis"));
    assertEquals("UP", checks.getJsonObject("relayReceive").getString("status"));
    assertEquals("UP", checks.getJsonObject("watchdog").getString("status"));
    JsonObject streams = checks.getJsonObject("streams");
    assertEquals("DOWN", streams.getString("status"), "instance-lost is stalled on purpose");
    assertEquals(List.of("instance-lost"), stalledStreams(health.body()));
    assertEquals("DOWN", health.body().getString("status"));
    assertEquals(
        403,
        Api.get(base, "api/v1/admin/system-health", adminToken("ops-without-analytics")).status());
  }

  @Test
  void everyAlertActionIsAudited() throws Exception {
    try (TestClient auditor =
        TestClient.connectAdmin(base, Tokens.valid("ops-auditor", "admin:access", "audit:read"))) {
      assertEquals("ok", auditor.subscribe("admin:activity").getString("type"));
      Api.post(base, "api/v1/admin/alerts/424242/resolve", adminToken("ops-grace"), null);
      JsonObject activity =
          auditor
              .next(
                  f ->
                      "event".equals(f.getString("type"))
                          && "admin:activity".equals(f.getString("room")))
              .getJsonObject("data");
      assertEquals("alert.resolve", activity.getString("action"));
      assertEquals("alert:424242", activity.getString("resource"));
      assertEquals("REFUSED", activity.getString("outcome"));
      assertEquals("ops-grace", activity.getJsonObject("by").getString("subject"));
    }
  }

  /**
   * The database goes away and comes back (PostgreSQL refuses connections and ends the open ones,
   * as a failover or a restart does). Meanwhile readiness says the database is DOWN, a publish is
   * refused 503 PUBLISH_NOT_STORED at once and a socket is still served. Once the database answers,
   * readiness is UP, the next publish is stored (the pool let go of its dead connections), and the
   * outage is on record: a CRITICAL database alert raised when the first check failed, counting
   * every failed check, resolved AUTO. PostgreSQL only: the test takes its database away.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void aDatabaseOutageShowsInReadinessAndIsOnRecordOnceTheDatabaseAnswersAgain() throws Exception {
    String room = "user:outage-bystander";
    try (TestClient bystander = TestClient.connect(base, Tokens.valid("outage-bystander"))) {
      bystander.subscribe(room);
      assertEquals(201, Api.publish(base, room, "note.created", "{\"n\":1}").status());
      Instant began = Instant.now();
      try (PostgresTestDatabase.Outage outage = PostgresTestDatabase.outage()) {
        awaitDatabaseCheck("DOWN");
        Api.Answer refused = Api.publish(base, room, "note.created", "{\"n\":0}");
        assertEquals(503, refused.status(), refused::toString);
        assertEquals("PUBLISH_NOT_STORED", refused.body().getString("code"));
        assertEquals("pong", bystander.reply(bystander.send("ping", "")).getString("type"));
        // An outage of five periods of the database monitor (a second here): its checks fail, and
        // so do the writes of their alert.
        int failures = Api.counter(Api.serverText(base, "/metrics"), WRITE_FAILURES);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), began.plusSeconds(5)).toMillis()));
        assertTrue(
            Api.counter(Api.serverText(base, "/metrics"), WRITE_FAILURES) > failures,
            "no alert write failed during the outage");
      }
      Instant ended = Instant.now();
      awaitDatabaseCheck("UP");
      Api.Answer stored = Api.publish(base, room, "note.created", "{\"n\":2}");
      assertEquals(201, stored.status(), stored::toString);
      List<JsonObject> events = bystander.events(room, 2);
      assertEquals(
          List.of(1L, 2L), events.stream().map(e -> e.getJsonNumber("seq").longValue()).toList());

      JsonObject outage = awaitResolvedAlert("database", INSTANCE, began);
      assertEquals("critical", outage.getString("severity"), outage::toString);
      assertEquals("AUTO", outage.getString("resolution"), outage::toString);
      assertTrue(outage.getInt("occurrences") >= 2, outage::toString);
      Instant raisedAt = Instant.parse(outage.getString("raisedAt"));
      assertTrue(!raisedAt.isBefore(began) && raisedAt.isBefore(ended), outage::toString);
    }
    awaitStreamsRecovered();
  }

  /**
   * Connections opened and closed while the database is away are in the connection journal and in
   * presence once it answers again: their batches are kept and written then, not lost. One user's
   * room: before the outage two connections, during it one of them closes and two more open and
   * subscribe; afterwards the closed one's row is CLOSED with its code, the new ones' rows are
   * open, and presence counts the three open connections, not the two it held before. PostgreSQL
   * only.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void connectionsOpenedAndClosedDuringAnOutageAreRecordedOnceTheDatabaseAnswers()
      throws Exception {
    String user = "outage-regular";
    String room = "user:" + user;
    String admin = adminToken("ops-journal");
    try (TestClient first = TestClient.connect(base, Tokens.valid(user));
        TestClient leaving = TestClient.connect(base, Tokens.valid(user))) {
      first.subscribe(room);
      leaving.subscribe(room);
      String leavingId = leaving.welcome.getString("connectionId");
      awaitPresentConnections(first, room, user, 2);
      awaitRow(leavingId, admin);

      List<TestClient> arrived = new ArrayList<>();
      Instant began = Instant.now();
      try (PostgresTestDatabase.Outage outage = PostgresTestDatabase.outage()) {
        awaitDatabaseCheck("DOWN");
        leaving.socket.sendClose(1000, "leaving during the outage").join();
        leaving.awaitClose();
        for (int i = 0; i < 2; i++) {
          TestClient client = TestClient.connect(base, Tokens.valid(user));
          arrived.add(client);
          assertEquals("ok", client.subscribe(room).getString("type"));
        }
        // Several flushes of the journal (every second) and of presence fail meanwhile.
        Thread.sleep(3_000);
      }
      try {
        awaitDatabaseCheck("UP");
        JsonObject closed = Api.closedConnectionRow(base, leavingId);
        assertEquals(1000, closed.getInt("closeCode"), closed::toString);
        for (TestClient client : arrived) {
          String id = client.welcome.getString("connectionId");
          Api.Answer row = awaitRow(id, admin);
          assertEquals("OPEN", row.body().getString("state"), row::toString);
        }
        awaitPresentConnections(first, room, user, 3);
      } finally {
        arrived.forEach(TestClient::close);
      }
      // The outage's alert is written and resolved before another test takes the database away:
      // sightings still unwritten then would be counted in that outage's alert, raised before it.
      awaitResolvedAlert("database", INSTANCE, began);
    }
    awaitStreamsRecovered();
  }

  private Api.Answer awaitRow(String id, String admin) throws Exception {
    Instant deadline = Instant.now().plus(TestClient.WAIT);
    Api.Answer row = Api.get(base, "api/v1/admin/connections/" + id, admin);
    while (row.status() != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      row = Api.get(base, "api/v1/admin/connections/" + id, admin);
    }
    assertEquals(200, row.status(), () -> "connection " + id + " has no row");
    return row;
  }

  /** Waits until the room's presence counts {@code expected} connections of the subject. */
  private static void awaitPresentConnections(
      TestClient client, String room, String subject, int expected) throws Exception {
    Instant deadline = Instant.now().plus(TestClient.WAIT);
    // -1 while the query is answered with an error (the database may still be coming back).
    int present = client.connectionsOf(room, subject).orElse(-1);
    while (present != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      present = client.connectionsOf(room, subject).orElse(-1);
    }
    assertEquals(expected, present, "connections of " + subject + " present in " + room);
  }

  /** The periodic tasks system health reports DOWN. */
  private static List<String> stalledStreams(JsonObject health) {
    return health.getJsonObject("checks").getJsonObject("streams").getJsonArray("tasks").stream()
        .map(JsonValue::asJsonObject)
        .filter(task -> task.getString("status").equals("DOWN"))
        .map(task -> task.getString("name"))
        .toList();
  }

  /**
   * Waits until only the stalled-on-purpose task is DOWN: the tasks that failed while the database
   * was away (the admin sampler) tick again within their period, and the other tests share this
   * server.
   */
  private void awaitStreamsRecovered() throws Exception {
    Instant deadline = Instant.now().plus(TestClient.WAIT);
    String analyst = Tokens.valid("analyst", "analytics:read");
    List<String> stalled =
        stalledStreams(Api.get(base, "api/v1/admin/system-health", analyst).body());
    while (!stalled.equals(List.of("instance-lost")) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      stalled = stalledStreams(Api.get(base, "api/v1/admin/system-health", analyst).body());
    }
    assertEquals(List.of("instance-lost"), stalled, "tasks still stalled after the outage");
  }

  /** Waits until readiness reports the database check {@code status}. */
  private void awaitDatabaseCheck(String status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    String ready = Api.serverText(base, "/health/ready");
    while (!databaseCheck(ready).equals(status)) {
      assertTrue(Instant.now().isBefore(deadline), "database never " + status + ": " + ready);
      Thread.sleep(200);
      ready = Api.serverText(base, "/health/ready");
    }
  }

  private static String databaseCheck(String ready) {
    try (var reader = Json.createReader(new StringReader(ready))) {
      return reader.readObject().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
          .filter(check -> "database".equals(check.getString("name")))
          .map(check -> check.getString("status"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no database check in " + ready));
    }
  }

  /** The alert of (type, source) raised since {@code since}, once it is resolved. */
  private JsonObject awaitResolvedAlert(String type, String source, Instant since)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      Api.Answer all =
          Api.get(base, "api/v1/admin/alerts?state=all&limit=200", adminToken("ops-reader"));
      assertEquals(200, all.status(), all.body()::toString);
      for (JsonObject alert : all.body().getJsonArray("alerts").getValuesAs(JsonObject.class)) {
        if (alert.getString("type").equals(type)
            && alert.getString("source").equals(source)
            && !Instant.parse(alert.getString("raisedAt")).isBefore(since)
            && alert.getString("state").equals("resolved")) {
          return alert;
        }
      }
      assertTrue(Instant.now().isBefore(deadline), "no resolved " + type + " alert: " + all.body());
      Thread.sleep(200);
    }
  }

  private static String field(String details, String key) {
    for (String part : details.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new AssertionError(key + " missing from " + details);
  }
}
