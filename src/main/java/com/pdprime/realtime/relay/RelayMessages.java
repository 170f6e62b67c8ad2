package com.pdprime.realtime.relay;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.DisconnectOrder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;

/** The relay's wire format: one JSON object per event; ephemeral ones say so and carry no seq. */
final class RelayMessages {
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(null);

  private RelayMessages() {}

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
