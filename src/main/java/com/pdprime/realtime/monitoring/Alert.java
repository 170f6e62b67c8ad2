package com.pdprime.realtime.monitoring;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/**
 * One {@code system_alerts} row and the moves of its lifecycle: raised, repeated while the
 * condition lasts, acknowledged by an admin, resolved by an admin (MANUAL) or when the condition
 * cleared (AUTO). Each move returns the next state or says why it is refused; nothing is stored
 * here.
 */
public record Alert(
    long id,
    String type,
    String source,
    AlertSeverity severity,
    String message,
    String details,
    Instant raisedAt,
    Instant lastSeenAt,
    int occurrences,
    String acknowledgedBy,
    Instant acknowledgedAt,
    String resolvedBy,
    Instant resolvedAt,
    Resolution resolution) {

  /** How an alert was closed. */
  public enum Resolution {
    MANUAL,
    AUTO
  }

  static final int MAX_MESSAGE = 1000;
  static final int MAX_DETAILS = 4000;

  public boolean open() {
    return resolvedAt == null;
  }

  /** The condition was seen again: counted, and severity and wording follow the latest sighting. */
  Alert repeated(Sighting again) {
    requireOpen();
    return new Alert(
        id,
        type,
        source,
        again.severity(),
        truncate(again.message(), MAX_MESSAGE),
        truncate(again.details(), MAX_DETAILS),
        raisedAt,
        again.lastSeen(),
        occurrences + again.count(),
        acknowledgedBy,
        acknowledgedAt,
        null,
        null,
        null);
  }

  Alert acknowledged(String subject, Instant at) throws AlertProblem {
    if (!open()) {
      throw new AlertProblem(
          AlertProblem.Kind.ALREADY_RESOLVED, "alert " + id + " is resolved already");
    }
    if (acknowledgedBy != null) {
      throw new AlertProblem(
          AlertProblem.Kind.ALREADY_ACKNOWLEDGED,
          "alert " + id + " was acknowledged by " + acknowledgedBy + " at " + acknowledgedAt);
    }
    return new Alert(
        id,
        type,
        source,
        severity,
        message,
        details,
        raisedAt,
        lastSeenAt,
        occurrences,
        subject,
        at,
        null,
        null,
        null);
  }

  /**
   * Closes the alert: by {@code subject} (MANUAL), or with a null subject when it cleared (AUTO).
   */
  Alert resolved(String subject, Instant at) throws AlertProblem {
    if (!open()) {
      throw new AlertProblem(
          AlertProblem.Kind.ALREADY_RESOLVED,
          "alert " + id + " was resolved at " + resolvedAt + " (" + resolution + ")");
    }
    return new Alert(
        id,
        type,
        source,
        severity,
        message,
        details,
        raisedAt,
        lastSeenAt,
        occurrences,
        acknowledgedBy,
        acknowledgedAt,
        subject,
        at,
        subject == null ? Resolution.AUTO : Resolution.MANUAL);
  }

  /** The key that keeps one open alert per (type, source); null once resolved. */
  static String openKey(String type, String source) {
    return type + "|" + source;
  }

  private void requireOpen() {
    if (!open()) {
      throw new IllegalStateException("alert " + id + " is resolved; a repeat opens a new one");
    }
  }

  static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }

  public JsonObject toJson() {
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", id)
            .add("type", type)
            .add("source", source)
            .add("severity", severity.wire())
            .add("message", message)
            .add("raisedAt", raisedAt.toString())
            .add("lastSeenAt", lastSeenAt.toString())
            .add("occurrences", occurrences)
            .add("state", open() ? (acknowledgedBy == null ? "open" : "acknowledged") : "resolved");
    optional(json, "details", details);
    optional(json, "acknowledgedBy", acknowledgedBy);
    optional(json, "acknowledgedAt", acknowledgedAt == null ? null : acknowledgedAt.toString());
    optional(json, "resolvedBy", resolvedBy);
    optional(json, "resolvedAt", resolvedAt == null ? null : resolvedAt.toString());
    optional(json, "resolution", resolution == null ? null : resolution.name());
    return json.build();
  }

  private static void optional(JsonObjectBuilder json, String key, String value) {
    if (value == null) {
      json.addNull(key);
    } else {
      json.add(key, value);
    }
  }
}
