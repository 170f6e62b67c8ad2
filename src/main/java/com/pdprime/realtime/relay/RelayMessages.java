package com.pdprime.realtime.relay;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
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

  /** Either a {@link StoredEvent} or an {@link EphemeralEvent}. */
  static Object decode(String text) throws RoomName.InvalidRoomName {
    JsonObject json;
    try (var reader = READERS.createReader(new StringReader(text))) {
      json = reader.readObject();
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
