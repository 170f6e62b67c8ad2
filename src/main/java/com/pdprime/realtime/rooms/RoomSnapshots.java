package com.pdprime.realtime.rooms;

import com.pdprime.realtime.security.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshot of a room, for the rooms that have state; others (user rooms, published analytics
 * rooms) have none.
 */
@ApplicationScoped
public class RoomSnapshots {
  @Inject Instance<RoomSnapshot> snapshots;

  private final Map<RoomType, RoomSnapshot> byType = new EnumMap<>(RoomType.class);

  @PostConstruct
  void index() {
    for (RoomSnapshot snapshot : snapshots) {
      RoomSnapshot previous = byType.put(snapshot.type(), snapshot);
      if (previous != null) {
        throw new IllegalStateException(
            "two snapshots for room type "
                + snapshot.type()
                + ": "
                + previous.getClass().getName()
                + " and "
                + snapshot.getClass().getName());
      }
    }
  }

  public Optional<JsonObject> of(Caller caller, RoomName room) {
    RoomSnapshot snapshot = byType.get(room.type());
    return snapshot == null ? Optional.empty() : snapshot.snapshot(caller, room);
  }
}
