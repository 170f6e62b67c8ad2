package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequencePlanTest {
  @Test
  void rowsAreLockedInRoomNameOrderWhateverTheRequestOrder() {
    SequencePlan plan = new SequencePlan(List.of("user:zoe", "quote:b", "user:alice", "quote:b"));

    assertEquals(
        List.of("quote:b", "user:alice", "user:zoe"),
        List.copyOf(plan.countsInLockOrder().keySet()));
    assertEquals(Map.of("quote:b", 2, "user:alice", 1, "user:zoe", 1), plan.countsInLockOrder());
  }

  @Test
  void aRoomsEventsGetConsecutiveSeqsInRequestOrder() {
    SequencePlan plan = new SequencePlan(List.of("user:a", "user:b", "user:a", "user:a", "user:b"));

    // user:a advanced by 3 to 13 (its events get 11, 12, 13); user:b by 2 to 2 (a new room).
    long[] seqs = plan.seqs(Map.of("user:a", 13L, "user:b", 2L));

    assertArrayEquals(new long[] {11, 1, 12, 13, 2}, seqs);
  }

  @Test
  void aRoomWithoutItsRowReadIsAFailureNotAGuess() {
    SequencePlan plan = new SequencePlan(List.of("user:a", "user:b"));

    assertThrows(IllegalStateException.class, () -> plan.seqs(Map.of("user:a", 1L)));
  }
}
