package com.pdprime.realtime.protocol;

import static com.pdprime.realtime.protocol.JsonSupport.INBOUND_PARSERS;

import com.pdprime.realtime.rooms.Position;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomType;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.OptionalLong;

/**
 * Turns a client text frame into a {@link Command} or a {@link ProtocolException} that names
 * exactly what is wrong. Nothing is defaulted: a missing or ill-typed field is an error.
 */
public final class CommandParser {
  static final int MAX_ID_LENGTH = 64;

  private CommandParser() {}

  public static Command parse(String text) throws ProtocolException {
    JsonObject frame = readObject(text);
    String id = commandId(frame);
    String type = requireString(frame, "type", id);
    return switch (type) {
      case "ping" -> new Command.Ping(id);
      case "subscribe" ->
          new Command.Subscribe(id, requireRoom(frame, id), optionalPosition(frame, id));
      case "unsubscribe" -> new Command.Unsubscribe(id, requireRoom(frame, id));
      case "presence" -> new Command.Presence(id, requireRoom(frame, id));
      case "snapshot" -> new Command.Snapshot(id, requireRoom(frame, id));
      case "edit" ->
          new Command.Edit(
              id,
              requireQuoteRoom(frame, id),
              requireString(frame, "field", id),
              requireValue(frame, id),
              requireVersion(frame, id));
      case "focus" ->
          new Command.Focus(id, requireQuoteRoom(frame, id), requireString(frame, "field", id));
      case "blur" ->
          new Command.Blur(id, requireQuoteRoom(frame, id), requireString(frame, "field", id));
      case "calculate" -> new Command.Calculate(id, requireQuoteRoom(frame, id));
      case "refresh" -> new Command.Refresh(id, requireString(frame, "token", id));
      case "acknowledge" -> new Command.Acknowledge(id, requireAlertId(frame, id));
      case "resolve" -> new Command.Resolve(id, requireAlertId(frame, id));
      case "notification.read" ->
          new Command.NotificationRead(id, requireNotificationId(frame, id));
      case "notification.read-all" -> new Command.NotificationReadAll(id);
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, "command type '" + type + "' does not exist", id);
    };
  }

  private static JsonObject readObject(String text) throws ProtocolException {
    JsonValue value;
    try (JsonParser parser = INBOUND_PARSERS.createParser(new StringReader(text))) {
      parser.next();
      value = parser.getValue();
      if (parser.hasNext()) {
        // One frame is one command: a second value would otherwise go unanswered.
        throw new ProtocolException(
            ErrorCode.MALFORMED_JSON, "frame holds more than one JSON value", null);
      }
    } catch (RuntimeException e) {
      // The provider signals bad input with more than JsonException: nesting and number limits,
      // duplicate keys and an empty frame throw plain runtime exceptions. All of them are the
      // client's input, and each must be answered rather than reach the endpoint's error handler.
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "frame is not valid JSON: " + JsonSupport.refusal(e), null);
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new ProtocolException(
          ErrorCode.INVALID_FRAME, "frame is a JSON " + kind(value) + ", not an object", null);
    }
    return value.asJsonObject();
  }

  private static String commandId(JsonObject frame) throws ProtocolException {
    JsonValue id = frame.get("id");
    if (id == null) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'id' is required", null);
    }
    if (id.getValueType() != JsonValue.ValueType.STRING) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field 'id' must be a string, not a " + kind(id), null);
    }
    String text = ((JsonString) id).getString();
    if (text.isEmpty() || text.length() > MAX_ID_LENGTH) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          "field 'id' must be 1 to " + MAX_ID_LENGTH + " characters long",
          null);
    }
    return text;
  }

  private static String requireString(JsonObject frame, String field, String id)
      throws ProtocolException {
    return requireString(frame, field, id, field);
  }

  private static String requireString(JsonObject frame, String key, String id, String field)
      throws ProtocolException {
    JsonValue value = frame.get(key);
    if (value == null) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "field '" + field + "' is required", id);
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          "field '" + field + "' must be a string, not a " + kind(value),
          id);
    }
    return ((JsonString) value).getString();
  }

  private static RoomName requireRoom(JsonObject frame, String id) throws ProtocolException {
    String text = requireString(frame, "room", id);
    try {
      return RoomName.parse(text);
    } catch (RoomName.InvalidRoomName e) {
      throw new ProtocolException(
          e.unknownType() ? ErrorCode.UNKNOWN_ROOM_TYPE : ErrorCode.INVALID_ROOM,
          e.getMessage(),
          id);
    }
  }

  private static RoomName requireQuoteRoom(JsonObject frame, String id) throws ProtocolException {
    RoomName room = requireRoom(frame, id);
    if (room.type() != RoomType.QUOTE) {
      throw new ProtocolException(
          ErrorCode.INVALID_ROOM, "this command acts on quote rooms, not " + room, id);
    }
    return room;
  }

  /** The new value: any JSON value, null to clear; it must be present all the same. */
  private static JsonValue requireValue(JsonObject frame, String id) throws ProtocolException {
    JsonValue value = frame.get("value");
    if (value == null) {
      throw new ProtocolException(
          ErrorCode.MISSING_FIELD, "field 'value' is required (null clears the field)", id);
    }
    return value;
  }

  private static long requireVersion(JsonObject frame, String id) throws ProtocolException {
    JsonValue version = frame.get("version");
    if (version == null) {
      throw new ProtocolException(
          ErrorCode.MISSING_FIELD, "field 'version' (the version you edited) is required", id);
    }
    OptionalLong number = WholeNumber.nonNegative(version);
    if (number.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field 'version' must be a non-negative integer", id);
    }
    return number.getAsLong();
  }

  private static long requireAlertId(JsonObject frame, String id) throws ProtocolException {
    JsonValue alertId = frame.get("alertId");
    if (alertId == null) {
      throw new ProtocolException(
          ErrorCode.MISSING_FIELD, "field 'alertId' (the alert's id) is required", id);
    }
    OptionalLong number = WholeNumber.nonNegative(alertId);
    if (number.isEmpty() || number.getAsLong() == 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field 'alertId' must be a positive integer", id);
    }
    return number.getAsLong();
  }

  private static String requireNotificationId(JsonObject frame, String id)
      throws ProtocolException {
    String notificationId = requireString(frame, "notificationId", id);
    if (notificationId.isEmpty() || notificationId.length() > MAX_ID_LENGTH) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          "field 'notificationId' must be 1 to " + MAX_ID_LENGTH + " characters long",
          id);
    }
    return notificationId;
  }

  private static Position optionalPosition(JsonObject frame, String id) throws ProtocolException {
    JsonValue since = frame.get("since");
    if (since == null) {
      return null;
    }
    if (since.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          "field 'since' must be an object {epoch, seq}, not a " + kind(since),
          id);
    }
    JsonObject position = since.asJsonObject();
    String epoch = requireString(position, "epoch", id, "since.epoch");
    JsonValue seq = position.get("seq");
    if (seq == null) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'since.seq' is required", id);
    }
    OptionalLong number = WholeNumber.nonNegative(seq);
    if (number.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field 'since.seq' must be a non-negative integer", id);
    }
    return new Position(epoch, number.getAsLong());
  }

  private static String kind(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> "object";
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> "number";
      case TRUE, FALSE -> "boolean";
      case NULL -> "null";
    };
  }
}
