package com.pdprime.realtime.notifications;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /api/v1/notifications/preferences}: the whole preferences, as GET answers
 * them ({@code effectiveTimeZone} may be sent back and is ignored, being the server's). Every field
 * is required, null where the contract allows it, so a client cannot clear a setting by leaving it
 * out.
 */
public final class PreferencesRequest {
  // 30 muted types is more than a person manages by hand, and 30 names of at most 100 characters
  // fit the 4000-character column.
  static final int MAX_MUTED = 30;
  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
  private static final DateTimeFormatter STRICT =
      DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);
  private static final Set<String> FIELDS =
      Set.of("timeZone", "effectiveTimeZone", "quietHours", "mutedTypes");

  private PreferencesRequest() {}

  public static Preferences parse(JsonObject body, BusinessWindow window) {
    if (body == null) {
      throw new NotificationRefusal(
          400,
          "INVALID_FRAME",
          "the request has no body",
          "Send {timeZone, quietHours, mutedTypes} as JSON, as GET answers them.");
    }
    for (String key : body.keySet()) {
      if (!FIELDS.contains(key)) {
        throw NotificationRefusal.invalidField(
            key, "is not a preference", "Send only timeZone, quietHours and mutedTypes.");
      }
    }
    return new Preferences(timeZone(body), quietHours(body, window), mutedTypes(body));
  }

  private static JsonValue required(JsonObject body, String field, String action) {
    JsonValue value = body.get(field);
    if (value == null) {
      throw NotificationRefusal.missingField(field, action);
    }
    return value;
  }

  private static ZoneId timeZone(JsonObject body) {
    String action = "Send an IANA zone such as America/Chicago, or null to derive it.";
    JsonValue value = required(body, "timeZone", action);
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw NotificationRefusal.invalidField(
          "timeZone", "must be a string or null, not " + NotificationRequest.kind(value), action);
    }
    String id = ((JsonString) value).getString();
    // Region ids only (America/Chicago): offsets such as +05:00 or EST ignore daylight saving.
    if (!ZoneId.getAvailableZoneIds().contains(id) || !id.contains("/")) {
      throw NotificationRefusal.invalidField(
          "timeZone", "'" + id + "' is not an IANA region zone", action);
    }
    return ZoneId.of(id);
  }

  private static QuietHours quietHours(JsonObject body, BusinessWindow window) {
    String action = "Send {\"start\":\"HH:mm\",\"end\":\"HH:mm\"} in your local time, or null.";
    JsonValue value = required(body, "quietHours", action);
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw NotificationRefusal.invalidField(
          "quietHours",
          "must be an object or null, not " + NotificationRequest.kind(value),
          action);
    }
    JsonObject span = value.asJsonObject();
    for (String key : span.keySet()) {
      if (!key.equals("start") && !key.equals("end")) {
        throw NotificationRefusal.invalidField(
            "quietHours." + key, "is not a field of quiet hours", action);
      }
    }
    LocalTime start = time(span, "start", action);
    LocalTime end = time(span, "end", action);
    if (start.equals(end)) {
      throw NotificationRefusal.invalidField(
          "quietHours", "must end at another time than it starts", action);
    }
    QuietHours quiet = new QuietHours(start, end);
    if (!window.leavesTimeOutside(quiet)) {
      throw NotificationRefusal.invalidField(
          "quietHours",
          "cover the whole business window "
              + Preferences.HH_MM.format(window.opens())
              + "–"
              + Preferences.HH_MM.format(window.closes())
              + ", so routine notifications could never arrive",
          "Leave part of the business window outside your quiet hours, or mute the types.");
    }
    return quiet;
  }

  private static LocalTime time(JsonObject span, String field, String action) {
    JsonValue value = span.get(field);
    if (value == null) {
      throw NotificationRefusal.missingField("quietHours." + field, action);
    }
    if (value.getValueType() != JsonValue.ValueType.STRING
        || !HH_MM.matcher(((JsonString) value).getString()).matches()) {
      throw NotificationRefusal.invalidField(
          "quietHours." + field, "must be a time \"HH:mm\" from 00:00 to 23:59", action);
    }
    try {
      return LocalTime.parse(((JsonString) value).getString(), STRICT);
    } catch (DateTimeException e) {
      throw NotificationRefusal.invalidField("quietHours." + field, e.getMessage(), action);
    }
  }

  private static Set<String> mutedTypes(JsonObject body) {
    String action = "Send the list of types to mute, e.g. [\"rates.changed\"], or [].";
    JsonValue value = required(body, "mutedTypes", action);
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      throw NotificationRefusal.invalidField(
          "mutedTypes", "must be an array, not " + NotificationRequest.kind(value), action);
    }
    Set<String> types = new LinkedHashSet<>();
    for (JsonValue item : value.asJsonArray()) {
      if (item.getValueType() != JsonValue.ValueType.STRING
          || !NotificationTypes.valid(((JsonString) item).getString())) {
        throw NotificationRefusal.invalidField(
            "mutedTypes", "must hold type names such as rates.changed", action);
      }
      String type = ((JsonString) item).getString();
      if (!NotificationTypes.mutable(type)) {
        throw new NotificationRefusal(
            400,
            NotificationRefusal.UNMUTABLE,
            "type "
                + type
                + " cannot be muted: security notices and critical-only types always"
                + " arrive",
            "Remove " + type + " from mutedTypes.");
      }
      types.add(type);
    }
    if (types.size() > MAX_MUTED) {
      throw NotificationRefusal.invalidField(
          "mutedTypes", "holds more than " + MAX_MUTED + " types", action);
    }
    return types;
  }
}
