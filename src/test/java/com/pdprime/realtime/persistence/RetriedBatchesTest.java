package com.pdprime.realtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a batched writer's failures leave: kept and written first while the database is away,
 * written one at a time when the database answers but refuses the batch, and bounded. The database
 * here is a list and a switch, since what is tested is what is kept and in which order; the real
 * outage is {@code AlertsIT}'s.
 */
class RetriedBatchesTest {
  private final List<String> stored = new ArrayList<>();
  private final List<Boolean> retries = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private boolean answering = true;
  private boolean locked;
  private Set<String> refused = Set.of();

  private RetriedBatches<String> batches(int capacity) {
    return new RetriedBatches<>(
        "test items",
        capacity,
        (items, retried) -> {
          if (!answering) {
            throw new IllegalStateException("the database does not answer");
          }
          if (locked) {
            throw new IllegalStateException(
                "the flush failed",
                new SQLException("canceling statement due to statement timeout", "57014"));
          }
          for (String item : items) {
            if (refused.contains(item)) {
              throw new IllegalStateException("refused " + item);
            }
          }
          retries.add(retried);
          stored.addAll(items);
        },
        item -> item,
        () -> answering,
        new RetriedBatches.Counters(failures::incrementAndGet, dropped::incrementAndGet));
  }

  @Test
  void batchesWrittenWhileTheDatabaseIsAwayAreWrittenFirstOnceItAnswers() {
    RetriedBatches<String> batches = batches(100);
    answering = false;
    batches.write(List.of("open a", "open b"));
    batches.write(List.of("close a"));
    assertEquals(List.of(), stored);
    assertEquals(3, batches.kept());

    answering = true;
    batches.write(List.of("open c"));
    assertEquals(List.of("open a", "open b", "close a", "open c"), stored);
    assertEquals(List.of(true), retries, "a write after a failure may follow a lost commit");
    assertEquals(0, batches.kept());
    assertEquals(2, failures.get());
    assertEquals(0, dropped.get());

    batches.write(List.of("close c"));
    assertEquals(List.of(true, false), retries);
  }

  @Test
  void aBatchWhoseStatementTimedOutIsKeptWholeThoughTheDatabaseAnswers() {
    RetriedBatches<String> batches = batches(100);
    locked = true;
    batches.write(List.of("open a", "open b"));
    assertEquals(2, batches.kept(), "a table locked elsewhere refuses nothing for what it holds");
    assertEquals(1, failures.get(), "one try, not one per item each waiting out the timeout");
    assertEquals(0, dropped.get());

    locked = false;
    batches.write(List.of("close a"));
    assertEquals(List.of("open a", "open b", "close a"), stored);
  }

  @Test
  void aBatchRefusedWhileTheDatabaseAnswersLosesOnlyWhatIsRefusedOnItsOwn() {
    RetriedBatches<String> batches = batches(100);
    refused = Set.of("bad");
    batches.write(List.of("a", "bad", "b"));
    assertEquals(List.of("a", "b"), stored);
    assertEquals(0, batches.kept(), "a refused batch kept would block every later one");
    assertEquals(1, dropped.get());
    assertEquals(2, failures.get(), "the batch and the item alone");

    batches.write(List.of("c"));
    assertEquals(List.of("a", "b", "c"), stored);
  }

  @Test
  void whatIsKeptIsBoundedAndTheOldestGoFirst() {
    RetriedBatches<String> batches = batches(3);
    answering = false;
    batches.write(List.of("1", "2"));
    batches.write(List.of("3", "4", "5"));
    assertEquals(3, batches.kept());
    assertEquals(2, dropped.get());

    answering = true;
    batches.write(List.of());
    assertEquals(List.of("3", "4", "5"), stored);
  }

  @Test
  void aDatabaseThatGoesAwayWhileItemsAreWrittenOneAtATimeKeepsTheRest() {
    refused = Set.of("bad");
    RetriedBatches<String> batches =
        new RetriedBatches<>(
            "test items",
            100,
            (items, retried) -> {
              if (items.contains("bad")) {
                throw new IllegalStateException("refused");
              }
              if (items.contains("after")) {
                answering = false;
                throw new IllegalStateException("gone");
              }
              stored.addAll(items);
            },
            item -> item,
            () -> answering,
            new RetriedBatches.Counters(failures::incrementAndGet, dropped::incrementAndGet));
    batches.write(List.of("a", "bad", "after", "z"));
    assertEquals(List.of("a"), stored);
    assertEquals(1, dropped.get());
    assertEquals(2, batches.kept(), "what the database did not see is kept");
  }
}
