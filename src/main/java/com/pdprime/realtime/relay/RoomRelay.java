package com.pdprime.realtime.relay;

import com.pdprime.realtime.rooms.EphemeralEvent;
import com.pdprime.realtime.rooms.StoredEvent;
import com.pdprime.realtime.websocket.DisconnectOrder;
import java.util.OptionalLong;

/**
 * Carries room events to every instance, the sending one included, which then fans them out to its
 * own subscribers. One delivery path, so an event is never delivered twice by one instance.
 */
public interface RoomRelay {
  /**
   * Sends a committed event; a failure is logged and counted, and catch-up from history covers it.
   */
  void send(StoredEvent event);

  /**
   * Sends an ephemeral event; a failure is logged and counted, and the event is gone (by design).
   */
  void send(EphemeralEvent event);

  /** Sends an operator's disconnect order to every instance, this one included. */
  void send(DisconnectOrder order);

  /**
   * Checks now that the broker can be reached; false means delivery runs on catch-up from history
   * alone. A failure raises the same alert a failed send does, a success resolves it.
   */
  boolean probe();

  /**
   * How long this instance has not been known to hear its own relay: from its start until it hears
   * its first echo, since a relay failure until an echo sent after it is heard, or while an echo
   * has gone unheard for longer than {@code realtime.monitor.relay-receive.timeout-ms}; empty while
   * it hears its relay. Sends can succeed while nothing is received (a consumer not yet reconnected
   * after a broker restart), so {@link #probe()} alone does not tell.
   */
  OptionalLong unheardMillis();
}
