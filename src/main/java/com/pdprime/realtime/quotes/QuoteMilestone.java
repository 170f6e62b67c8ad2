package com.pdprime.realtime.quotes;

import java.time.Instant;

/**
 * A moment in a quote's life that people are told about (notifications/ turns each into a
 * notification). Fired synchronously inside the transaction that made the change, so the
 * notification is stored with it or not at all; its delivery is published after commit like every
 * durable event.
 */
public record QuoteMilestone(
    Kind kind, String quoteId, String customerSubject, String agentSubject, Instant validUntil) {
  public enum Kind {
    CALCULATED,
    BOUND,
    EXPIRES_IN_24_HOURS,
    EXPIRES_IN_1_HOUR,
    EXPIRED
  }

  static QuoteMilestone of(Kind kind, Quote quote) {
    return new QuoteMilestone(
        kind, quote.id(), quote.customer().subject(), quote.agentSubject(), quote.validUntil());
  }
}
