package com.pdprime.realtime.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A flush writes the net effect of the changes queued since the last one, in their order: the row
 * each subscription should have afterwards, never a removal and an insert of the same row.
 */
class PresenceBatchTest {
  private static final String ROOM = "quote:q1";
  private static final String OTHER_ROOM = "user:ann";

  @Test
  void aSubscriptionWritesItsRow() {
    PresenceBatch batch = PresenceBatch.of(List.of(join("c1", ROOM)));

    assertEquals(List.of(slot("c1", ROOM)), slots(batch.joined()));
    assertTrue(batch.left().isEmpty());
    assertTrue(batch.departed().isEmpty());
  }

  @Test
  void aSubscriptionEndedInTheSameFlushWritesNothing() {
    assertTrue(PresenceBatch.of(List.of(join("c1", ROOM), leave("c1", ROOM))).isEmpty());
  }

  @Test
  void anUnsubscribeOfARowWrittenEarlierRemovesIt() {
    PresenceBatch batch = PresenceBatch.of(List.of(leave("c1", ROOM)));

    assertEquals(List.of(slot("c1", ROOM)), batch.left());
    assertTrue(batch.joined().isEmpty());
  }

  @Test
  void unsubscribingAndSubscribingAgainKeepsTheRowWithoutRewritingIt() {
    assertTrue(PresenceBatch.of(List.of(leave("c1", ROOM), join("c1", ROOM))).isEmpty());
  }

  @Test
  void subscribingUnsubscribingAndSubscribingAgainWritesOneRow() {
    PresenceBatch batch =
        PresenceBatch.of(List.of(join("c1", ROOM), leave("c1", ROOM), join("c1", ROOM)));

    assertEquals(List.of(slot("c1", ROOM)), slots(batch.joined()));
    assertTrue(batch.left().isEmpty());
  }

  @Test
  void aClosedConnectionWritesNoneOfItsSubscriptionsAndLosesItsRows() {
    PresenceBatch batch =
        PresenceBatch.of(
            List.of(
                join("c1", ROOM),
                join("c2", ROOM),
                leave("c1", OTHER_ROOM),
                new PresenceChange.Departure("c1")));

    assertEquals(Set.of("c1"), batch.departed());
    assertEquals(List.of(slot("c2", ROOM)), slots(batch.joined()));
    assertTrue(batch.left().isEmpty(), "the close removes every row of c1 anyway");
  }

  private static PresenceChange join(String connection, String room) {
    return new PresenceChange.Join(
        new PresenceEntry(connection, room, "node-1", "ann", "Ann", Instant.EPOCH));
  }

  private static PresenceChange leave(String connection, String room) {
    return new PresenceChange.Leave(connection, room);
  }

  private static PresenceBatch.Slot slot(String connection, String room) {
    return new PresenceBatch.Slot(connection, room);
  }

  private static List<PresenceBatch.Slot> slots(List<PresenceEntry> entries) {
    return entries.stream().map(e -> slot(e.connectionId(), e.room())).toList();
  }
}
