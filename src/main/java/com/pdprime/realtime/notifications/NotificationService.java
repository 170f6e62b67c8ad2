package com.pdprime.realtime.notifications;

import com.pdprime.realtime.rooms.PublishService;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sending: a request is rate-checked, planned ({@link DeliveryPlan}), stored, and — when it goes at
 * once — published on the recipient's room in the same transaction, so a notification is delivered
 * if and only if it is committed. Held rows with the same collapse key are replaced by the newest.
 */
@Stateless
public class NotificationService {
  static final String PUBLISHER = "notifications";
  static final String EVENT = "notification";

  @PersistenceContext EntityManager em;
  @Inject PublishService publisher;
  @Inject NotificationClock clock;
  @Inject NotificationSettings settings;
  @Inject RecipientZones recipients;
  @Inject NotificationPreferenceService preferences;
  @Inject NotificationMetrics metrics;

  /** A backend's notification (REST): counted against the recipient's rate. */
  public Notification send(NotificationRequest request) {
    Instant now = clock.now();
    requireRate(request, now);
    return store(request, Notification.Origin.BACKEND, now);
  }

  /**
   * The platform's own notification (quote milestones): not rate-limited, as each one follows a
   * change of a quote and their number is bounded by the quotes'.
   */
  public Notification sendPlatform(NotificationRequest request) {
    return store(request, Notification.Origin.PLATFORM, clock.now());
  }

  private Notification store(NotificationRequest request, Notification.Origin origin, Instant now) {
    Preferences prefs = preferences.of(request.recipient());
    RecipientZones.Recipient recipient = recipients.of(request.recipient(), prefs);
    DeliveryPlan plan =
        DeliveryPlan.of(
            request.type(),
            request.priority(),
            recipient.customer(),
            prefs,
            recipient.zone(),
            settings.hours(),
            now);
    if (request.collapseKey() != null) {
      // The newest wins: held rows of this key are superseded, whether the new one is held too or
      // goes at once. Delivered ones stay: the recipient has them.
      em.createQuery(
              "DELETE FROM Notification n WHERE n.recipient = :recipient"
                  + " AND n.collapseKey = :key AND n.state = :held")
          .setParameter("recipient", request.recipient())
          .setParameter("key", request.collapseKey())
          .setParameter("held", NotificationState.HELD.wire())
          .executeUpdate();
    }
    boolean atOnce = plan.state() == NotificationState.DELIVERED;
    Notification notification =
        new Notification(
            UUID.randomUUID().toString(), request, origin, now, plan, atOnce ? now : null);
    em.persist(notification);
    metrics.sent(request.priority());
    switch (plan.state()) {
      case DELIVERED -> publish(notification);
      case HELD -> metrics.held(request.priority());
      case MUTED -> metrics.muted(request.priority());
      case READ -> throw new IllegalStateException("a new notification cannot be read");
    }
    return notification;
  }

  /**
   * Publishes a delivered notification on its recipient's room; part of the caller's transaction.
   * Public: the release job calls it through the EJB proxy, which refuses other methods.
   */
  public void publish(Notification notification) {
    publisher.publish(
        NotificationRequest.userRoom(notification.recipient()),
        EVENT,
        notification.toJson(),
        PUBLISHER);
    metrics.delivered(notification.priority());
  }

  private void requireRate(NotificationRequest request, Instant now) {
    Instant since = now.minusSeconds(settings.rateWindowSeconds());
    long count =
        em.createQuery(
                "SELECT COUNT(n) FROM Notification n WHERE n.recipient = :recipient"
                    + " AND n.origin = :backend AND n.createdAt > :since",
                Long.class)
            .setParameter("recipient", request.recipient())
            .setParameter("backend", Notification.Origin.BACKEND)
            .setParameter("since", since)
            .getSingleResult();
    if (count < settings.rateMax()) {
      return;
    }
    // A slot frees when the oldest notification of the window leaves it.
    Instant oldest =
        em.createQuery(
                "SELECT n.createdAt FROM Notification n WHERE n.recipient = :recipient"
                    + " AND n.origin = :backend AND n.createdAt > :since ORDER BY n.createdAt",
                Instant.class)
            .setParameter("recipient", request.recipient())
            .setParameter("backend", Notification.Origin.BACKEND)
            .setParameter("since", since)
            .setMaxResults(1)
            .getSingleResult();
    long retry =
        Math.max(
            1,
            Duration.between(now, oldest.plusSeconds(settings.rateWindowSeconds())).toSeconds()
                + 1);
    metrics.rateLimited(request.priority());
    throw NotificationRefusal.rateLimited(
        request.recipient(), settings.rateMax(), settings.rateWindowSeconds(), retry);
  }
}
