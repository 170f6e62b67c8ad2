package com.pdprime.realtime.rooms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the events of one batch draw their seqs: each room's sequence row is advanced once, by the
 * number of the batch's events for that room, and the rows are taken in room-name order, so two
 * batches that share rooms wait for each other instead of deadlocking. A room's events then get the
 * room's new seqs in request order.
 */
final class SequencePlan {
  private final List<String> roomOfEach;
  private final SortedMap<String, Integer> countsInLockOrder = new TreeMap<>();

  /** The room of each event, in request order. */
  SequencePlan(List<String> roomOfEach) {
    this.roomOfEach = List.copyOf(roomOfEach);
    for (String room : roomOfEach) {
      countsInLockOrder.merge(room, 1, Integer::sum);
    }
  }

  /** Room → how many seqs the batch draws from it, in the order the rows are to be locked. */
  SortedMap<String, Integer> countsInLockOrder() {
    return countsInLockOrder;
  }

  /**
   * The seq of each event, in request order, given each room's {@code last_seq} after it was
   * advanced by its count.
   */
  long[] seqs(Map<String, Long> lastSeqAfterAdvance) {
    Map<String, Long> next = new HashMap<>();
    countsInLockOrder.forEach(
        (room, count) -> {
          Long last = lastSeqAfterAdvance.get(room);
          if (last == null) {
            throw new IllegalStateException("no sequence row read for " + room);
          }
          next.put(room, last - count + 1);
        });
    long[] seqs = new long[roomOfEach.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = next.merge(roomOfEach.get(i), 1L, Long::sum) - 1;
    }
    return seqs;
  }
}
