package com.pdprime.realtime.notifications;

import com.pdprime.realtime.rooms.RoomName;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/notifications}, validated: every field present with its type and
 * bounds, no field the endpoint does not know (a misspelt {@code collapsekey} would otherwise
 * silently not collapse). Nothing is defaulted but the optional {@code data} (an empty object) and
 * {@code collapseKey} (none).
 */
public record NotificationRequest(
    String recipient,
    String type,
    Priority priority,
    String title,
    String body,
    JsonObject data,
    String collapseKey) {
  static final int MAX_TITLE = 200;
  static final int MAX_BODY = 2000;
  // The data travels in every copy of the event and the inbox page renders it; 16 KiB is far
  // more than the ids and amounts a notification links to, and a quarter of a socket frame.
  static final int MAX_DATA_CHARS = 16384;
  static final int MAX_COLLAPSE_KEY = 100;
  private static final Pattern COLLAPSE_KEY = Pattern.compile("[A-Za-z0-9._:-]+");
  private static final Set<String> FIELDS =
      Set.of("recipient", "type", "priority", "title", "body", "data", "collapseKey");

  public static NotificationRequest parse(JsonObject body) {
    if (body == null) {
      throw new NotificationRefusal(
          400,
          "INVALID_FRAME",
          "the request has no body",
          "Send {recipient, type, priority, title, body} as JSON (docs/protocol.md §11.17).");
    }
    for (String key : body.keySet()) {
      if (!FIELDS.contains(key)) {
        throw NotificationRefusal.invalidField(
            key, "is not a field of a notification", "Send only the fields " + FIELDS + ".");
      }
    }
    String recipient = string(body, "recipient", "Name the recipient by their token subject.");
    if (userRoom(recipient) == null) {
      throw NotificationRefusal.invalidField(
          "recipient",
          "must be a token subject of 1–128 characters from A–Z a–z 0–9 . _ @ : - |",
          "Use the recipient's token subject exactly.");
    }
    String type = string(body, "type", "Name the type, e.g. rates.changed.");
    if (!NotificationTypes.valid(type)) {
      throw NotificationRefusal.invalidField(
          "type",
          "must be 1–100 characters of dotted lower-case words, e.g. rates.changed",
          "Use a type like rates.changed or security.login.");
    }
    String priorityText = string(body, "priority", "Say critical, normal or low.");
    Priority priority =
        Priority.ofWire(priorityText)
            .orElseThrow(
                () ->
                    NotificationRefusal.invalidField(
                        "priority",
                        "must be critical, normal or low",
                        "Use critical only for what must not wait (security, binding)."));
    String title = bounded(body, "title", MAX_TITLE);
    String text = bounded(body, "body", MAX_BODY);
    JsonObject data = data(body);
    String collapseKey = collapseKey(body);
    return new NotificationRequest(recipient, type, priority, title, text, data, collapseKey);
  }

  /** The recipient's {@code user:} room, or null if the subject cannot name one. */
  static RoomName userRoom(String subject) {
    try {
      return RoomName.parse("user:" + subject);
    } catch (RoomName.InvalidRoomName e) {
      return null;
    }
  }

  private static String string(JsonObject body, String field, String action) {
    JsonValue value = body.get(field);
    if (value == null) {
      throw NotificationRefusal.missingField(field, action);
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw NotificationRefusal.invalidField(field, "must be a string, not " + kind(value), action);
    }
    return ((JsonString) value).getString();
  }

  private static String bounded(JsonObject body, String field, int max) {
    String text = string(body, field, "Give the " + field + " the recipient reads.");
    if (text.isBlank() || text.length() > max) {
      throw NotificationRefusal.invalidField(
          field,
          "must be 1 to " + max + " characters, not blank",
          "Shorten the " + field + "; put details behind a link in data.");
    }
    return text;
  }

  private static JsonObject data(JsonObject body) {
    JsonValue value = body.get("data");
    if (value == null) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw NotificationRefusal.invalidField(
          "data",
          "must be an object, not " + kind(value),
          "Send data as a JSON object or omit it.");
    }
    if (value.toString().length() > MAX_DATA_CHARS) {
      throw NotificationRefusal.invalidField(
          "data",
          "serialises to more than " + MAX_DATA_CHARS + " characters",
          "Send ids the recipient's page can look up, not whole documents.");
    }
    return value.asJsonObject();
  }

  private static String collapseKey(JsonObject body) {
    JsonValue value = body.get("collapseKey");
    if (value == null) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw NotificationRefusal.invalidField(
          "collapseKey", "must be a string, not " + kind(value), "Omit it, or send a string.");
    }
    String key = ((JsonString) value).getString();
    if (key.length() > MAX_COLLAPSE_KEY || !COLLAPSE_KEY.matcher(key).matches()) {
      throw NotificationRefusal.invalidField(
          "collapseKey",
          "must be 1 to " + MAX_COLLAPSE_KEY + " characters from A–Z a–z 0–9 . _ : -",
          "Use one key per thing that changes, e.g. rates:CA.");
    }
    return key;
  }

  static String kind(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case NULL -> "null";
    };
  }
}
