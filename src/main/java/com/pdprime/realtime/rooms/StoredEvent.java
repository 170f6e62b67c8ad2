package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A durable room event as committed to history: its room, place ({@code epoch}, {@code seq}) and
 * body. {@code guarded} maps a permission to fields only its holders may see (e.g. premium amounts
 * under {@code premium:view}); they are merged into {@code data} per recipient and never sent to
 * others.
 */
public record StoredEvent(
    RoomName room,
    String epoch,
    long seq,
    String name,
    long publishedAtMillis,
    JsonObject data,
    JsonObject guarded) {

  public boolean hasGuarded() {
    return !guarded.isEmpty();
  }

  /** The guard permissions a recipient holds; recipients with equal sets get the same frame. */
  public Set<String> guardsHeld(Predicate<String> holds) {
    Set<String> held = new TreeSet<>();
    for (String permission : guarded.keySet()) {
      if (holds.test(permission)) {
        held.add(permission);
      }
    }
    return held;
  }

  /** The data a recipient holding {@code permissions} sees. */
  public JsonObject dataFor(Set<String> permissions) {
    if (permissions.isEmpty()) {
      return data;
    }
    JsonObjectBuilder visible = JSON.createObjectBuilder(data);
    for (String permission : permissions) {
      guarded.getJsonObject(permission).forEach(visible::add);
    }
    return visible.build();
  }
}
