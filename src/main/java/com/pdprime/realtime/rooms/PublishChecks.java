package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The checks of a REST publish, made before anything is stored: the same for a single publish and
 * for each event of a batch, so both answer the same mistake with the same code.
 */
final class PublishChecks {
  /** Event names are short dotted words, e.g. {@code order.shipped}. */
  private static final Pattern EVENT_NAME =
      Pattern.compile("(?=.{1,100}$)[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  /** An event is fanned out to every subscriber; 64 KiB keeps one event within one client frame. */
  static final int MAX_DATA_CHARS = 64 * 1024;

  private PublishChecks() {}

  /** A room a publisher may publish into: well formed and not computed by the server. */
  static RoomName room(String text, Predicate<RoomName> serverOnly) throws PublishRefused {
    RoomName room;
    try {
      room = RoomName.parse(text);
    } catch (RoomName.InvalidRoomName e) {
      throw new PublishRefused(
          400,
          e.unknownType() ? "UNKNOWN_ROOM_TYPE" : "INVALID_ROOM",
          e.getMessage(),
          "Publish to a room of the form type:key, e.g. user:alice.");
    }
    if (serverOnly.test(room)) {
      throw new PublishRefused(
          403,
          "SERVER_ONLY_ROOM",
          room + " is computed by the server; nobody publishes into it",
          "Publish into a room of your own, e.g. analytics:{name} without parameters.");
    }
    return room;
  }

  /** The event's {@code name}: dotted lower-case words, none the server keeps for itself. */
  static String name(JsonObject event) throws PublishRefused {
    JsonValue name = event.get("name");
    if (name == null) {
      throw PublishRefused.missingField("name", "Name the event, e.g. order.shipped.");
    }
    if (!(name instanceof JsonString text) || !EVENT_NAME.matcher(text.getString()).matches()) {
      throw PublishRefused.invalidField(
          "name",
          "must be dotted lower-case words, at most 100 characters",
          "Use a name like order.shipped.");
    }
    if (ServerEventNames.reserved(text.getString())) {
      throw new PublishRefused(
          403,
          "RESERVED_EVENT_NAME",
          "'"
              + text.getString()
              + "' is an event only the server publishes ("
              + ServerEventNames.families()
              + ")",
          "Publish under a name of your own, e.g. order.shipped; send notifications through"
              + " POST /api/v1/notifications.");
    }
    return text.getString();
  }

  /** The event's {@code data}: an object of at most {@link #MAX_DATA_CHARS} characters. */
  static JsonObject data(JsonObject event) throws PublishRefused {
    JsonValue data = event.get("data");
    if (data == null) {
      throw PublishRefused.missingField("data", "Send the event's data as a JSON object.");
    }
    if (data.getValueType() != JsonValue.ValueType.OBJECT) {
      throw PublishRefused.invalidField(
          "data", "must be a JSON object", "Wrap the data in an object.");
    }
    if (data.toString().length() > MAX_DATA_CHARS) {
      throw new PublishRefused(
          413,
          "EVENT_TOO_LARGE",
          "data is larger than " + MAX_DATA_CHARS + " characters",
          "Publish a reference to large content instead of the content.");
    }
    return data.asJsonObject();
  }
}
