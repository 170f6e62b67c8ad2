package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server configured as it runs in production. For a Keycloak-style identity provider it reads
 * permissions from {@code realm_access.roles}, on REST and on the socket alike, and nowhere else.
 * Behind its reverse proxy (trusted on 127.0.0.1, arquillian.xml) the client's address is the
 * proxy's {@code X-Forwarded-For}: it is what the journal records and what the per-address cap (3
 * here) counts, and a header that names no address is refused.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SsoAndProxyIT {
  @Deployment(testable = false)
  @TargetsContainer("keycloak")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aRealmRoleGrantsPublishingOverRest() throws Exception {
    Api.Answer answer =
        Api.post(
            base,
            "api/v1/rooms/user:kim/events",
            Tokens.keycloak("svc-rating", "realtime:publish", "offline_access"),
            "{\"name\":\"note.created\",\"data\":{\"text\":\"hi\"}}");
    assertEquals(201, answer.status(), () -> answer.body().toString());
  }

  @Test
  void groupsGrantNothingWhenRealmRolesAreConfigured() throws Exception {
    Api.Answer answer =
        Api.post(
            base,
            "api/v1/rooms/user:kim/events",
            Tokens.valid("svc-rating", "realtime:publish"),
            "{\"name\":\"note.created\",\"data\":{\"text\":\"hi\"}}");
    assertEquals(403, answer.status());
    assertEquals("FORBIDDEN", answer.body().getString("code"));
  }

  @Test
  void aRealmRoleGrantsARoomOnTheSocket() throws Exception {
    try (TestClient viewer = TestClient.connect(base, Tokens.keycloak("ana", "analytics:read"));
        TestClient grouped = TestClient.connect(base, Tokens.valid("ned", "analytics:read"))) {
      assertEquals("ok", viewer.subscribe("analytics:sales").getString("type"));
      assertEquals("FORBIDDEN_ROOM", grouped.subscribe("analytics:sales").getString("code"));
    }
  }

  @Test
  void behindTheTrustedProxyTheClientIsTheRightmostForwardedAddressThatIsNotTheProxy()
      throws Exception {
    for (String forwarded : List.of("198.51.100.7, 203.0.113.7", "203.0.113.7, 127.0.0.1")) {
      try (TestClient client =
          TestClient.connectForwarded(base, Tokens.valid("fwd-seen"), forwarded)) {
        String id = client.welcome.getString("connectionId");
        assertEquals("203.0.113.7", journalRow(id).getString("ipAddress"), forwarded);
      }
    }
  }

  @Test
  void aForwardedEntryThatIsNoAddressIsRefusedBeforeTheUpgrade() throws Exception {
    UpgradeRequest.Refusal refusal =
        UpgradeRequest.refused(
            base,
            Map.of(
                "Sec-WebSocket-Protocol",
                TestClient.PROTOCOL + ", bearer." + Tokens.valid("fwd-garbled"),
                "X-Forwarded-For",
                "203.0.113.7, unknown"));
    assertEquals(400, refusal.status(), () -> String.valueOf(refusal.body()));
    assertEquals("FORWARDED_FOR_INVALID", refusal.body().getString("code"));
    assertFalse(refusal.body().getString("action").isBlank());
  }

  @Test
  void theCapPerAddressCountsEachForwardedClientApartWhileABystanderReceivesInOrder()
      throws Exception {
    String room = "user:fwd-bystander";
    List<TestClient> office = new ArrayList<>();
    try (TestClient bystander =
        TestClient.connectForwarded(base, Tokens.valid("fwd-bystander"), "203.0.113.21")) {
      bystander.subscribe(room);
      for (int i = 1; i <= 3; i++) {
        office.add(
            TestClient.connectForwarded(base, Tokens.valid("fwd-agent-" + i), "203.0.113.20"));
        publish(room, i);
      }
      for (int i = 4; i <= 5; i++) {
        UpgradeRequest.Refusal refusal =
            UpgradeRequest.refused(
                base,
                Map.of(
                    "Sec-WebSocket-Protocol",
                    TestClient.PROTOCOL + ", bearer." + Tokens.valid("fwd-agent-" + i),
                    "X-Forwarded-For",
                    "203.0.113.20"));
        assertEquals(429, refusal.status(), () -> String.valueOf(refusal.body()));
        assertEquals("TOO_MANY_CONNECTIONS_PER_ADDRESS", refusal.body().getString("code"));
        publish(room, i);
      }
      try (TestClient neighbour =
          TestClient.connectForwarded(base, Tokens.valid("fwd-neighbour"), "203.0.113.22")) {
        assertEquals("pong", neighbour.reply(neighbour.send("ping", "")).getString("type"));
      }
      List<JsonObject> received = bystander.events(room, 5);
      for (int i = 0; i < 5; i++) {
        assertEquals(i + 1, received.get(i).getJsonNumber("seq").longValue(), received::toString);
        assertEquals(i + 1, received.get(i).getJsonObject("data").getInt("n"), received::toString);
      }
    } finally {
      office.forEach(TestClient::close);
    }
  }

  private void publish(String room, int n) throws Exception {
    Api.Answer published =
        Api.post(
            base,
            "api/v1/rooms/" + room + "/events",
            Tokens.keycloak("svc-bystander", "realtime:publish"),
            "{\"name\":\"note.created\",\"data\":{\"n\":" + n + "}}");
    assertEquals(201, published.status(), () -> String.valueOf(published.body()));
  }

  /** The connection's row in the journal, once it is written. */
  private JsonObject journalRow(String id) throws Exception {
    String admin = Tokens.keycloak("fwd-operator", "admin:access");
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    Api.Answer row = Api.get(base, "api/v1/admin/connections/" + id, admin);
    while (row.status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      row = Api.get(base, "api/v1/admin/connections/" + id, admin);
    }
    assertEquals(200, row.status(), String.valueOf(row.body()));
    return row.body();
  }
}
