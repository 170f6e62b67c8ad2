package com.pdprime.realtime.api;

import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired idempotency keys every ten minutes, so {@code idempotency_keys} holds at most one
 * window of keys. Every instance prunes; the delete is the same on each.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IdempotencyKeyPruner {
  private static final Logger LOG = Logger.getLogger(IdempotencyKeyPruner.class.getName());
  // Keys live for hours; pruning a few minutes late only keeps a few minutes' more rows.
  private static final long INTERVAL_MINUTES = 10;

  @Inject Timers timers;
  @Inject IdempotencyKeys keys;

  @PostConstruct
  void start() {
    timers.every(
        "idempotency key pruning", TimeUnit.MINUTES.toMillis(INTERVAL_MINUTES), this::prune);
  }

  private void prune() {
    try {
      int pruned = keys.pruneExpired();
      if (pruned > 0) {
        LOG.info("pruned " + pruned + " expired idempotency keys");
      }
    } catch (RuntimeException e) {
      // Retried at the next tick, so a WARNING, not the SEVERE of a run that throws (Timers).
      LOG.log(Level.WARNING, "pruning idempotency keys failed; retried in 10 minutes", e);
    }
  }
}
