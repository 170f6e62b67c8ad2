package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * A batch's accepted events' places {@code {room, epoch, seq}} in request order; {@code replayed}
 * when they are an earlier batch's, sent with the same idempotency key (or an earlier delivery's of
 * the same queue message).
 */
public record BatchPlaces(List<JsonObject> places, boolean replayed) {
  static final BatchPlaces NONE = new BatchPlaces(List.of(), false);

  static BatchPlaces stored(List<StoredEvent> events) {
    return new BatchPlaces(events.stream().map(EventBatch::place).toList(), false);
  }

  /** The places as an idempotency key's result records them. */
  JsonObject recorded() {
    JsonArrayBuilder recorded = JSON.createArrayBuilder();
    places.forEach(recorded::add);
    return JSON.createObjectBuilder().add("places", recorded).build();
  }

  /** The places an idempotency key's result recorded, answered again. */
  static BatchPlaces replayed(JsonObject recorded) {
    return new BatchPlaces(
        recorded.getJsonArray("places").stream().map(JsonValue::asJsonObject).toList(), true);
  }
}
