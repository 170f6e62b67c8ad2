package com.pdprime.realtime.websocket;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.rooms.RecentEvents;
import com.pdprime.realtime.rooms.RoomEventStore;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.StoredEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A room's history as a resume reads it: the recent events this instance delivered, from memory
 * ({@link RecentEvents}, bounded by realtime.history.memory.*), and the database when memory does
 * not hold the whole range asked for. Memory is filled by the relay's deliveries only; each
 * instance has its own.
 */
@ApplicationScoped
public class RoomHistory {
  @Inject RoomEventStore store;
  @Inject EngineSettings settings;
  @Inject RealtimeMetrics metrics;

  private RecentEvents recent;

  @PostConstruct
  void start() {
    recent =
        new RecentEvents(
            new RecentEvents.Limits(
                settings.historyMemoryMaxEventsPerRoom(),
                settings.historyMemoryMaxBytes(),
                settings.historyMemoryMaxAgeSeconds() * 1000),
            Clock.systemUTC());
    metrics.historyMemoryGauges(recent::bytes, recent::events, recent::rooms);
  }

  /** An event delivered to this instance's subscribers, in seq order. */
  void delivered(StoredEvent event) {
    recent.append(event);
  }

  /** A relayed event for a room without subscribers here now. */
  void relayedUnwatched(StoredEvent event) {
    recent.extend(event);
  }

  /**
   * The room's events after {@code afterSeq} up to {@code upTo}: all from memory when it holds
   * them, otherwise all from the database (which may hold fewer; the caller checks).
   */
  List<StoredEvent> read(RoomName room, String epoch, long afterSeq, long upTo) {
    Optional<List<StoredEvent>> held = recent.read(room, epoch, afterSeq, upTo);
    if (held.isPresent()) {
      metrics.historyMemoryHit();
      return held.get();
    }
    metrics.historyMemoryMiss();
    return store.readAfter(room, afterSeq, (int) Math.min(upTo - afterSeq, Integer.MAX_VALUE));
  }

  /** Frees what has aged out, in rooms nobody delivers to any more as well. */
  void evictExpired() {
    recent.evictExpired();
  }
}
