package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommittedSequenceRowsTest {
  @Test
  void aRoomSeenCommittedNeedsNoSecondInsertAttempt() {
    CommittedSequenceRows rows = new CommittedSequenceRows();
    rows.committed("user:b");

    assertEquals(List.of("user:a", "user:c"), rows.notKnown(List.of("user:a", "user:b", "user:c")));
  }

  @Test
  void pastItsBoundItForgetsEverythingAndAsksAgain() {
    CommittedSequenceRows rows = new CommittedSequenceRows();
    IntStream.range(0, 100_000).forEach(i -> rows.committed("user:u" + i));
    assertEquals(List.of(), rows.notKnown(List.of("user:u0", "user:u99999")));

    rows.committed("user:one-more");

    assertEquals(
        List.of("user:u0", "user:u99999"), rows.notKnown(List.of("user:u0", "user:u99999")));
    assertEquals(List.of(), rows.notKnown(List.of("user:one-more")));
  }
}
