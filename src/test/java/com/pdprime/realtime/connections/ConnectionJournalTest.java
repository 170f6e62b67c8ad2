package com.pdprime.realtime.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionJournalTest {
  /** Records each batch; the first write waits until the test lets it commit. */
  static class HeldWriter extends JournalWriter {
    final List<List<JournalEntry>> committed = new CopyOnWriteArrayList<>();
    final CountDownLatch firstWriting = new CountDownLatch(1);
    final CountDownLatch commitFirst = new CountDownLatch(1);

    @Override
    public void write(List<JournalEntry> entries, boolean retried) {
      if (firstWriting.getCount() > 0) {
        firstWriting.countDown();
        try {
          assertTrue(commitFirst.await(10, TimeUnit.SECONDS), "the test never let it commit");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      committed.add(List.copyOf(entries));
    }
  }

  @Test
  void theLastFlushWaitsForTheScheduledOneAndWritesTheClosesAfterTheirOpens() throws Exception {
    HeldWriter writer = new HeldWriter();
    ConnectionJournal journal = new ConnectionJournal();
    journal.writer = writer;
    journal.queue = new JournalQueue();
    Instant now = Instant.now();
    ConnectionOpened opened =
        new ConnectionOpened("c1", "node-1", "alice", false, "127.0.0.1", "test", now);
    ConnectionClosed closed = new ConnectionClosed("c1", 1001, "server shutting down", now);

    journal.queue.record(opened);
    Thread scheduled = new Thread(journal::flush, "scheduled flush");
    scheduled.start();
    assertTrue(writer.firstWriting.await(10, TimeUnit.SECONDS), "the opens were never written");

    journal.queue.record(closed);
    Thread last = new Thread(journal::flush, "the engine's last flush");
    last.start();
    last.join(300);
    assertTrue(
        last.isAlive(), "the last flush returned while the opens before it were still uncommitted");
    assertEquals(List.of(), writer.committed, "the closes were written before their opens");

    writer.commitFirst.countDown();
    last.join(10_000);
    scheduled.join(10_000);
    assertFalse(last.isAlive() || scheduled.isAlive(), "a flush never ended");
    assertEquals(List.of(List.of(opened), List.of(closed)), writer.committed);
  }
}
