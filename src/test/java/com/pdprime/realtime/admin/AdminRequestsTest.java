package com.pdprime.realtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin endpoints' parameters and bodies: what passes, and the code of what does not. */
class AdminRequestsTest {
  private static JsonObject body(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  @Test
  void aConnectionCursorNamesTheRowItWasMadeFrom() {
    Instant at = Instant.parse("2026-11-30T08:00:00.123456Z");
    String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    String text = new ConnectionQuery.Cursor(at, id).text();
    ConnectionQuery query = ConnectionQuery.parse(null, null, "OPEN", "10", text);
    assertEquals(new ConnectionQuery.Cursor(at, id), query.after());
    assertEquals(10, query.limit());
  }

  @Test
  void leftOutParametersFilterNothingAndTheLimitIsDocumented() {
    ConnectionQuery query = ConnectionQuery.parse(null, null, null, null, null);
    assertNull(query.user());
    assertNull(query.state());
    assertEquals(PageParameters.DEFAULT_LIMIT, query.limit());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user=",
        "state=open",
        "state=CLOSING",
        "limit=0",
        "limit=201",
        "limit=ten",
        "after=x",
        "after=12_notauuid"
      })
  void aBadConnectionParameterIsRefusedByName(String parameter) {
    String name = parameter.substring(0, parameter.indexOf('='));
    String value = parameter.substring(parameter.indexOf('=') + 1);
    Refusal refused =
        assertThrows(
            Refusal.class,
            () ->
                ConnectionQuery.parse(
                    name.equals("user") ? value : null,
                    null,
                    name.equals("state") ? value : null,
                    name.equals("limit") ? value : null,
                    name.equals("after") ? value : null));
    assertEquals("INVALID_PARAMETER", refused.code());
    assertEquals(400, refused.status());
    assertEquals("parameter '" + name + "'", refused.getMessage().substring(0, name.length() + 12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"action=User.Disconnect", "after=0", "after=-1", "admin="})
  void aBadActivityParameterIsRefusedByName(String parameter) {
    String name = parameter.substring(0, parameter.indexOf('='));
    String value = parameter.substring(parameter.indexOf('=') + 1);
    Refusal refused =
        assertThrows(
            Refusal.class,
            () ->
                ActivityQuery.parse(
                    name.equals("admin") ? value : null,
                    name.equals("action") ? value : null,
                    null,
                    name.equals("after") ? value : null));
    assertEquals("INVALID_PARAMETER", refused.code());
  }

  @Test
  void aDisconnectReasonMustFitACloseFrame() {
    assertEquals("maintenance", DisconnectReason.of(body("{\"reason\":\"maintenance\"}")));
    assertEquals(
        "é".repeat(61), DisconnectReason.of(body("{\"reason\":\"" + "é".repeat(61) + "\"}")));
    assertEquals(
        "MISSING_FIELD", assertThrows(Refusal.class, () -> DisconnectReason.of(null)).code());
    for (String bad :
        new String[] {
          "{\"reason\":42}",
          "{\"reason\":\" \"}",
          "{\"reason\":\"a\\nb\"}",
          "{\"reason\":\"" + "é".repeat(62) + "\"}"
        }) {
      assertEquals(
          "INVALID_FIELD",
          assertThrows(Refusal.class, () -> DisconnectReason.of(body(bad))).code(),
          bad);
    }
  }

  @Test
  void aListingTakesOnlyItsOwnParametersEachOnce() {
    PageParameters.requireKnown(
        Map.of("user", List.of("alice"), "limit", List.of("5")), ConnectionQuery.PARAMETERS);
    Refusal misspelt =
        assertThrows(
            Refusal.class,
            () ->
                PageParameters.requireKnown(
                    Map.of("usr", List.of("alice")), ConnectionQuery.PARAMETERS));
    assertEquals("INVALID_PARAMETER", misspelt.code());
    assertEquals("unknown parameter \"usr\"", misspelt.getMessage());
    Refusal repeated =
        assertThrows(
            Refusal.class,
            () ->
                PageParameters.requireKnown(
                    Map.of("state", List.of("OPEN", "CLOSED")), ConnectionQuery.PARAMETERS));
    assertEquals("parameter 'state' is given more than once", repeated.getMessage());
  }
}
