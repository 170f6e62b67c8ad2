package com.pdprime.realtime.relay;

import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;

/** The relay's wire format: one JSON object per event. */
final class RelayMessages {
  private static final JsonReaderFactory READERS = Json.createReaderFactory(null);

  private RelayMessages() {}

  static String encode(StoredEvent event) {
    return Json.createObjectBuilder()
        .add("room", event.room().toString())
        .add("epoch", event.epoch())
        .add("seq", event.seq())
        .add("name", event.name())
        .add("ts", event.publishedAtMillis())
        .add("data", event.data())
        .build()
        .toString();
  }

  static StoredEvent decode(String text) throws RoomName.InvalidRoomName {
    JsonObject json;
    try (var reader = READERS.createReader(new StringReader(text))) {
      json = reader.readObject();
    }
    return new StoredEvent(
        RoomName.parse(json.getString("room")),
        json.getString("epoch"),
        json.getJsonNumber("seq").longValueExact(),
        json.getString("name"),
        json.getJsonNumber("ts").longValueExact(),
        json.getJsonObject("data"));
  }
}
