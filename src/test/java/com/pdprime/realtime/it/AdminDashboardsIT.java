package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An admin saves, lists, loads, replaces and deletes named dashboard layouts; a layout outside the
 * schema is refused with the path of the problem; one default per admin; nobody sees another
 * admin's dashboards; every write is in the activity log.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminDashboardsIT {
  private static final String PATH = "api/v1/admin/dashboards";
  private static final String LAYOUT =
      "{\"widgets\":[{\"type\":\"system\",\"x\":0,\"y\":0,\"w\":8,\"h\":4,\"title\":\"Load\"},"
          + "{\"type\":\"alerts\",\"x\":8,\"y\":0,\"w\":4,\"h\":4}]}";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void anAdminSavesListsLoadsReplacesAndDeletesALayout() throws Exception {
    String admin = Tokens.valid("dash-crud", "admin:access");
    Api.Answer created = Api.post(base, PATH, admin, body("Night shift", LAYOUT, false));
    assertEquals(201, created.status(), created::toString);
    String id = created.body().getString("id");
    assertEquals(LAYOUT, created.body().getJsonObject("layout").toString());

    JsonArray list = Api.get(base, PATH, admin).body().getJsonArray("dashboards");
    assertEquals(1, list.size());
    assertEquals("Night shift", list.getJsonObject(0).getString("name"));
    assertFalse(list.getJsonObject(0).containsKey("layout"));
    Api.Answer loaded = Api.get(base, PATH + "/" + id, admin);
    assertEquals(LAYOUT, loaded.body().getJsonObject("layout").toString());

    Api.Answer replaced =
        Api.put(base, PATH + "/" + id, admin, body("Day shift", "{\"widgets\":[]}", true));
    assertEquals(200, replaced.status(), replaced::toString);
    assertEquals("Day shift", Api.get(base, PATH + "/" + id, admin).body().getString("name"));
    assertTrue(Api.get(base, PATH + "/" + id, admin).body().getBoolean("default"));

    assertEquals(204, Api.send(base, "DELETE", PATH + "/" + id, admin, null).status());
    assertEquals(404, Api.get(base, PATH + "/" + id, admin).status());

    JsonArray writes =
        Api.get(
                base,
                "api/v1/admin/activity?admin=dash-crud",
                Tokens.valid("dash-auditor", "admin:access", "audit:read"))
            .body()
            .getJsonArray("entries");
    assertEquals(
        List.of("dashboard.delete", "dashboard.update", "dashboard.create"),
        writes.stream().map(e -> e.asJsonObject().getString("action")).toList());
    assertEquals("dashboard:" + id, writes.getJsonObject(0).getString("resource"));
  }

  @Test
  void settingADefaultUnsetsTheAdminsOtherDefault() throws Exception {
    String admin = Tokens.valid("dash-default", "admin:access");
    String first = Api.post(base, PATH, admin, body("First", LAYOUT, true)).body().getString("id");
    String second =
        Api.post(base, PATH, admin, body("Second", LAYOUT, true)).body().getString("id");
    assertTrue(Api.get(base, PATH + "/" + second, admin).body().getBoolean("default"));
    assertFalse(Api.get(base, PATH + "/" + first, admin).body().getBoolean("default"));

    Api.put(base, PATH + "/" + first, admin, body("First", LAYOUT, true));
    assertTrue(Api.get(base, PATH + "/" + first, admin).body().getBoolean("default"));
    assertFalse(Api.get(base, PATH + "/" + second, admin).body().getBoolean("default"));
  }

  @Test
  void concurrentDefaultSavesOfANewAdminAllSucceedAndLeaveOneDefault() throws Exception {
    String admin = Tokens.valid("dash-concurrent", "admin:access");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Api.Answer>> saves = new ArrayList<>();
      for (int n = 1; n <= 8; n++) {
        String name = "Screen " + n;
        saves.add(pool.submit(() -> Api.post(base, PATH, admin, body(name, LAYOUT, true))));
      }
      for (Future<Api.Answer> save : saves) {
        Api.Answer answer = save.get(60, TimeUnit.SECONDS);
        assertEquals(201, answer.status(), answer::toString);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonArray list = Api.get(base, PATH, admin).body().getJsonArray("dashboards");
    assertEquals(8, list.size());
    assertEquals(
        1,
        list.stream().filter(d -> d.asJsonObject().getBoolean("default")).count(),
        list::toString);
  }

  @Test
  void anotherAdminsDashboardIsNotFoundAndStaysUnchanged() throws Exception {
    String owner = Tokens.valid("dash-owner", "admin:access");
    String other = Tokens.valid("dash-other", "admin:access");
    String id = Api.post(base, PATH, owner, body("Mine", LAYOUT, false)).body().getString("id");

    assertEquals(404, Api.get(base, PATH + "/" + id, other).status());
    assertEquals(
        "NOT_FOUND",
        Api.put(base, PATH + "/" + id, other, body("Taken", LAYOUT, true))
            .body()
            .getString("code"));
    assertEquals(404, Api.send(base, "DELETE", PATH + "/" + id, other, null).status());
    assertEquals(0, Api.get(base, PATH, other).body().getJsonArray("dashboards").size());
    assertEquals("Mine", Api.get(base, PATH + "/" + id, owner).body().getString("name"));
  }

  @Test
  void badLayoutsAreRefusedWithTheirCodeAndAudited() throws Exception {
    String admin = Tokens.valid("dash-bad", "admin:access");
    assertRefused(400, "MALFORMED_JSON", Api.post(base, PATH, admin, "{\"name\":\"x\","));
    assertRefused(
        400,
        "INVALID_LAYOUT",
        Api.post(base, PATH, admin, body("Pie", "{\"widgets\":[{\"type\":\"pie\"}]}", false)));
    assertRefused(
        400,
        "INVALID_LAYOUT",
        Api.post(
            base,
            PATH,
            admin,
            body(
                "Wide",
                "{\"widgets\":[{\"type\":\"alerts\",\"x\":6,\"y\":0,\"w\":\"7\",\"h\":1}]}",
                false)));
    assertRefused(
        400,
        "INVALID_LAYOUT",
        Api.post(base, PATH, admin, body("Text", "\"" + "{}" + "\"", false)));
    assertRefused(
        413,
        "LAYOUT_TOO_LARGE",
        Api.post(
            base,
            PATH,
            admin,
            body("Huge", "{\"widgets\":[],\"pad\":\"" + "x".repeat(20_000) + "\"}", false)));
    assertRefused(
        400,
        "MISSING_FIELD",
        Api.post(base, PATH, admin, "{\"name\":\"No default\",\"layout\":" + LAYOUT + "}"));
    Api.post(base, PATH, admin, body("Twice", LAYOUT, false));
    assertRefused(
        409, "DASHBOARD_NAME_TAKEN", Api.post(base, PATH, admin, body("Twice", LAYOUT, false)));
    assertRefused(
        404,
        "NOT_FOUND",
        Api.put(base, PATH + "/not-a-dashboard", admin, body("X", LAYOUT, false)));
    assertEquals(1, Api.get(base, PATH, admin).body().getJsonArray("dashboards").size());

    JsonArray writes =
        Api.get(
                base,
                "api/v1/admin/activity?admin=dash-bad",
                Tokens.valid("dash-auditor", "admin:access", "audit:read"))
            .body()
            .getJsonArray("entries");
    // The malformed body never reached the resource; the other eight requests are in the log.
    assertEquals(
        List.of(
            "REFUSED",
            "REFUSED",
            "SUCCEEDED",
            "REFUSED",
            "REFUSED",
            "REFUSED",
            "REFUSED",
            "REFUSED"),
        writes.stream().map(e -> e.asJsonObject().getString("outcome")).toList());
  }

  @Test
  void theFiftyFirstDashboardIsRefusedAndDeletingOneMakesRoom() throws Exception {
    String admin = Tokens.valid("dash-many", "admin:access");
    String first = null;
    for (int i = 1; i <= 50; i++) {
      Api.Answer created = Api.post(base, PATH, admin, body("Layout " + i, LAYOUT, false));
      assertEquals(201, created.status(), created::toString);
      if (first == null) {
        first = created.body().getString("id");
      }
    }
    assertRefused(
        409, "TOO_MANY_DASHBOARDS", Api.post(base, PATH, admin, body("One more", LAYOUT, false)));
    assertEquals(50, Api.get(base, PATH, admin).body().getJsonArray("dashboards").size());
    assertEquals(
        201,
        Api.post(
                base,
                PATH,
                Tokens.valid("dash-many-neighbour", "admin:access"),
                body("Mine", LAYOUT, false))
            .status(),
        "the cap is per admin");

    assertEquals(204, Api.send(base, "DELETE", PATH + "/" + first, admin, null).status());
    assertEquals(201, Api.post(base, PATH, admin, body("One more", LAYOUT, false)).status());
  }

  private static void assertRefused(int status, String code, Api.Answer answer) {
    assertEquals(status, answer.status(), answer::toString);
    assertEquals(code, answer.body().getString("code"), answer::toString);
  }

  private static String body(String name, String layout, boolean isDefault) {
    return "{\"name\":\"" + name + "\",\"layout\":" + layout + ",\"default\":" + isDefault + "}";
  }
}
