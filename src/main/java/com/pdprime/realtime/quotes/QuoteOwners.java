package com.pdprime.realtime.quotes;

import com.pdprime.realtime.memory.BoundedMemory;
import java.util.Optional;
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
 * <p>At most {@code maxEntries} owners are kept ({@link BoundedMemory}: past the bound arbitrary
 * ones go, and a forgotten owner is read again).
 */
final class QuoteOwners {
  private final Function<String, Optional<String>> lookUp;
  private final BoundedMemory<String, String> owners;

  /** {@code lookUp}: the subject of the quote's customer from the database, empty for no quote. */
  QuoteOwners(Function<String, Optional<String>> lookUp, int maxEntries) {
    this.lookUp = lookUp;
    this.owners = new BoundedMemory<>("quote owners", maxEntries, owner -> false);
  }

  /** The subject of the quote's customer; empty when no quote has the id. */
  Optional<String> of(String quoteId) {
    String known = owners.get(quoteId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> read = lookUp.apply(quoteId);
    read.ifPresent(owner -> owners.remember(quoteId, owner));
    return read;
  }

  int size() {
    return owners.size();
  }
}
