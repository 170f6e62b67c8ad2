package com.pdprime.realtime.connections;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The journal entries waiting for {@link ConnectionJournal}'s next batch. A plain bean, not the
 * journal's EJB: every handshake and every close records here, and each call through an EJB proxy
 * took the container's locks (the singleton's write lock, then HK2's run-level context), on which a
 * reconnect storm's HTTP workers queued (bench/RESULTS.md).
 */
@ApplicationScoped
public class JournalQueue {
  private final ConcurrentLinkedQueue<JournalEntry> pending = new ConcurrentLinkedQueue<>();

  public void record(JournalEntry entry) {
    pending.add(entry);
  }

  /** What is waiting now, in the order recorded. */
  List<JournalEntry> drain() {
    List<JournalEntry> batch = new ArrayList<>();
    for (JournalEntry entry; (entry = pending.poll()) != null; ) {
      batch.add(entry);
    }
    return batch;
  }
}
