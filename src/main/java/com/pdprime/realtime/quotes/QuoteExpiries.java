package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.PublishService;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One step of a quoted premium's end: the reminder 24 hours before its validity ends, the one an
 * hour before, then {@code EXPIRED}. Each quote is locked while its step is taken, so when every
 * instance runs {@link QuoteExpiry} each step still happens once: the second instance finds the
 * reminder counted or the status changed.
 */
@Stateless
public class QuoteExpiries {
  static final Duration FIRST_REMINDER = Duration.ofHours(24);
  static final Duration LAST_REMINDER = Duration.ofHours(1);
  // Who the quote room's event names as the cause: the platform, not a person.
  static final String SYSTEM_SUBJECT = "system";

  @PersistenceContext EntityManager em;
  @Inject PublishService publisher;
  @Inject Event<QuoteMilestone> milestones;

  /** QUOTED quotes with a step due by {@code now}: their validity ends within 24 hours. */
  public List<String> due(Instant now) {
    return em.createQuery(
            "SELECT q.id FROM Quote q WHERE q.status = :quoted AND q.validUntil IS NOT NULL"
                + " AND q.validUntil <= :horizon ORDER BY q.validUntil",
            String.class)
        .setParameter("quoted", QuoteStatus.QUOTED.name())
        .setParameter("horizon", now.plus(FIRST_REMINDER))
        .getResultList();
  }

  /**
   * Takes the step due for the quote, if any. A reminder that came due together with a later one is
   * skipped: a quote an hour from its end gets the one-hour reminder only.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void advance(String quoteId, Instant now) {
    Quote quote = em.find(Quote.class, quoteId, LockModeType.PESSIMISTIC_WRITE);
    if (quote == null
        || !QuoteStatus.QUOTED.name().equals(quote.status())
        || quote.validUntil() == null) {
      return;
    }
    Instant end = quote.validUntil();
    if (!end.isAfter(now)) {
      quote.expired();
      publisher.publish(
          QuoteService.room(quoteId),
          "quote.status.changed",
          JSON.createObjectBuilder()
              .add("status", quote.status())
              .add("reason", "the premium's validity ended at " + end)
              .add(
                  "by",
                  JSON.createObjectBuilder().add("subject", SYSTEM_SUBJECT).add("name", "PD Prime"))
              .build(),
          SYSTEM_SUBJECT);
      milestones.fire(QuoteMilestone.of(QuoteMilestone.Kind.EXPIRED, quote));
    } else if (!end.minus(LAST_REMINDER).isAfter(now) && quote.expiryReminders() < 2) {
      quote.reminded(2);
      milestones.fire(QuoteMilestone.of(QuoteMilestone.Kind.EXPIRES_IN_1_HOUR, quote));
    } else if (quote.expiryReminders() < 1) {
      quote.reminded(1);
      milestones.fire(QuoteMilestone.of(QuoteMilestone.Kind.EXPIRES_IN_24_HOURS, quote));
    }
  }
}
