package com.pdprime.realtime.relay;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.DisconnectOrder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;

/**
 * The relay's wire format: one JSON object per event; ephemeral ones say so and carry no seq. Each
 * message names its format in the int property {@value #FORMAT_PROPERTY}, so that instances of two
 * releases on one broker know each other's messages apart: a release that changes the JSON raises
 * {@link #FORMAT} and reads the format before it too, and an instance that meets a format above its
 * own skips the message and says so ({@link #readable}) instead of misreading it.
 */
final class RelayMessages {
  /** The message property naming the format. */
  static final String FORMAT_PROPERTY = "RelayFormat";

  /** The message property naming the sending instance, for the log of a skipped message. */
  static final String SENDER_PROPERTY = "RelayInstance";

  /** This release's format, which it sends and reads. */
  static final int FORMAT = 1;

  private static final JsonReaderFactory READERS = JSON.createReaderFactory(null);

  /** What a consumer does with a message of a given format. */
  enum Readable {
    /** This release's format: decode it. */
    YES,
    /** A later release's format: skip it, counted; durable events come from history. */
    NEWER,
    /** No format this or any release sends: unreadable. */
    INVALID
  }

  private RelayMessages() {}

  /**
   * Whether a message whose format property holds {@code format} can be read. A message without the
   * property ({@code null}) comes from a release before the property, whose JSON is format 1.
   */
  static Readable readable(Integer format) {
    if (format == null || format == FORMAT) {
      return Readable.YES;
    }
    return format > FORMAT ? Readable.NEWER : Readable.INVALID;
  }

  static String encode(StoredEvent event) {
    return JSON.createObjectBuilder()
        .add("room", event.room().toString())
        .add("epoch", event.epoch())
        .add("seq", event.seq())
        .add("name", event.name())
        .add("ts", event.publishedAtMillis())
        .add("data", event.data())
        .add("guarded", event.guarded())
        .build()
        .toString();
  }

  static String encode(EphemeralEvent event) {
    return JSON.createObjectBuilder()
        .add("room", event.room().toString())
        .add("ephemeral", true)
        .add("name", event.name())
        .add("ts", event.tsMillis())
        .add("data", event.data())
        .build()
        .toString();
  }

  static String encode(DisconnectOrder order) {
    var json = JSON.createObjectBuilder().add("disconnect", true).add("reason", order.reason());
    if (order.connectionId() != null) {
      json.add("connectionId", order.connectionId());
    } else {
      json.add("subject", order.subject());
    }
    return json.build().toString();
  }

  static String encode(RelayEcho echo) {
    return JSON.createObjectBuilder()
        .add("echo", true)
        .add("instance", echo.instance())
        .add("number", echo.number())
        .build()
        .toString();
  }

  /**
   * A {@link StoredEvent}, an {@link EphemeralEvent}, a {@link DisconnectOrder} or a {@link
   * RelayEcho}.
   */
  static Object decode(String text) throws RoomName.InvalidRoomName {
    JsonObject json;
    try (var reader = READERS.createReader(new StringReader(text))) {
      json = reader.readObject();
    }
    if (json.getBoolean("disconnect", false)) {
      return new DisconnectOrder(
          json.getString("connectionId", null),
          json.getString("subject", null),
          json.getString("reason"));
    }
    if (json.getBoolean("echo", false)) {
      return new RelayEcho(
          json.getString("instance"), json.getJsonNumber("number").longValueExact());
    }
    RoomName room = RoomName.parse(json.getString("room"));
    if (json.getBoolean("ephemeral", false)) {
      return new EphemeralEvent(
          room,
          json.getString("name"),
          json.getJsonNumber("ts").longValueExact(),
          json.getJsonObject("data"));
    }
    return new StoredEvent(
        room,
        json.getString("epoch"),
        json.getJsonNumber("seq").longValueExact(),
        json.getString("name"),
        json.getJsonNumber("ts").longValueExact(),
        json.getJsonObject("data"),
        json.getJsonObject("guarded"));
  }
}
