package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.LogSafe;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A dashboard as an admin sends it to save or replace: {@code {"name", "layout", "default"}}, each
 * required (a replace that left {@code default} out would otherwise have to guess).
 */
public record DashboardInput(String name, String layout, boolean isDefault) {
  static final int MAX_NAME_CHARS = 100;

  static DashboardInput parse(JsonObject body) {
    if (body == null) {
      throw new Refusal(
          400,
          "INVALID_FRAME",
          "the body must be a JSON object",
          "Send {\"name\", \"layout\", \"default\"}.");
    }
    JsonValue name = body.get("name");
    if (name == null) {
      throw Refusal.missingField("name", "Name the dashboard.");
    }
    if (!(name instanceof JsonString text)
        || text.getString().isBlank()
        || text.getString().length() > MAX_NAME_CHARS
        || LogSafe.hasControlCharacters(text.getString())) {
      throw Refusal.invalidField(
          "name",
          "must be a non-blank string of at most "
              + MAX_NAME_CHARS
              + " characters without control characters",
          "Give the dashboard a short name.");
    }
    JsonValue layout = body.get("layout");
    if (layout == null) {
      throw Refusal.missingField("layout", "Send the layout object {\"widgets\": [...]}.");
    }
    String stored = DashboardLayout.validated(layout);
    JsonValue isDefault = body.get("default");
    if (isDefault == null) {
      throw Refusal.missingField("default", "Say whether this is your default dashboard.");
    }
    if (isDefault.getValueType() != JsonValue.ValueType.TRUE
        && isDefault.getValueType() != JsonValue.ValueType.FALSE) {
      throw Refusal.invalidField("default", "must be true or false", "Send true or false.");
    }
    for (String key : body.keySet()) {
      if (!key.equals("name") && !key.equals("layout") && !key.equals("default")) {
        throw Refusal.invalidField(
            key, "is not part of a dashboard", "Send only name, layout and default.");
      }
    }
    return new DashboardInput(
        text.getString(), stored, isDefault.getValueType() == JsonValue.ValueType.TRUE);
  }
}
