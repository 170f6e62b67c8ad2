package com.pdprime.realtime.rooms;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a group's, a batch's or a keyed publish's transaction noted before its commit: the
 * database's id for it and the events it stored. Filled inside the transaction, read by {@link
 * CheckedCommits} when the commit threw, to learn from the database whether those events were
 * committed after all ({@code persistence/TransactionOutcomes}). One per attempt, used on the one
 * thread that made it.
 */
public final class GroupTransaction {
  private OptionalLong id = OptionalLong.empty();
  private List<StoredEvent> stored = List.of();

  void began(OptionalLong id) {
    this.id = id;
  }

  void stored(List<StoredEvent> stored) {
    this.stored = List.copyOf(stored);
  }

  /** Empty if the transaction failed before it had an id, or the database gives none. */
  OptionalLong id() {
    return id;
  }

  /** The events as the transaction stored them, in the group's order; empty if it did not. */
  List<StoredEvent> stored() {
    return stored;
  }
}
