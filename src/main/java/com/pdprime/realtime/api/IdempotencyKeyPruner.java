package com.pdprime.realtime.api;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
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

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject IdempotencyKeys keys;
  private ScheduledFuture<?> task;

  @PostConstruct
  void start() {
    task =
        scheduler.scheduleWithFixedDelay(
            this::prune, INTERVAL_MINUTES, INTERVAL_MINUTES, TimeUnit.MINUTES);
  }

  @PreDestroy
  void stop() {
    task.cancel(false);
  }

  private void prune() {
    try {
      int pruned = keys.pruneExpired();
      if (pruned > 0) {
        LOG.info("pruned " + pruned + " expired idempotency keys");
      }
    } catch (RuntimeException e) {
      // A failed run is retried at the next tick; the scheduler would drop the task if it threw.
      LOG.log(Level.WARNING, "pruning idempotency keys failed; retried in 10 minutes", e);
    }
  }
}
