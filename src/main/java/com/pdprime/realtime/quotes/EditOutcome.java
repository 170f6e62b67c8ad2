package com.pdprime.realtime.quotes;

import jakarta.json.JsonValue;

/**
 * The result of a compare-and-set field edit: applied (the new value and version), or a conflict
 * with the value and version that won, so the editor can show both.
 */
public record EditOutcome(boolean applied, String field, JsonValue value, long version) {}
