package com.pdprime.realtime.quotes;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every instance, every {@code realtime.quotes.expiry.period-seconds}: reminds customers of quotes
 * about to expire and sets {@code EXPIRED} on quotes past their validity, telling the quote's room
 * ({@code quote.status.changed}). Each step is claimed under a row lock ({@link QuoteExpiries}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class QuoteExpiry {
  private static final Logger LOG = Logger.getLogger(QuoteExpiry.class.getName());

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject QuoteExpiries expiries;

  @Inject
  @ConfigProperty(name = "realtime.quotes.expiry.period-seconds")
  long periodSeconds;

  private ScheduledFuture<?> task;

  @PostConstruct
  void start() {
    task =
        scheduler.scheduleWithFixedDelay(this::run, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    task.cancel(false);
  }

  private void run() {
    try {
      Instant now = Instant.now();
      for (String quoteId : expiries.due(now)) {
        expiries.advance(quoteId, now);
      }
    } catch (RuntimeException e) {
      // A failed run is retried at the next tick; the scheduler would drop a task that threw.
      LOG.log(Level.WARNING, "the quote expiry run failed; retried in " + periodSeconds + " s", e);
    }
  }
}
