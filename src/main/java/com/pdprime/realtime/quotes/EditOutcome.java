package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The result of a compare-and-set field edit: applied (the new value and version), or a conflict
 * with the value and version that won, so the editor can show both.
 */
public record EditOutcome(boolean applied, String field, JsonValue value, long version) {
  /** The field's state as the socket's ok, REST's answer and a conflict's details show it. */
  public JsonObject state() {
    return JSON.createObjectBuilder()
        .add("field", field)
        .add("value", value)
        .add("version", version)
        .build();
  }
}
