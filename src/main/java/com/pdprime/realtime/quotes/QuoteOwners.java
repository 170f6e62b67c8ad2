package com.pdprime.realtime.quotes;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Whose each quote is, as the quote room's rule asks on every subscribe. A quote's customer is set
 * when the quote is created and never changed, and quotes are never deleted, so an owner once read
 * stays true: it is remembered without expiry and without telling other instances anything. Only
 * quotes that exist are remembered; an id that names none is asked of the database every time, so a
 * quote another instance creates is found as soon as it is committed.
 *
 * <p>Why: in a reconnect storm every subscribe to a quote room read the quote in a transaction of
 * its own, and on PostgreSQL the HTTP workers queued for the database's connections while the
 * handshakes waited for the workers (bench/RESULTS.md, "Third stop of 2026-12-04").
 *
 * <p>At most {@code maxEntries} owners are kept; one over the bound, arbitrary ones go until a
 * tenth of the room is free (as {@code security/VerifiedTokens}, and for the same reasons: no lock
 * on a read, and a bound too small costs a database read, never a wrong answer).
 */
final class QuoteOwners {
  private final Function<String, Optional<String>> lookUp;
  private final int maxEntries;
  private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();
  private final ReentrantLock makingRoom = new ReentrantLock();

  /** {@code lookUp}: the subject of the quote's customer from the database, empty for no quote. */
  QuoteOwners(Function<String, Optional<String>> lookUp, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("a memory of quote owners holds at least one");
    }
    this.lookUp = lookUp;
    this.maxEntries = maxEntries;
  }

  /** The subject of the quote's customer; empty when no quote has the id. */
  Optional<String> of(String quoteId) {
    String known = owners.get(quoteId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> read = lookUp.apply(quoteId);
    read.ifPresent(
        owner -> {
          if (owners.put(quoteId, owner) == null && owners.size() > maxEntries) {
            makeRoom();
          }
        });
    return read;
  }

  private void makeRoom() {
    if (!makingRoom.tryLock()) {
      return;
    }
    try {
      int target = maxEntries - Math.max(1, maxEntries / 10);
      Iterator<String> arbitrary = owners.keySet().iterator();
      while (owners.size() > target && arbitrary.hasNext()) {
        arbitrary.next();
        arbitrary.remove();
      }
    } finally {
      makingRoom.unlock();
    }
  }

  int size() {
    return owners.size();
  }
}
