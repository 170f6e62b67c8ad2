package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What admins do is written down and shown at once: each action (and each refusal) is a row in the
 * activity log and an {@code admin.activity} event on {@code admin:activity}; reading the log needs
 * {@code audit:read} and is itself recorded.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminActivityIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private final String auditorToken =
      Tokens.valid("auditor-activity", "admin:access", "audit:read");

  @Test
  void eachDisconnectAndEachRefusalReachesAnAuditorLiveAndInTheLog() throws Exception {
    String operator = Tokens.valid("ops-audited", "admin:access");
    try (TestClient auditor = TestClient.connectAdmin(base, auditorToken)) {
      assertEquals("ok", auditor.subscribe("admin:activity").getString("type"));

      assertEquals(
          202,
          Api.post(
                  base,
                  "api/v1/admin/users/audited-user/disconnect",
                  operator,
                  "{\"reason\":\"maintenance\"}")
              .status());
      assertEquals(
          400,
          Api.post(base, "api/v1/admin/users/audited-user/disconnect", operator, "{}").status());

      JsonObject done = activityOf(auditor, "ops-audited");
      assertEquals("user.disconnect", done.getString("action"));
      assertEquals("user:audited-user", done.getString("resource"));
      assertEquals("SUCCEEDED", done.getString("outcome"));
      assertEquals("127.0.0.1", done.getString("ip"));
      JsonObject refused = activityOf(auditor, "ops-audited");
      assertEquals("REFUSED", refused.getString("outcome"));

      Api.Answer log = Api.get(base, "api/v1/admin/activity?admin=ops-audited", auditorToken);
      assertEquals(200, log.status(), log::toString);
      JsonArray entries = log.body().getJsonArray("entries");
      assertEquals(2, entries.size());
      assertEquals("REFUSED", entries.getJsonObject(0).getString("outcome"));
      assertTrue(
          entries.getJsonObject(0).getString("details").startsWith("MISSING_FIELD"),
          entries::toString);
      assertEquals("SUCCEEDED", entries.getJsonObject(1).getString("outcome"));
      assertEquals(
          "ops-audited", entries.getJsonObject(1).getJsonObject("by").getString("subject"));
      assertTrue(entries.getJsonObject(1).getString("details").contains("reason=maintenance"));

      JsonObject viewed = activityOf(auditor, "auditor-activity");
      assertEquals("activity.view", viewed.getString("action"));
      assertEquals("SUCCEEDED", viewed.getString("outcome"));
    }
  }

  @Test
  void readingTheLogNeedsAuditReadAndTheRefusalIsRecorded() throws Exception {
    Api.Answer refused =
        Api.get(base, "api/v1/admin/activity", Tokens.valid("ops-curious", "admin:access"));
    assertEquals(403, refused.status());
    assertEquals("FORBIDDEN", refused.body().getString("code"));
    assertTrue(refused.body().getString("message").contains("audit:read"));

    JsonArray entries =
        Api.get(base, "api/v1/admin/activity?admin=ops-curious&action=activity.view", auditorToken)
            .body()
            .getJsonArray("entries");
    assertEquals(1, entries.size());
    assertEquals("REFUSED", entries.getJsonObject(0).getString("outcome"));
  }

  @Test
  void theLogIsPagedNewestFirstAndBadParametersAreRefused() throws Exception {
    String operator = Tokens.valid("ops-paged", "admin:access");
    for (int n = 1; n <= 3; n++) {
      Api.post(
          base, "api/v1/admin/users/paged-" + n + "/disconnect", operator, "{\"reason\":\"r\"}");
    }
    JsonObject first =
        Api.get(base, "api/v1/admin/activity?admin=ops-paged&limit=2", auditorToken).body();
    assertEquals(2, first.getJsonArray("entries").size());
    assertEquals(
        "user:paged-3", first.getJsonArray("entries").getJsonObject(0).getString("resource"));
    assertNotEquals(JsonValue.NULL, first.get("next"));
    JsonObject second =
        Api.get(
                base,
                "api/v1/admin/activity?admin=ops-paged&limit=2&after=" + first.getString("next"),
                auditorToken)
            .body();
    assertEquals(1, second.getJsonArray("entries").size());
    assertEquals(
        "user:paged-1", second.getJsonArray("entries").getJsonObject(0).getString("resource"));
    assertEquals(JsonValue.NULL, second.get("next"));

    for (String bad : List.of("limit=500", "actor=ops-paged", "admin=a&admin=b")) {
      Api.Answer refused = Api.get(base, "api/v1/admin/activity?" + bad, auditorToken);
      assertEquals(400, refused.status(), bad);
      assertEquals("INVALID_PARAMETER", refused.body().getString("code"), bad);
    }
  }

  private static JsonObject activityOf(TestClient auditor, String subject)
      throws InterruptedException {
    return auditor
        .next(
            f ->
                "event".equals(f.getString("type"))
                    && "admin:activity".equals(f.getString("room"))
                    && subject.equals(
                        f.getJsonObject("data").getJsonObject("by").getString("subject")))
        .getJsonObject("data");
  }
}
