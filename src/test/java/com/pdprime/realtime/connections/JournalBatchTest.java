package com.pdprime.realtime.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalBatchTest {
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

  private static ConnectionOpened opened(String id, int second) {
    return new ConnectionOpened(id, "i1", "user-" + id, false, "127.0.0.1", "test", at(second));
  }

  private static ConnectionClosed closed(String id, int second) {
    return new ConnectionClosed(id, 1000, "done", at(second));
  }

  private static ConnectionsActive active(int second, String... ids) {
    return new ConnectionsActive(List.of(ids), at(second));
  }

  private static Instant at(int second) {
    return T0.plusSeconds(second);
  }

  @Test
  void aNewConnectionsActivityIsWrittenWithItsRowNotAsAnUpdate() {
    JournalBatch batch = JournalBatch.of(List.of(opened("a", 0), active(1, "a", "old")));

    assertEquals(
        List.of(new JournalBatch.Open(opened("a", 0), at(1))),
        batch.opens(),
        "the new row carries the later activity");
    assertEquals(Map.of("old", at(1)), batch.activity(), "only the earlier batch's row is updated");
  }

  @Test
  void aNewConnectionWithoutActivityHasItsOpenAsLastActivity() {
    JournalBatch batch = JournalBatch.of(List.of(opened("a", 3)));

    assertEquals(List.of(new JournalBatch.Open(opened("a", 3), at(3))), batch.opens());
    assertEquals(Map.of(), batch.activity());
  }

  @Test
  void theActivityOfAConnectionClosedInTheBatchIsLeftToItsClose() {
    ConnectionClosed close = closed("old", 2);
    JournalBatch batch = JournalBatch.of(List.of(active(1, "old", "other"), close));

    assertEquals(Map.of("other", at(1)), batch.activity());
    assertEquals(List.of(close), batch.closes());
  }

  @Test
  void ofSeveralActivitiesOfOneConnectionTheLatestIsWritten() {
    JournalBatch batch = JournalBatch.of(List.of(active(1, "old"), active(2, "old")));

    assertEquals(Map.of("old", at(2)), batch.activity());
  }

  @Test
  void aConnectionOpenedActiveAndClosedInOneBatchIsInsertedThenClosed() {
    ConnectionClosed close = closed("a", 5);
    JournalBatch batch = JournalBatch.of(List.of(opened("a", 0), active(1, "a"), close));

    assertEquals(List.of(new JournalBatch.Open(opened("a", 0), at(0))), batch.opens());
    assertEquals(Map.of(), batch.activity());
    assertEquals(List.of(close), batch.closes(), "the close sets the last activity to 5 s");
  }

  @Test
  void opensAndClosesKeepTheirOrder() {
    JournalBatch batch =
        JournalBatch.of(List.of(opened("b", 0), closed("x", 1), opened("a", 2), closed("y", 3)));

    assertEquals(
        List.of("b", "a"), batch.opens().stream().map(o -> o.opened().connectionId()).toList());
    assertEquals(
        List.of("x", "y"), batch.closes().stream().map(ConnectionClosed::connectionId).toList());
  }
}
