package com.pdprime.realtime.quotes;

import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomSnapshot;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * A quote room's state for a subscriber: every set field with its version, the status, and the
 * premium only for holders of {@code premium:view}. Field events newer than a field's snapshot
 * version are applied on top; older ones are already in it.
 */
@ApplicationScoped
public class QuoteSnapshot implements RoomSnapshot {
  @Inject QuoteService quotes;

  @Override
  public RoomType type() {
    return RoomType.QUOTE;
  }

  @Override
  public Optional<JsonObject> snapshot(Caller caller, RoomName room) {
    try {
      return Optional.of(quotes.snapshot(room.key(), caller));
    } catch (QuoteProblem e) {
      throw new IllegalStateException(
          "snapshot of " + room + " refused after access was granted", e);
    }
  }
}
