package com.pdprime.realtime.analytics;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomSnapshot;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.util.Optional;

/**
 * A dashboard room's snapshot: the state its stream last published, read from the stream's row, so
 * a new viewer costs one key lookup and no dashboard query. Version 0 with no state means the
 * stream is starting; its first {@code dashboard.snapshot} follows.
 */
@ApplicationScoped
public class DashboardSnapshot implements RoomSnapshot {
  @Inject StreamLeases leases;

  @Override
  public RoomType type() {
    return RoomType.ANALYTICS;
  }

  @Override
  public Optional<JsonObject> snapshot(Caller caller, RoomName room) {
    Optional<DashboardFilter> filter;
    try {
      filter = DashboardFilter.of(room);
    } catch (DashboardFilter.InvalidFilter invalid) {
      throw new IllegalStateException(room + " was subscribed with an invalid filter", invalid);
    }
    if (filter.isEmpty()) {
      return Optional.empty();
    }
    JsonObjectBuilder snapshot =
        JSON.createObjectBuilder()
            .add("dashboard", filter.get().dashboard().key())
            .add("filter", filter.get().toJson());
    Optional<StreamLeases.StreamState> stored = leases.state(room.toString());
    if (stored.isPresent() && stored.get().state() != null) {
      snapshot
          .add("version", stored.get().version())
          .add("computedAt", stored.get().computedAt().toString())
          .add("state", JSON.createReader(new StringReader(stored.get().state())).readObject());
    } else {
      snapshot
          .add("version", stored.map(StreamLeases.StreamState::version).orElse(0L))
          .addNull("computedAt")
          .addNull("state");
    }
    return Optional.of(snapshot.build());
  }
}
