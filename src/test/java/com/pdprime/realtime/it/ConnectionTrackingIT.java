package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
 * Every connection has a row in websocket_connections from open to close, with the close code and
 * reason. (The test server pings every second and gives up after eight more without a pong.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConnectionTrackingIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  /**
   * Long enough for a handshake and a refresh on a loaded machine (3 s was not), short enough to
   * wait for.
   */
  private static final Duration SHORT_TOKEN_LIFE = Duration.ofSeconds(10);

  /** How long a close decided by the heartbeat may take to reach the journal under load. */
  private static final Duration LATE_CLOSE = Duration.ofSeconds(90);

  @ArquillianResource URL base;

  @Test
  void clientCloseIsRecordedWithItsCode() throws Exception {
    String id;
    try (TestClient client = TestClient.connect(base, Tokens.valid("tina"))) {
      id = client.welcome.getString("connectionId");
      client.socket.sendClose(1000, "bye").join();
      client.awaitClose();
    }
    JsonObject row = Api.closedConnectionRow(base, id);
    assertEquals("tina", row.getString("subject"));
    assertEquals(1000, row.getInt("closeCode"));
    assertTrue(row.containsKey("disconnectedAt"));
  }

  @Test
  void aClientsCommandsMoveItsLastActivityAndItsCloseEndsTheRowWithCodeAndReason()
      throws Exception {
    String admin = Tokens.valid("operator", "admin:access");
    String id;
    Instant connectedAt;
    try (TestClient client = TestClient.connect(base, Tokens.valid("walter"))) {
      id = client.welcome.getString("connectionId");
      JsonObject opened = openRow(id, admin);
      connectedAt = Instant.parse(opened.getString("connectedAt"));
      assertEquals(connectedAt, Instant.parse(opened.getString("lastActivityAt")));

      // The journal records activity once a second: a command a second and a half after the open
      // must move the row's last activity past its open.
      Thread.sleep(1_500);
      assertEquals("pong", client.reply(client.send("ping", "")).getString("type"));
      Instant active = awaitActivityAfter(id, admin, connectedAt);
      assertTrue(active.isAfter(connectedAt), "last activity " + active + " not after the open");

      client.socket.sendClose(1000, "walter is done").join();
      client.awaitClose();
    }
    JsonObject closed = Api.closedConnectionRow(base, id);
    assertEquals(1000, closed.getInt("closeCode"));
    assertEquals(
        "closed by the client or the container: walter is done", closed.getString("closeReason"));
    Instant disconnectedAt = Instant.parse(closed.getString("disconnectedAt"));
    assertEquals(disconnectedAt, Instant.parse(closed.getString("lastActivityAt")));
    assertTrue(!disconnectedAt.isBefore(connectedAt));
  }

  private JsonObject openRow(String id, String admin) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    Api.Answer row = null;
    while (System.nanoTime() < deadline) {
      row = Api.get(base, "api/v1/admin/connections/" + id, admin);
      if (row.status() == 200) {
        return row.body();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("connection " + id + " has no row: " + row);
  }

  private Instant awaitActivityAfter(String id, String admin, Instant after) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    Instant seen = after;
    while (System.nanoTime() < deadline && !seen.isAfter(after)) {
      Thread.sleep(200);
      seen = Instant.parse(openRow(id, admin).getString("lastActivityAt"));
    }
    return seen;
  }

  @Test
  void metricsCountConnectionsRefusalsAndCloses() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("walt"))) {
      client.sendRaw("{broken");
      client.next(f -> "error".equals(f.getString("type")));
      java.net.http.HttpResponse<String> refused =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(Local.uri(base, "ws"))
                      .header("Sec-WebSocket-Protocol", TestClient.PROTOCOL)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      String metrics = Api.serverText(base, "/metrics");
      assertTrue(metrics.contains("realtime_connections_open"), "open connections gauge");
      assertTrue(metrics.contains("realtime_messages_in_total"), "messages in");
      assertTrue(
          hasSeries(metrics, "realtime_errors_total", "code=\"MALFORMED_JSON\""), "errors by code");
      assertTrue(
          hasSeries(metrics, "realtime_handshakes_refused_total", "reason=\"TOKEN_MISSING\""),
          "refused handshakes by reason");
    }
  }

  @Test
  void healthReportsDatabaseBrokerRelayReceiveAndWatchdogUp() throws Exception {
    // An instance is not ready until it has heard its first echo over the relay, about a second
    // after it starts (longer on WildFly, whose consumer starts after the deployment).
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    String health = Api.serverText(base, "/health");
    while (!health.replace(" ", "").startsWith("{\"status\":\"UP\"")
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
      health = Api.serverText(base, "/health");
    }
    for (String check : List.of("database", "broker", "relay-receive", "engine-watchdog")) {
      assertTrue(health.contains("\"" + check + "\""), check + " missing from " + health);
    }
    assertTrue(health.replace(" ", "").startsWith("{\"status\":\"UP\""), health);
  }

  @Test
  void connectionIsClosedWith4001WhenItsTokenExpires() throws Exception {
    Instant now = Instant.now();
    String shortLived =
        Tokens.sign(
            Tokens.devKey(),
            Tokens.ISSUER,
            Tokens.AUDIENCE,
            "vera",
            now,
            now.plus(SHORT_TOKEN_LIFE));
    try (TestClient client = TestClient.connect(base, shortLived)) {
      assertEquals(4001, client.awaitClose());
      JsonObject row = Api.closedConnectionRow(base, client.welcome.getString("connectionId"));
      assertEquals(4001, row.getInt("closeCode"));
    }
  }

  @Test
  void refreshingTheTokenKeepsTheConnectionPastTheOldExpiry() throws Exception {
    Instant now = Instant.now();
    Instant oldExpiry = now.plus(SHORT_TOKEN_LIFE);
    String shortLived =
        Tokens.sign(Tokens.devKey(), Tokens.ISSUER, Tokens.AUDIENCE, "xena", now, oldExpiry);
    try (TestClient client = TestClient.connect(base, shortLived)) {
      JsonObject refreshed =
          client.reply(client.send("refresh", "\"token\":\"" + Tokens.valid("xena") + "\""));
      assertEquals("ok", refreshed.getString("type"), refreshed.toString());
      // The property is about a moment, the old expiry: wait until it is well past, or the close.
      Instant pastOldExpiry = oldExpiry.plusSeconds(2);
      while (!client.closeCode.isDone() && Instant.now().isBefore(pastOldExpiry)) {
        Thread.sleep(100);
      }
      assertTrue(
          !client.closeCode.isDone(),
          () -> "closed although the token was refreshed: " + client.closeReason);
      assertEquals("pong", client.reply(client.send("ping", "")).getString("type"));
    }
  }

  @Test
  void refreshIsRefusedForAnotherUserOrAnInvalidToken() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("yuri"))) {
      String other = client.send("refresh", "\"token\":\"" + Tokens.valid("zoe") + "\"");
      assertEquals("TOKEN_SUBJECT_MISMATCH", client.reply(other).getString("code"));
      String forged = client.send("refresh", "\"token\":\"not.a.token\"");
      assertEquals("TOKEN_REJECTED", client.reply(forged).getString("code"));
    }
  }

  @Test
  void refreshWithoutTheGrantingPermissionRevokesTheRoomWithAReason() throws Exception {
    String quote = "quote:" + Api.createQuote(base, "cust-revoke");
    try (TestClient agent = TestClient.connect(base, Tokens.valid("agent-revoke", "quote:read"));
        TestClient customer = TestClient.connect(base, Tokens.valid("cust-revoke"))) {
      assertEquals("ok", customer.subscribe(quote).getString("type"));
      assertEquals("ok", agent.subscribe(quote).getString("type"));
      JsonObject reply =
          agent.reply(agent.send("refresh", "\"token\":\"" + Tokens.valid("agent-revoke") + "\""));
      assertEquals(quote, reply.getJsonObject("data").getJsonArray("revoked").getString(0));
      JsonObject revoked = agent.next(f -> "revoked".equals(f.getString("type")));
      assertEquals(quote, revoked.getString("room"));
      assertEquals("FORBIDDEN_ROOM", revoked.getString("code"));
      Api.publish(base, quote, "note.created", "{}");
      // The room's fan-out queues the event for every subscriber in one pass; once the customer
      // still in the room has it, a ping answered after it proves the agent's queue never got it.
      customer.events(quote, 1);
      assertEquals("pong", agent.reply(agent.send("ping", "")).getString("type"));
      assertTrue(
          agent.received().stream()
              .noneMatch(f -> f.containsKey("seq") && quote.equals(f.getString("room", ""))),
          "events of a revoked room still arrive");
    }
  }

  @Test
  void connectionThatAnswersNoPingsIsClosedWithHeartbeatTimeout() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", base.getPort())) {
      String id = rawHandshake(raw, Tokens.valid("uma"));
      // Never reads the pings, let alone answers them. The server adds its own measured delay to
      // the 9 s allowance, so on a loaded machine the close can come much later than 9 s.
      JsonObject row = Api.closedConnectionRow(base, id, LATE_CLOSE);
      assertEquals(4002, row.getInt("closeCode"));
    }
  }

  /**
   * A client that never answers pings but keeps sending commands is alive: any frame counts. It
   * stays open for more than the whole heartbeat allowance (1 s + 8 s in the test configuration).
   */
  @Test
  void anyFrameFromTheClientCountsAsAlive() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", base.getPort())) {
      String id = rawHandshake(raw, Tokens.valid("vic"));
      OutputStream out = raw.getOutputStream();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(13);
      for (int n = 0; System.nanoTime() < until; n++) {
        out.write(maskedText("{\"id\":\"p" + n + "\",\"type\":\"ping\"}"));
        out.flush();
        Thread.sleep(2_000);
      }
      Api.Answer row =
          Api.get(base, "api/v1/admin/connections/" + id, Tokens.valid("operator", "admin:access"));
      assertEquals("OPEN", row.body().getString("state"), () -> "row: " + row.body());
    }
  }

  /** Opens a socket by hand, so nothing answers pings behind the test's back; returns its id. */
  private String rawHandshake(Socket raw, String token) throws Exception {
    raw.setSoTimeout(15_000);
    OutputStream out = raw.getOutputStream();
    out.write(
        UpgradeRequest.of(
            base, Map.of("Sec-WebSocket-Protocol", TestClient.PROTOCOL + ", bearer." + token)));
    out.flush();
    InputStream in = raw.getInputStream();
    String welcome = readUntil(in, "connectionId\":\"", 4096);
    assertTrue(welcome.startsWith("HTTP/1.1 101"), welcome);
    return new String(in.readNBytes(36), StandardCharsets.US_ASCII);
  }

  /** A client text frame (FIN, masked, payload under 126 bytes), as RFC 6455 section 5.2 says. */
  /**
   * Rows of connections closed longer ago than the retention (168 hours, the default) are deleted;
   * a row closed more recently and an open row, however old, stay (the test server prunes every 2
   * s). PostgreSQL only: the old rows are written through a database connection of the test's own,
   * which the embedded database, inside the server's process, does not offer.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void closedRowsOlderThanTheRetentionAreDeletedAndNoOthers() throws Exception {
    Instant now = Instant.now();
    String expired = UUID.randomUUID().toString();
    String recent = UUID.randomUUID().toString();
    String open = UUID.randomUUID().toString();
    try (Connection database = PostgresTestDatabase.connect()) {
      insertRow(
          database, expired, now.minus(Duration.ofHours(170)), now.minus(Duration.ofHours(169)));
      insertRow(
          database, recent, now.minus(Duration.ofHours(170)), now.minus(Duration.ofHours(167)));
      insertRow(database, open, now.minus(Duration.ofHours(400)), null);
      try {
        String admin = Tokens.valid("operator", "admin:access");
        assertEquals(
            404, statusOnceGone(expired, admin), "the row closed 169 hours ago is still there");
        Api.Answer kept = Api.get(base, "api/v1/admin/connections/" + recent, admin);
        assertEquals(200, kept.status(), "the row closed 167 hours ago: " + kept);
        Api.Answer stillOpen = Api.get(base, "api/v1/admin/connections/" + open, admin);
        assertEquals(200, stillOpen.status(), "the open row: " + stillOpen);
        assertEquals("OPEN", stillOpen.body().getString("state"));
      } finally {
        try (PreparedStatement delete =
            database.prepareStatement("DELETE FROM websocket_connections WHERE id IN (?, ?)")) {
          delete.setString(1, recent);
          delete.setString(2, open);
          delete.executeUpdate();
        }
      }
    }
  }

  /** The admin API's status for the row: 404 as soon as it is gone, else the last after 30 s. */
  private int statusOnceGone(String id, String admin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = Api.get(base, "api/v1/admin/connections/" + id, admin).status();
    while (status != 404 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = Api.get(base, "api/v1/admin/connections/" + id, admin).status();
    }
    return status;
  }

  /** A row of an instance that is gone, closed at {@code closedAt} with 1000, or open if null. */
  private static void insertRow(
      Connection database, String id, Instant connectedAt, Instant closedAt) throws SQLException {
    try (PreparedStatement insert =
        database.prepareStatement(
            "INSERT INTO websocket_connections (id, instance_id, subject, is_admin, state,"
                + " connected_at, last_activity_at, disconnected_at, close_code, close_reason)"
                + " VALUES (?, 'retention-test', 'retention-test', false, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, closedAt == null ? "OPEN" : "CLOSED");
      insert.setTimestamp(3, Timestamp.from(connectedAt));
      insert.setTimestamp(4, Timestamp.from(closedAt == null ? connectedAt : closedAt));
      insert.setTimestamp(5, closedAt == null ? null : Timestamp.from(closedAt));
      if (closedAt == null) {
        insert.setNull(6, Types.INTEGER);
        insert.setNull(7, Types.VARCHAR);
      } else {
        insert.setInt(6, 1000);
        insert.setString(7, "planted by the retention test");
      }
      assertEquals(1, insert.executeUpdate());
    }
  }

  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  private static boolean hasSeries(String metrics, String name, String tag) {
    return metrics.lines().anyMatch(line -> line.startsWith(name + "{") && line.contains(tag));
  }

  private static String readUntil(InputStream in, String marker, int max) throws Exception {
    StringBuilder seen = new StringBuilder();
    while (seen.length() < max && seen.indexOf(marker) < 0) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.append((char) b);
    }
    return seen.toString();
  }
}
