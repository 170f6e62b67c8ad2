package com.pdprime.realtime.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one flush writes: the net effect of the changes queued since the last one, in the order they
 * were made. A subscription made and ended within one flush writes nothing; one ended and made
 * again keeps its row. So a flush never removes and inserts the same row, and the order of one
 * connection's changes is kept without writing them one by one.
 *
 * @param departed connections closed: every row of theirs goes
 * @param left rows of open connections that go, as (connection, room)
 * @param joined rows that come
 */
public record PresenceBatch(Set<String> departed, List<Slot> left, List<PresenceEntry> joined) {
  /** A connection's place in a room: the row's identity. */
  public record Slot(String connectionId, String room) {}

  static PresenceBatch of(List<PresenceChange> changes) {
    Map<Slot, SlotState> slots = new LinkedHashMap<>();
    Set<String> departed = new LinkedHashSet<>();
    for (PresenceChange change : changes) {
      if (change instanceof PresenceChange.Join join) {
        Slot slot = new Slot(join.connectionId(), join.entry().room());
        slots.computeIfAbsent(slot, s -> new SlotState(false)).present = join.entry();
      } else if (change instanceof PresenceChange.Leave leave) {
        Slot slot = new Slot(leave.connectionId(), leave.room());
        // A leave that comes first means the row was written by an earlier flush.
        slots.computeIfAbsent(slot, s -> new SlotState(true)).present = null;
      } else if (change instanceof PresenceChange.Departure departure) {
        departed.add(departure.connectionId());
      }
    }
    List<Slot> left = new ArrayList<>();
    List<PresenceEntry> joined = new ArrayList<>();
    slots.forEach(
        (slot, state) -> {
          if (departed.contains(slot.connectionId())) {
            return;
          }
          if (state.inDatabase && state.present == null) {
            left.add(slot);
          } else if (!state.inDatabase && state.present != null) {
            joined.add(state.present);
          }
        });
    return new PresenceBatch(departed, left, joined);
  }

  boolean isEmpty() {
    return departed.isEmpty() && left.isEmpty() && joined.isEmpty();
  }

  private static final class SlotState {
    final boolean inDatabase;
    PresenceEntry present;

    SlotState(boolean inDatabase) {
      this.inDatabase = inDatabase;
    }
  }
}
