package com.pdprime.realtime.quotes;

import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
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

  @Inject Timers timers;
  @Inject QuoteExpiries expiries;

  @Inject
  @ConfigProperty(name = "realtime.quotes.expiry.period-seconds")
  long periodSeconds;

  @PostConstruct
  void start() {
    timers.every("quote expiry", TimeUnit.SECONDS.toMillis(periodSeconds), this::run);
  }

  private void run() {
    try {
      Instant now = Instant.now();
      for (String quoteId : expiries.due(now)) {
        expiries.advance(quoteId, now);
      }
    } catch (RuntimeException e) {
      // Retried at the next tick, so a WARNING, not the SEVERE of a run that throws (Timers).
      LOG.log(Level.WARNING, "the quote expiry run failed; retried in " + periodSeconds + " s", e);
    }
  }
}
