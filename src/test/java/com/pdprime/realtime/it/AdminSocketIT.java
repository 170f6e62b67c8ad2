package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Instant;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operators' socket {@code /ws/admin}: only admin tokens pass its handshake, admin rooms are
 * reachable only through it, and the activity stream needs {@code audit:read} besides.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminSocketIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aUserTokenIsRefusedBeforeTheUpgradeWith403() throws Exception {
    UpgradeRequest.Refusal refusal =
        UpgradeRequest.refused(
            base,
            "ws/admin",
            Map.of(
                "Sec-WebSocket-Protocol",
                TestClient.PROTOCOL
                    + ", bearer."
                    + Tokens.valid("admin-pretender", "quote:read", "analytics:read")));
    assertEquals(403, refusal.status());
    assertEquals("ADMIN_ACCESS_REQUIRED", refusal.body().getString("code"));
    assertEquals(
        "Connect to /ws, or ask for the admin:access permission.",
        refusal.body().getString("action"));
  }

  @Test
  void anEncodedPathIsTheOperatorsSocketToo() throws Exception {
    UpgradeRequest.Refusal refusal =
        UpgradeRequest.refused(
            base,
            "ws/%61dmin",
            Map.of(
                "Sec-WebSocket-Protocol",
                TestClient.PROTOCOL + ", bearer." + Tokens.valid("admin-encoded", "quote:read")));
    assertEquals(403, refusal.status(), () -> String.valueOf(refusal.body()));
    assertEquals("ADMIN_ACCESS_REQUIRED", refusal.body().getString("code"));
  }

  @Test
  void anAdminTokenOpensTheOperatorsSocketWithTheSameProtocol() throws Exception {
    try (TestClient admin =
        TestClient.connectAdmin(base, Tokens.valid("admin-ops", "admin:access"))) {
      JsonObject pong = admin.reply(admin.send("ping", ""));
      assertEquals("pong", pong.getString("type"));
      JsonObject row = Api.openConnectionRow(base, admin.welcome.getString("connectionId"));
      assertTrue(row.getBoolean("admin"), row::toString);
    }
  }

  @Test
  void adminRoomsAreNeverReachableFromTheUsersSocketEvenWithThePermission() throws Exception {
    try (TestClient user = TestClient.connect(base, Tokens.valid("admin-on-ws", "admin:access"))) {
      JsonObject refused = user.subscribe("admin:system");
      assertEquals("FORBIDDEN_ROOM", refused.getString("code"));
      assertTrue(refused.getString("message").contains("/ws/admin"), refused::toString);
    }
  }

  @Test
  void activityNeedsAuditReadAndUnknownStreamsDoNotExist() throws Exception {
    try (TestClient admin =
            TestClient.connectAdmin(base, Tokens.valid("admin-no-audit", "admin:access"));
        TestClient auditor =
            TestClient.connectAdmin(
                base, Tokens.valid("admin-auditor", "admin:access", "audit:read"))) {
      assertEquals("FORBIDDEN_ROOM", admin.subscribe("admin:activity").getString("code"));
      assertEquals("ok", admin.subscribe("admin:alerts").getString("type"));
      assertEquals("ROOM_NOT_FOUND", admin.subscribe("admin:weather").getString("code"));
      assertEquals("INVALID_FILTER", admin.subscribe("admin:system;hours=1").getString("code"));
      assertEquals("ok", auditor.subscribe("admin:activity").getString("type"));
    }
  }

  @Test
  void theSystemStreamCarriesThisInstancesFiguresAsMetricsShowsThem() throws Exception {
    try (TestClient admin =
            TestClient.connectAdmin(base, Tokens.valid("admin-watch", "admin:access"));
        TestClient user = TestClient.connect(base, Tokens.valid("admin-watched"))) {
      user.subscribe("user:admin-watched");
      admin.subscribe("admin:system");
      JsonObject sample = nextSample(admin, "admin:system", "admin.system");
      // The figures come from the registry /metrics reads; a quiet server has no churn between.
      JsonObject again = nextSample(admin, "admin:system", "admin.system");
      String metrics = Api.serverText(base, "/metrics");
      assertEquals(Api.gauge(metrics, "realtime_connections_open"), again.getInt("connections"));
      assertEquals(Api.gauge(metrics, "realtime_subscriptions"), again.getInt("subscriptions"));
      assertEquals(Api.gauge(metrics, "realtime_rooms"), again.getInt("rooms"));
      assertTrue(again.getJsonObject("heap").getJsonNumber("usedBytes").longValue() > 0);
      assertTrue(again.getInt("threads") > 0);
      // Counted where the persistence unit takes connections from the pool; a quiet server waits
      // for none, and a checkout between the sample and the scrape may move "in use" by one.
      JsonObject database = again.getJsonObject("database");
      assertEquals(
          Api.gauge(metrics, "realtime_db_connections_waiting"),
          database.getInt("connectionsWaiting"),
          database::toString);
      assertTrue(
          Math.abs(
                  Api.gauge(metrics, "realtime_db_connections_in_use")
                      - database.getInt("connectionsInUse"))
              <= 1,
          database::toString);
      assertEquals(sample.getString("instance"), again.getString("instance"));

      try (TestClient late =
          TestClient.connectAdmin(base, Tokens.valid("admin-late", "admin:access"))) {
        JsonObject snapshot =
            late.subscribe("admin:system").getJsonObject("data").getJsonObject("snapshot");
        assertTrue(
            snapshot.getJsonObject("instances").containsKey(sample.getString("instance")),
            snapshot::toString);
      }
    }
  }

  @Test
  void thePerformanceStreamCountsRestResponsesAndSessions() throws Exception {
    try (TestClient admin =
        TestClient.connectAdmin(base, Tokens.valid("admin-perf", "admin:access"))) {
      admin.subscribe("admin:performance");
      Api.publish(base, "user:admin-perf-target", "note.created", "{}");
      // A sample taken before the admin connected can still arrive after its subscribe: the
      // sampler's events go through the relay.
      Instant published = Instant.now();
      JsonObject sample =
          admin
              .next(
                  f ->
                      "event".equals(f.getString("type"))
                          && "admin.performance".equals(f.getString("name"))
                          && !Instant.parse(f.getJsonObject("data").getString("at"))
                              .isBefore(published))
              .getJsonObject("data");
      assertTrue(
          sample.getJsonObject("rest").getJsonObject("responseMs").getInt("count") > 0,
          sample::toString);
      assertTrue(sample.getInt("sessions") >= 1, sample::toString);
    }
  }

  private static JsonObject nextSample(TestClient admin, String room, String name)
      throws InterruptedException {
    return admin
        .next(
            f ->
                "event".equals(f.getString("type"))
                    && room.equals(f.getString("room"))
                    && name.equals(f.getString("name")))
        .getJsonObject("data");
  }

  @Test
  void nobodyPublishesIntoOperatorsStreamsThroughRest() throws Exception {
    Api.Answer refused =
        Api.publish(base, "admin:alerts", "alert.raised", "{\"severity\":\"low\"}");
    assertEquals(403, refused.status());
    assertEquals("SERVER_ONLY_ROOM", refused.body().getString("code"));
  }
}
