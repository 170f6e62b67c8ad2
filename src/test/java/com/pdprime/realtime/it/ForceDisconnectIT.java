package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator lists connections and closes one, or all of a user's, with 4010 and a reason; nobody
 * else notices. Every disconnect, refused or not, is audited.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ForceDisconnectIT {
  private static final String REASON = "account under review; call the help desk";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private final String operator = Tokens.valid("ops-disconnect", "admin:access");

  @Test
  void aUsersSocketsCloseWith4010AndTheReasonWhileABystanderKeepsItsEventsInOrder()
      throws Exception {
    try (TestClient first = TestClient.connect(base, Tokens.valid("victim-all"));
        TestClient second = TestClient.connect(base, Tokens.valid("victim-all"));
        TestClient bystander = TestClient.connect(base, Tokens.valid("bystander"))) {
      JsonObject subscribed = bystander.subscribe("user:bystander");
      assertEquals("ok", subscribed.getString("type"));
      // The room may have history from other tests when they share a database (PostgreSQL run).
      long before = subscribed.getJsonObject("data").getJsonNumber("seq").longValue();
      Api.openConnectionRow(base, first.welcome.getString("connectionId"));
      Api.openConnectionRow(base, second.welcome.getString("connectionId"));

      publishToBystander(1, 3);
      Api.Answer ordered =
          Api.post(
              base,
              "api/v1/admin/users/victim-all/disconnect",
              operator,
              "{\"reason\":\"" + REASON + "\"}");
      publishToBystander(4, 6);

      assertEquals(202, ordered.status(), ordered::toString);
      assertEquals("victim-all", ordered.body().getString("subject"));
      assertEquals(4010, ordered.body().getInt("closeCode"));
      assertEquals(REASON, ordered.body().getString("reason"));
      assertEquals(2, ordered.body().getInt("openConnections"));
      for (TestClient victim : List.of(first, second)) {
        assertEquals(4010, victim.awaitClose());
        assertEquals(REASON, victim.closeReason);
        JsonObject row = Api.closedConnectionRow(base, victim.welcome.getString("connectionId"));
        assertEquals(4010, row.getInt("closeCode"));
        assertEquals(REASON, row.getString("closeReason"));
      }
      List<JsonObject> events = bystander.events("user:bystander", 6);
      for (int n = 1; n <= 6; n++) {
        assertEquals(before + n, events.get(n - 1).getJsonNumber("seq").longValue());
        assertEquals(n, events.get(n - 1).getJsonObject("data").getInt("n"));
      }
      assertEquals("pong", bystander.reply(bystander.send("ping", "")).getString("type"));
      assertFalse(bystander.closeCode.isDone());
    }
  }

  @Test
  void oneConnectionIsClosedByIdAndAClosedOrUnknownIdIsNotFound() throws Exception {
    try (TestClient kept = TestClient.connect(base, Tokens.valid("victim-one"));
        TestClient closed = TestClient.connect(base, Tokens.valid("victim-one"))) {
      String id = closed.welcome.getString("connectionId");
      Api.openConnectionRow(base, id);

      Api.Answer ordered =
          Api.post(
              base,
              "api/v1/admin/connections/" + id + "/disconnect",
              operator,
              "{\"reason\":\"" + REASON + "\"}");

      assertEquals(202, ordered.status(), ordered::toString);
      assertEquals(id, ordered.body().getString("connectionId"));
      assertEquals("victim-one", ordered.body().getString("subject"));
      assertEquals(4010, closed.awaitClose());
      assertEquals(REASON, closed.closeReason);
      assertEquals("pong", kept.reply(kept.send("ping", "")).getString("type"));
      Api.closedConnectionRow(base, id);
      Api.Answer again =
          Api.post(
              base,
              "api/v1/admin/connections/" + id + "/disconnect",
              operator,
              "{\"reason\":\"x\"}");
      assertEquals(404, again.status());
      assertEquals("NOT_FOUND", again.body().getString("code"));
      Api.Answer unknown =
          Api.post(
              base,
              "api/v1/admin/connections/00000000-0000-0000-0000-000000000000/disconnect",
              operator,
              "{\"reason\":\"x\"}");
      assertEquals(404, unknown.status());
    }
  }

  @Test
  void aDisconnectNeedsAReasonThatFitsACloseFrameAndAnAdmin() throws Exception {
    String path = "api/v1/admin/users/anyone/disconnect";
    Api.Answer noReason = Api.post(base, path, operator, "{}");
    assertEquals(400, noReason.status());
    assertEquals("MISSING_FIELD", noReason.body().getString("code"));
    Api.Answer tooLong = Api.post(base, path, operator, "{\"reason\":\"" + "x".repeat(124) + "\"}");
    assertEquals(400, tooLong.status());
    assertEquals("INVALID_FIELD", tooLong.body().getString("code"));
    Api.Answer user =
        Api.post(base, path, Tokens.valid("not-an-admin", "quote:read"), "{\"reason\":\"x\"}");
    assertEquals(403, user.status());
    assertEquals("FORBIDDEN", user.body().getString("code"));
  }

  @Test
  void connectionsAreListedByUserAndStateAcrossPages() throws Exception {
    try (TestClient a = TestClient.connect(base, Tokens.valid("listed-user"));
        TestClient b = TestClient.connect(base, Tokens.valid("listed-user"));
        TestClient c = TestClient.connect(base, Tokens.valid("listed-user"))) {
      Set<String> ids =
          Set.of(
              a.welcome.getString("connectionId"),
              b.welcome.getString("connectionId"),
              c.welcome.getString("connectionId"));
      for (String id : ids) {
        Api.openConnectionRow(base, id);
      }
      Api.Answer firstPage =
          Api.get(base, "api/v1/admin/connections?user=listed-user&state=OPEN&limit=2", operator);
      assertEquals(200, firstPage.status(), firstPage::toString);
      assertEquals(2, firstPage.body().getJsonArray("connections").size());
      String next = firstPage.body().getString("next");
      Api.Answer secondPage =
          Api.get(
              base,
              "api/v1/admin/connections?user=listed-user&state=OPEN&limit=2&after=" + next,
              operator);
      assertEquals(1, secondPage.body().getJsonArray("connections").size());
      assertEquals(JsonValue.NULL, secondPage.body().get("next"));
      Set<String> listed =
          java.util.stream.Stream.concat(
                  firstPage.body().getJsonArray("connections").stream(),
                  secondPage.body().getJsonArray("connections").stream())
              .map(row -> row.asJsonObject().getString("id"))
              .collect(Collectors.toSet());
      assertEquals(ids, listed);
      JsonObject row = firstPage.body().getJsonArray("connections").getJsonObject(0);
      assertEquals("listed-user", row.getString("subject"));
      assertNotNull(row.getString("instanceId"));
      assertEquals("127.0.0.1", row.getString("ipAddress"));

      Api.Answer closedOnly =
          Api.get(base, "api/v1/admin/connections?user=listed-user&state=CLOSED", operator);
      assertEquals(0, closedOnly.body().getJsonArray("connections").size());
      Api.Answer badState = Api.get(base, "api/v1/admin/connections?state=open", operator);
      assertEquals(400, badState.status());
      assertEquals("INVALID_PARAMETER", badState.body().getString("code"));
      assertTrue(badState.body().getString("message").contains("'state'"));
      Api.Answer misspelt = Api.get(base, "api/v1/admin/connections?usr=listed-user", operator);
      assertEquals(400, misspelt.status());
      assertEquals("INVALID_PARAMETER", misspelt.body().getString("code"));
    }
  }

  private void publishToBystander(int from, int to) throws Exception {
    for (int n = from; n <= to; n++) {
      assertEquals(
          201, Api.publish(base, "user:bystander", "note.created", "{\"n\":" + n + "}").status());
    }
  }
}
