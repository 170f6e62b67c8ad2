package com.pdprime.realtime.connections;

import com.pdprime.realtime.monitoring.DatabaseProbe;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.RetriedBatches;
import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records connection lifecycles in {@code websocket_connections} in batches, one transaction per
 * flush interval, so a message never waits for the database and a connect storm is a few large
 * writes. A batch the database could not take is written again with the next ({@link
 * RetriedBatches}): after an outage the rows of connections opened and closed during it are there.
 * At start it closes out the rows this instance's previous process left open.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
// The engine's flush at shutdown and the scheduled one may meet; flushSafely orders them.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConnectionJournal {
  private static final Logger LOG = Logger.getLogger(ConnectionJournal.class.getName());

  /**
   * Entries kept while the database does not answer: a reconnect storm of 10,000 is about 30,000, a
   * few hundred bytes each.
   */
  private static final int KEPT_ENTRIES = 100_000;

  @Inject JournalWriter writer;
  @Inject JournalQueue queue;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;

  @Inject
  @ConfigProperty(name = "realtime.connections.flush-interval-ms")
  long flushIntervalMillis;

  @Inject Timers timers;

  @Inject DatabaseProbe database;

  private final Object flushing = new Object();

  // Lambdas, not method references: the injected fields are read when a flush runs.
  private final RetriedBatches<JournalEntry> batches =
      new RetriedBatches<>(
          "connection journal entries",
          KEPT_ENTRIES,
          (entries, retried) -> writer.write(entries, retried),
          ConnectionJournal::describe,
          () -> database.roundTrip().up(),
          new RetriedBatches.Counters(
              () -> metrics.journalFailed(), () -> metrics.journalDropped()));

  @PostConstruct
  void start() {
    int ghosts = writer.closeGhosts(instance.id(), Instant.now());
    LOG.info("instance=" + instance.id() + " closed out " + ghosts + " connection rows left open");
    timers.every("connection journal flush", flushIntervalMillis, this::flushSafely);
  }

  @PreDestroy
  void stop() {
    flushSafely();
  }

  /**
   * Writes what is pending now. The engine calls it as it stops, after closing every socket, while
   * the application's beans still work: WildFly stops the writer before this singleton's
   * {@code @PreDestroy}, whose last flush then found no writer.
   */
  public void flush() {
    flushSafely();
  }

  /**
   * One flush at a time, each after the one before has committed. Otherwise the engine's last flush
   * drained only what a scheduled flush still writing had left: it wrote closes to rows not yet
   * there (updating none), and the engine's stop went on with the scheduled write uncommitted, so
   * the container could stop under it.
   */
  private void flushSafely() {
    synchronized (flushing) {
      batches.write(queue.drain());
    }
  }

  private static String describe(JournalEntry entry) {
    if (entry instanceof ConnectionsActive active) {
      return "activity of " + active.connectionIds().size() + " connections at " + active.at();
    }
    return entry.toString();
  }
}
