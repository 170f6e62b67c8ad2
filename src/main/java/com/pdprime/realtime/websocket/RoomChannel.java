package com.pdprime.realtime.websocket;

import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This instance's view of one room: the local subscribers and the last seq delivered to them. All
 * of its state is guarded by the channel's monitor, so a subscriber is added at an exact point in
 * the event stream: everything after that point reaches it once, nothing before it does unless
 * replayed.
 */
final class RoomChannel {
  final RoomName room;
  String epoch;
  long delivered;

  /**
   * The committed head the previous catch-up saw; whatever is still missing up to it is overdue.
   */
  long headAtLastCatchUp;

  boolean retired;
  final Map<String, Connection> subscribers = new LinkedHashMap<>();

  /** Events that arrived ahead of a gap, waiting for the gap to be filled from history. */
  final TreeMap<Long, StoredEvent> early = new TreeMap<>();

  RoomChannel(RoomName room) {
    this.room = room;
  }

  boolean loaded() {
    return epoch != null;
  }

  List<Connection> subscriberSnapshot() {
    return new ArrayList<>(subscribers.values());
  }
}
