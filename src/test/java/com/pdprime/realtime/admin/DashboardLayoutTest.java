package com.pdprime.realtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DashboardLayoutTest {
  private static jakarta.json.JsonObject body(String text) {
    return json(text).asJsonObject();
  }

  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  @Test
  void aLayoutOfKnownWidgetsIsStoredAsSent() {
    String layout =
        "{\"widgets\":[{\"type\":\"system\",\"x\":0,\"y\":0,\"w\":6,\"h\":4,\"title\":\"Heap\"},"
            + "{\"type\":\"alerts\",\"x\":6,\"y\":0,\"w\":6,\"h\":4}]}";
    assertEquals(layout, DashboardLayout.validated(json(layout)));
    assertEquals("{\"widgets\":[]}", DashboardLayout.validated(json("{\"widgets\":[]}")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]| layout must be a JSON object",
        "\"{}\"| layout must be a JSON object",
        "{}| layout.widgets is required",
        "{\"widgets\":{}}| layout.widgets must be an array",
        "{\"widgets\":[],\"theme\":\"dark\"}| layout.theme is not part of a layout",
        "{\"widgets\":[1]}| layout.widgets[0] must be an object",
        "{\"widgets\":[{\"type\":\"pie\",\"x\":0,\"y\":0,\"w\":1,\"h\":1}]}| layout.widgets[0].type must be one of",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1}]}| layout.widgets[0].h is required",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":\"0\",\"y\":0,\"w\":1,\"h\":1}]}| layout.widgets[0].x must be a whole number",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1.5,\"h\":1}]}| layout.widgets[0].w must be a whole number",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":8,\"y\":0,\"w\":6,\"h\":1}]}| layout.widgets[0].w reaches past column 12",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1,\"h\":25}]}| layout.widgets[0].h must be a whole number from 1 to 24",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1,\"h\":1,\"color\":1}]}| layout.widgets[0].color is not a widget key",
        "{\"widgets\":[{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1,\"h\":1,\"title\":\" \"}]}| layout.widgets[0].title must be a non-blank string",
      })
  void aLayoutOutsideTheSchemaIsRefusedWithThePathOfTheProblem(String layout, String message) {
    Refusal refused = assertThrows(Refusal.class, () -> DashboardLayout.validated(json(layout)));
    assertEquals("INVALID_LAYOUT", refused.code());
    assertEquals(400, refused.status());
    assertTrue(refused.getMessage().startsWith(message.strip()), refused::getMessage);
  }

  @Test
  void tooManyWidgetsAreRefused() {
    String widget = "{\"type\":\"alerts\",\"x\":0,\"y\":0,\"w\":1,\"h\":1}";
    String layout =
        "{\"widgets\":[" + String.join(",", java.util.Collections.nCopies(41, widget)) + "]}";
    Refusal refused = assertThrows(Refusal.class, () -> DashboardLayout.validated(json(layout)));
    assertEquals("layout.widgets holds 41 widgets; at most 40", refused.getMessage());
  }

  @Test
  void aLayoutOverTheSizeCapIsRefusedWith413() {
    String layout = "{\"widgets\":[],\"pad\":\"" + "x".repeat(DashboardLayout.MAX_CHARS) + "\"}";
    Refusal refused = assertThrows(Refusal.class, () -> DashboardLayout.validated(json(layout)));
    assertEquals(413, refused.status());
    assertEquals("LAYOUT_TOO_LARGE", refused.code());
  }

  @Test
  void aDashboardNeedsItsThreeFieldsAndNoOthers() {
    String layout = "{\"widgets\":[]}";
    DashboardInput input =
        DashboardInput.parse(
            body("{\"name\":\"Night\",\"layout\":" + layout + ",\"default\":true}"));
    assertEquals(new DashboardInput("Night", layout, true), input);
    assertEquals(
        "MISSING_FIELD",
        assertThrows(
                Refusal.class,
                () -> DashboardInput.parse(body("{\"name\":\"Night\",\"layout\":" + layout + "}")))
            .code());
    assertEquals(
        "INVALID_FIELD",
        assertThrows(
                Refusal.class,
                () ->
                    DashboardInput.parse(
                        body("{\"name\":\"Night\",\"layout\":" + layout + ",\"default\":\"yes\"}")))
            .code());
    assertEquals(
        "INVALID_FIELD",
        assertThrows(
                Refusal.class,
                () ->
                    DashboardInput.parse(
                        body(
                            "{\"name\":\"N\",\"layout\":"
                                + layout
                                + ",\"default\":false,\"owner\":\"x\"}")))
            .code());
    assertEquals(
        "INVALID_LAYOUT",
        assertThrows(
                Refusal.class,
                () ->
                    DashboardInput.parse(
                        body("{\"name\":\"N\",\"layout\":\"{}\",\"default\":false}")))
            .code());
  }
}
