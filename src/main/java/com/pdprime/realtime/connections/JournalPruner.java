package com.pdprime.realtime.connections;

import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes the journal's rows of connections closed longer ago than the retention, so that {@code
 * websocket_connections} holds a window of history instead of every connection ever served. With
 * the embedded default that table lives in the server's heap, so without this each closed
 * connection kept its row there for the process's life (bench/RESULTS.md, "Fourth stop of
 * 2026-12-05"). Every instance prunes; the delete is the same on each.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JournalPruner {
  private static final Logger LOG = Logger.getLogger(JournalPruner.class.getName());

  /**
   * The performance dashboard counts closes by code over up to 168 hours from these rows
   * (analytics/DashboardFilter.MAX_HOURS); a shorter retention would make it undercount.
   */
  public static final int MIN_RETENTION_HOURS = 168;

  /** One transaction's deletes: a first prune of a large table does not hold one huge one. */
  private static final int ROWS_PER_TRANSACTION = 10_000;

  @Inject JournalWriter writer;
  @Inject Timers timers;

  @Inject
  @ConfigProperty(name = "realtime.connections.retention-hours")
  int retentionHours;

  @Inject
  @ConfigProperty(name = "realtime.connections.prune-interval-ms")
  long intervalMillis;

  private Duration retention;

  @PostConstruct
  void start() {
    retention = retention(retentionHours);
    timers.every("connection journal pruning", intervalMillis, this::prune);
  }

  /** The retention configured, refused (the application does not start) below the minimum. */
  static Duration retention(int hours) {
    if (hours < MIN_RETENTION_HOURS) {
      throw new IllegalArgumentException(
          "realtime.connections.retention-hours is "
              + hours
              + "; it must be at least "
              + MIN_RETENTION_HOURS
              + ": the performance dashboard counts closes over up to that many hours from the"
              + " journal's rows");
    }
    return Duration.ofHours(hours);
  }

  private void prune() {
    Instant cutoff = Instant.now().minus(retention);
    int pruned = 0;
    int deleted;
    do {
      deleted = writer.deleteClosedBefore(cutoff, ROWS_PER_TRANSACTION);
      pruned += deleted;
    } while (deleted == ROWS_PER_TRANSACTION);
    if (pruned > 0) {
      LOG.info("pruned " + pruned + " connection rows closed before " + cutoff);
    }
  }
}
