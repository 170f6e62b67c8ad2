package com.pdprime.realtime.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms this instance has seen with a committed row in {@code room_sequences}. Rows are never
 * deleted, so a room once seen needs no second insert attempt before its row is locked; a room not
 * (or no longer) remembered only costs that attempt, which finds the row and takes no lock.
 */
@ApplicationScoped
public class CommittedSequenceRows {
  /**
   * About 10 MB of room names at most; past it everything is forgotten at once, which costs each
   * active room one insert attempt again, never a wrong answer.
   */
  private static final int REMEMBERED = 100_000;

  private final Set<String> committed = ConcurrentHashMap.newKeySet();

  /** The given rooms not known to have a committed row, in the given order. */
  List<String> notKnown(Collection<String> rooms) {
    return rooms.stream().filter(room -> !committed.contains(room)).toList();
  }

  /** Remembers a room whose row another transaction has committed. */
  void committed(String room) {
    if (committed.size() >= REMEMBERED) {
      committed.clear();
    }
    committed.add(room);
  }
}
