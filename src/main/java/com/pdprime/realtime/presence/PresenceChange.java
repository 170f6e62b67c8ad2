package com.pdprime.realtime.presence;

/** One change to presence made on this instance, queued until the next flush writes it. */
sealed interface PresenceChange {
  String connectionId();

  /** The connection subscribed to a room with presence. */
  record Join(PresenceEntry entry) implements PresenceChange {
    @Override
    public String connectionId() {
      return entry.connectionId();
    }
  }

  /** The connection unsubscribed, or its refreshed token no longer grants the room. */
  record Leave(String connectionId, String room) implements PresenceChange {}

  /** The connection closed: every room it was in. */
  record Departure(String connectionId) implements PresenceChange {}
}
