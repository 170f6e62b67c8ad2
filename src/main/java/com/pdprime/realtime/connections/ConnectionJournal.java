package com.pdprime.realtime.connections;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
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
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records connection lifecycles in {@code websocket_connections} in batches, one transaction per
 * flush interval, so a message never waits for the database and a connect storm is a few large
 * writes. At start it closes out the rows this instance's previous process left open.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
// The engine's flush at shutdown and the scheduled one may meet; flushSafely orders them.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConnectionJournal {
  private static final Logger LOG = Logger.getLogger(ConnectionJournal.class.getName());

  @Inject JournalWriter writer;
  @Inject JournalQueue queue;
  @Inject InstanceIdentity instance;
  @Inject RealtimeMetrics metrics;

  @Inject
  @ConfigProperty(name = "realtime.connections.flush-interval-ms")
  long flushIntervalMillis;

  @Inject Timers timers;

  private final Object flushing = new Object();

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
      List<JournalEntry> batch = queue.drain();
      if (batch.isEmpty()) {
        return;
      }
      try {
        writer.write(batch);
      } catch (RuntimeException e) {
        metrics.journalFailed();
        LOG.log(
            Level.SEVERE,
            "connection journal batch of " + batch.size() + " entries not written; rows may lag",
            e);
      }
    }
  }
}
