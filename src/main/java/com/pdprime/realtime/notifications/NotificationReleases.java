package com.pdprime.realtime.notifications;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/**
 * The release job's transactions. A held row is claimed with {@code UPDATE … SET state='delivered'
 * WHERE id=? AND state='held'}: the database lets exactly one transaction change the row, so of two
 * instances releasing at once only the one whose update counted 1 row publishes it. Plain SQL
 * semantics, the same on H2 and PostgreSQL (no {@code SKIP LOCKED}, which H2 lacks).
 */
@Stateless
public class NotificationReleases {
  // One run releases at most this many; the rest go at the next run, seconds later. Bounds the
  // time one run holds the scheduler's thread after a long outage.
  static final int BATCH = 500;

  @PersistenceContext EntityManager em;
  @Inject NotificationService notifications;
  @Inject NotificationMetrics metrics;

  /** Held rows whose time has come, oldest first. */
  public List<Notification> due(Instant now) {
    return em.createQuery(
            "SELECT n FROM Notification n WHERE n.state = :held AND n.deliverAfter <= :now"
                + " ORDER BY n.createdAt, n.id",
            Notification.class)
        .setParameter("held", NotificationState.HELD.wire())
        .setParameter("now", now)
        .setMaxResults(BATCH)
        .getResultList();
  }

  /** Delivers the row if this transaction claims it; false if another instance (or a read) did. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean release(String id, Instant now) {
    int claimed =
        em.createQuery(
                "UPDATE Notification n SET n.state = :delivered, n.deliveredAt = :now"
                    + " WHERE n.id = :id AND n.state = :held")
            .setParameter("delivered", NotificationState.DELIVERED.wire())
            .setParameter("now", now)
            .setParameter("id", id)
            .setParameter("held", NotificationState.HELD.wire())
            .executeUpdate();
    if (claimed != 1) {
      return false;
    }
    Notification notification = em.find(Notification.class, id);
    em.refresh(notification);
    notifications.publish(notification);
    metrics.released(notification.priority());
    return true;
  }

  /** Removes a held row a newer one of its collapse key replaces, unless it is no longer held. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void supersede(String id) {
    em.createQuery("DELETE FROM Notification n WHERE n.id = :id AND n.state = :held")
        .setParameter("id", id)
        .setParameter("held", NotificationState.HELD.wire())
        .executeUpdate();
  }
}
