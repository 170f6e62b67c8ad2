package com.pdprime.realtime.rooms;

import java.util.List;

/**
 * Raised once per publishing call inside its transaction, with every event it stored in that call's
 * order (one for a single publish, a whole batch or group otherwise); observers that deliver them
 * must observe {@code AFTER_SUCCESS} so that only committed events ever reach a socket. One
 * notification per group, not per event: each transactional notification costs the container a
 * synchronization and a request context (bench/RESULTS.md, "Where a publish's time went").
 */
public record RoomEventsStored(List<StoredEvent> events) {
  public RoomEventsStored {
    events = List.copyOf(events);
  }
}
