package com.pdprime.realtime.rooms;

import com.pdprime.realtime.persistence.StatementTimeout;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit of single publishes: publishers queue their events and wait; one committer takes
 * whatever has queued and stores it in one transaction. An event queued while the committer is free
 * goes at once: a lone publish, or a publisher that waits for each answer before the next, never
 * waits for company. With a linger (off by default), an event queued while a group is committing
 * lets its own group fill until the linger has passed since it was queued, so no event waits longer
 * than the linger for company: a transaction costs about the same whatever its size, but on the
 * bench's saturated machine fuller groups made no publish faster and a 2 ms linger made them slower
 * (bench/RESULTS.md, eighth stop of 2026-12-05). The queue is bounded; a full queue refuses the
 * event.
 *
 * <p>Order: the queue is first in, first out and one committer stores a group's events in queue
 * order, so a publisher that waits for its answer before publishing again keeps its order, and a
 * room's events get its seqs in the order they were queued. Every waiter is answered exactly once:
 * with its own event, or with its own refusal.
 *
 * <p>Only a group the database rolled back is stored again; one whose commit threw after the
 * database carried it out is answered as stored ({@link CheckedCommits}), and one whose outcome the
 * database cannot tell is answered {@code PUBLISH_OUTCOME_UNKNOWN}, never stored again.
 */
final class GroupCommit {
  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());

  private final BlockingQueue<Waiter> queue;
  private final int capacity;
  private final int maxGroup;
  private final long lingerNanos;
  private final Clock clock;
  private final Store store;
  private final IntConsumer groupSizes;
  private final Runnable retried;
  private boolean stopped;

  /** When the previous group's transaction ended; the committer's thread only. */
  private long lastGroupEnded;

  private record Waiter(
      AuthoredEvent event, CompletableFuture<StoredEvent> result, long queuedAtNanos) {}

  /** How a group reaches history ({@link CheckedCommits#store}). */
  interface Store {
    /**
     * Stores the events in one transaction and returns them in the given order; throws a runtime
     * exception if the database rolled the transaction back (nothing stored), {@link
     * OutcomeUnknown} if it cannot say whether it committed.
     */
    List<StoredEvent> store(List<AuthoredEvent> events) throws OutcomeUnknown, InterruptedException;
  }

  /** The committer's time and its way of waiting for it; tests give their own. */
  interface Clock {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
          }
        };
  }

  /**
   * {@code groupSizes} is told each group's size, {@code retried} each group that was not stored
   * and was stored again one event at a time. A zero {@code linger} never waits.
   */
  GroupCommit(
      int capacity,
      int maxGroup,
      Duration linger,
      Clock clock,
      Store store,
      IntConsumer groupSizes,
      Runnable retried) {
    if (capacity < 1 || maxGroup < 1) {
      throw new IllegalArgumentException("capacity and group size must be at least 1");
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("the linger must not be negative: " + linger);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.maxGroup = maxGroup;
    this.lingerNanos = linger.toNanos();
    this.clock = clock;
    this.lastGroupEnded = clock.nanoTime();
    this.store = store;
    this.groupSizes = groupSizes;
    this.retried = retried;
  }

  /** Queues the event; the answer completes with its stored place or a {@link PublishRefused}. */
  CompletableFuture<StoredEvent> submit(AuthoredEvent event) throws PublishRefused {
    Waiter waiter = new Waiter(event, new CompletableFuture<>(), clock.nanoTime());
    synchronized (this) {
      if (stopped) {
        throw stopping();
      }
      if (!queue.offer(waiter)) {
        throw queueFull(capacity);
      }
    }
    return waiter.result();
  }

  /**
   * Waits up to {@code idleMillis} for an event, lets its group fill for the linger if the event
   * was queued while the previous group was committing, then stores it with everything queued
   * behind it, at most the group size, and answers each of their publishers. Returns the group's
   * size, 0 when nothing came.
   */
  int commitNext(long idleMillis) throws InterruptedException {
    Waiter first = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
    if (first == null) {
      return 0;
    }
    if (lingerNanos > 0 && first.queuedAtNanos() - lastGroupEnded < 0) {
      waitForCompany(first);
    }
    List<Waiter> group = new ArrayList<>(Math.min(maxGroup, queue.size() + 1));
    group.add(first);
    queue.drainTo(group, maxGroup - 1);
    groupSizes.accept(group.size());
    try {
      commit(group);
    } finally {
      lastGroupEnded = clock.nanoTime();
      // Whatever escaped (an Error), no publisher is left waiting for an answer.
      for (Waiter waiter : group) {
        waiter.result().completeExceptionally(notStored());
      }
    }
    return group.size();
  }

  /**
   * Sleeps for what is left of the linger since the first event was queued, unless the queue
   * already holds a full group. One sleep, not a wake-up per arriving event: each would cost the
   * committer more than the event it adds.
   */
  private void waitForCompany(Waiter first) throws InterruptedException {
    long left = first.queuedAtNanos() + lingerNanos - clock.nanoTime();
    if (left > 0 && queue.size() < maxGroup - 1) {
      clock.sleepNanos(left);
    }
  }

  /** Events waiting for the committer. */
  int depth() {
    return queue.size();
  }

  /**
   * Refuses every later event and answers those still queued with {@code SERVER_STOPPING}: none of
   * them was stored. Called once the committer has finished its last group.
   */
  void stop() {
    synchronized (this) {
      stopped = true;
    }
    List<Waiter> left = new ArrayList<>();
    queue.drainTo(left);
    for (Waiter waiter : left) {
      waiter.result().completeExceptionally(stopping());
    }
  }

  /**
   * Stores the group in one transaction. If the database did not store it, each event is then
   * stored alone, in queue order, so that one event the database refuses (or a lock wait that one
   * room's row timed out on, H2's lock timeout) fails only its own publisher; a group the statement
   * timeout cancelled is refused whole.
   */
  private void commit(List<Waiter> group) throws InterruptedException {
    RuntimeException failed = store(group);
    if (failed == null) {
      return;
    }
    if (StatementTimeout.cancelled(failed)) {
      // The database held the group past the pool's statement timeout (a lock, an overload):
      // storing each event alone would wait out the timeout once per event while every later
      // publish queues behind them.
      LOG.log(
          Level.WARNING,
          "a group of {0} publishes was not stored: the database did not answer within the"
              + " statement timeout; none of them is stored alone: {1}",
          new Object[] {group.size(), failed.toString()});
      group.forEach(waiter -> waiter.result().completeExceptionally(timedOut()));
      return;
    }
    if (group.size() == 1) {
      refuse(group.get(0), failed);
      return;
    }
    LOG.log(
        Level.WARNING,
        "a group of {0} publishes was not stored; storing each alone: {1}",
        new Object[] {group.size(), failed.toString()});
    retried.run();
    for (Waiter waiter : group) {
      RuntimeException alone = store(List.of(waiter));
      if (alone != null) {
        refuse(waiter, alone);
      }
    }
  }

  /**
   * Stores the waiters' events in one transaction and answers them. Returns null once they are
   * answered, or the failure of a transaction the database rolled back (nothing of it stored).
   */
  private RuntimeException store(List<Waiter> waiters) throws InterruptedException {
    try {
      answer(waiters, store.store(waiters.stream().map(Waiter::event).toList()));
      return null;
    } catch (OutcomeUnknown unknown) {
      LOG.log(
          Level.SEVERE,
          "a commit of "
              + waiters.size()
              + " publishes failed and the database cannot say whether it stored them;"
              + " answered PUBLISH_OUTCOME_UNKNOWN",
          unknown);
      waiters.forEach(waiter -> waiter.result().completeExceptionally(outcomeUnknown()));
      return null;
    } catch (RuntimeException failed) {
      return failed;
    }
  }

  private static void answer(List<Waiter> waiters, List<StoredEvent> stored) {
    for (int i = 0; i < waiters.size(); i++) {
      waiters.get(i).result().complete(stored.get(i));
    }
  }

  private static void refuse(Waiter waiter, RuntimeException failed) {
    LOG.log(
        Level.WARNING, "a publish to " + waiter.event().event().room() + " was not stored", failed);
    waiter.result().completeExceptionally(notStored());
  }

  static PublishRefused notStored() {
    return new PublishRefused(
        503,
        "PUBLISH_NOT_STORED",
        "the transaction storing this event failed and was rolled back: it was not stored",
        "Publish the event again; if it persists, report the time and the request.",
        1);
  }

  static PublishRefused timedOut() {
    return new PublishRefused(
        503,
        "PUBLISH_NOT_STORED",
        "the database did not answer within the statement timeout and the transaction storing"
            + " this event was rolled back: it was not stored",
        "Publish the event again; if it persists, report the time and the request.",
        1);
  }

  static PublishRefused outcomeUnknown() {
    return outcomeUnknown(
        "The event may be in the room already, and publishing it again may store it twice;"
            + " publish with an Idempotency-Key where a retry must store once.");
  }

  static PublishRefused outcomeUnknown(String action) {
    return new PublishRefused(
        503,
        "PUBLISH_OUTCOME_UNKNOWN",
        "the commit storing this event failed on the way back and the database could not say"
            + " whether it was stored",
        action,
        1);
  }

  static PublishRefused queueFull(int capacity) {
    return new PublishRefused(
        503,
        "PUBLISH_QUEUE_FULL",
        capacity
            + " publishes are already waiting to be stored on this instance; this one was not"
            + " stored",
        "Publish the event again after the Retry-After delay.",
        1);
  }

  static PublishRefused stopping() {
    return new PublishRefused(
        503,
        "SERVER_STOPPING",
        "this instance is stopping, or its publish committer has ended (see the server log);"
            + " the event was not stored",
        "Publish the event again after the Retry-After delay; another instance can take it.",
        1);
  }
}
