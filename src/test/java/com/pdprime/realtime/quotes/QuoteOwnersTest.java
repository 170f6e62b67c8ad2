package com.pdprime.realtime.quotes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An existing quote's owner is read from the database once; an id that names no quote is asked
 * every time, so a quote created later is found; the memory stays within its bound.
 */
class QuoteOwnersTest {
  private final Map<String, String> database = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  private Optional<String> read(String quoteId) {
    reads.incrementAndGet();
    return Optional.ofNullable(database.get(quoteId));
  }

  @Test
  void anOwnerIsReadOnceAndAnsweredFromMemoryAfter() {
    database.put("q-1", "customer-a");
    QuoteOwners owners = new QuoteOwners(this::read, 10);

    assertEquals(Optional.of("customer-a"), owners.of("q-1"));
    assertEquals(Optional.of("customer-a"), owners.of("q-1"));
    assertEquals(Optional.of("customer-a"), owners.of("q-1"));

    assertEquals(1, reads.get());
  }

  @Test
  void anIdThatNamesNoQuoteIsAskedAgainAndFoundOnceTheQuoteExists() {
    QuoteOwners owners = new QuoteOwners(this::read, 10);

    assertEquals(Optional.empty(), owners.of("q-later"));
    assertEquals(Optional.empty(), owners.of("q-later"));
    database.put("q-later", "customer-b");

    assertEquals(Optional.of("customer-b"), owners.of("q-later"));
    assertEquals(3, reads.get());
    assertEquals(1, owners.size());
  }

  @Test
  void probingManyIdsThatNameNoQuoteRemembersNothing() {
    QuoteOwners owners = new QuoteOwners(this::read, 10);

    for (int i = 0; i < 1_000; i++) {
      owners.of("probe-" + i);
    }

    assertEquals(0, owners.size());
  }

  @Test
  void pastTheBoundATenthIsForgottenAndEveryAnswerStaysRight() {
    for (int i = 0; i < 500; i++) {
      database.put("q-" + i, "customer-" + (i % 7));
    }
    QuoteOwners owners = new QuoteOwners(this::read, 100);

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 500; i++) {
        assertEquals(Optional.of("customer-" + (i % 7)), owners.of("q-" + i));
        assertTrue(owners.size() <= 100, "size " + owners.size() + " over the bound of 100");
      }
    }
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new QuoteOwners(this::read, 0));
  }
}
