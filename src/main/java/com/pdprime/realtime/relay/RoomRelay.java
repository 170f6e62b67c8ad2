package com.pdprime.realtime.relay;

import com.pdprime.realtime.rooms.StoredEvent;

/**
 * Carries committed room events to every instance, the sending one included, which then fans them
 * out to its own subscribers. One delivery path, so an event is never delivered twice by one instance.
 */
public interface RoomRelay {
  /** Sends the event; a failure is logged and counted, and catch-up from history covers it. */
  void send(StoredEvent event);
}
