package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * A batch's accepted events' places {@code {room, epoch, seq}} in request order; {@code replayed}
 * when they are an earlier batch's, sent with the same idempotency key.
 */
public record BatchPlaces(List<JsonObject> places, boolean replayed) {
  static final BatchPlaces NONE = new BatchPlaces(List.of(), false);

  static BatchPlaces stored(List<StoredEvent> events) {
    return new BatchPlaces(events.stream().map(EventBatch::place).toList(), false);
  }
}
