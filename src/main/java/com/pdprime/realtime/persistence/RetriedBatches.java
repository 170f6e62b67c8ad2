package com.pdprime.realtime.persistence;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A writer's batches that failed, kept in order and written again ahead of its next batch, so a
 * database outage delays the connection journal's and presence's rows instead of losing them.
 *
 * <p>A batch fails as a whole (one transaction). If the database does not answer, or does not
 * answer within the statement timeout ({@link StatementTimeout}), everything is kept for the next
 * flush: every try fails until the database is back. If it answers, the batch itself holds
 * something the database refuses, and keeping it would block every later batch; it is then written
 * one item at a time, and only the items refused on their own are dropped, each logged SEVERE and
 * counted. So is the oldest of what is kept beyond {@link #capacity}, so an outage costs bounded
 * memory.
 *
 * <p>A write that follows a failure is {@code retried}: the failed try may have committed and lost
 * only its answer, so a retried write must not insert a row that is there already.
 *
 * <p>Not thread-safe: its owner flushes one batch at a time.
 */
public final class RetriedBatches<T> {
  /** Writes items in one transaction, or throws having written none of them. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(List<T> items, boolean retried);
  }

  /**
   * The owner's metrics: {@code failed} for a batch, or an item written alone, that failed to
   * write; {@code dropped} for an item given up. The log lines are this class's.
   */
  public record Counters(Runnable failed, Runnable dropped) {}

  private static final Logger LOG = Logger.getLogger(RetriedBatches.class.getName());

  private final String what;
  private final int capacity;
  private final Writer<T> writer;
  private final Function<T, String> describe;
  private final BooleanSupplier databaseAnswers;
  private final Counters counters;
  private final ArrayDeque<T> kept = new ArrayDeque<>();
  private int failedTries;
  private Instant failingSince;

  /**
   * @param what the items' name in the log ("connection journal entries")
   * @param capacity the most items kept between flushes
   * @param describe an item as a log line names it
   */
  public RetriedBatches(
      String what,
      int capacity,
      Writer<T> writer,
      Function<T, String> describe,
      BooleanSupplier databaseAnswers,
      Counters counters) {
    this.what = what;
    this.capacity = capacity;
    this.writer = writer;
    this.describe = describe;
    this.databaseAnswers = databaseAnswers;
    this.counters = counters;
  }

  /** Writes what was kept, then {@code fresh}, as one batch. */
  public void write(List<T> fresh) {
    boolean retried = !kept.isEmpty();
    List<T> batch = new ArrayList<>(kept.size() + fresh.size());
    batch.addAll(kept);
    batch.addAll(fresh);
    kept.clear();
    if (batch.isEmpty()) {
      return;
    }
    try {
      writer.write(batch, retried);
      if (retried) {
        LOG.warning(
            what
                + ": written, with "
                + (batch.size() - fresh.size())
                + " kept from before, after "
                + failedTries
                + " failed tries since "
                + failingSince);
      }
      failedTries = 0;
    } catch (RuntimeException failed) {
      counters.failed().run();
      if (failedTries++ == 0) {
        failingSince = Instant.now();
      }
      if (answersInTime(failed)) {
        LOG.log(
            Level.SEVERE,
            what
                + ": a batch of "
                + batch.size()
                + " was refused while the database answers; writing them one at a time",
            failed);
        writeOneByOne(batch);
      } else {
        keep(batch);
        // The first failure of an outage with its cause; the next ones, a try every flush, are
        // counted, and the write that ends the outage says how many there were.
        LOG.log(
            failedTries == 1 ? Level.SEVERE : Level.FINE,
            what
                + ": a batch of "
                + batch.size()
                + " not written, the database does not answer; "
                + kept.size()
                + " kept for the next flush",
            failed);
      }
    }
  }

  /** How many items wait for the next flush. */
  public int kept() {
    return kept.size();
  }

  /**
   * Each item in a transaction of its own; if the database stops answering on the way, the item
   * that failed and those after it are kept.
   */
  private void writeOneByOne(List<T> batch) {
    for (int i = 0; i < batch.size(); i++) {
      T item = batch.get(i);
      try {
        writer.write(List.of(item), true);
      } catch (RuntimeException refused) {
        counters.failed().run();
        if (!answersInTime(refused)) {
          keep(batch.subList(i, batch.size()));
          LOG.log(
              Level.SEVERE,
              what
                  + ": the database stopped answering; "
                  + kept.size()
                  + " kept for the next flush",
              refused);
          return;
        }
        counters.dropped().run();
        LOG.log(
            Level.SEVERE, what + ": dropped, refused on its own: " + describe.apply(item), refused);
      }
    }
    failedTries = 0;
  }

  /**
   * Whether the database answers and answered this write: a statement cancelled by the pool's
   * statement timeout (a lock held elsewhere, an overload) was not refused for what it holds, and
   * writing its items one at a time would only wait out the timeout once per item, then drop them.
   */
  private boolean answersInTime(RuntimeException failed) {
    return !StatementTimeout.cancelled(failed) && databaseAnswers.getAsBoolean();
  }

  private void keep(List<T> batch) {
    int over = batch.size() - capacity;
    for (int i = Math.max(0, over); i < batch.size(); i++) {
      kept.add(batch.get(i));
    }
    if (over > 0) {
      for (int i = 0; i < over; i++) {
        counters.dropped().run();
      }
      LOG.severe(
          what
              + ": dropped the oldest "
              + over
              + " unwritten, more than the "
              + capacity
              + " kept while the database does not answer");
    }
  }
}
