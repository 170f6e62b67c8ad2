package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.rooms.PublishService;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.List;

/**
 * A subject's own inbox: pages of their notifications, the unread count, and marking read. Every
 * read (REST or socket) publishes {@code notification.read} on the subject's room in the same
 * transaction, so their other sockets, and a socket that resumes later, learn of it.
 */
@Stateless
public class NotificationInbox {
  static final String READ_EVENT = "notification.read";

  @PersistenceContext EntityManager em;
  @Inject PublishService publisher;
  @Inject NotificationClock clock;
  @Inject NotificationMetrics metrics;

  /** Which rows a listing shows; muted ones are never shown: they were not delivered. */
  public enum Filter {
    ALL(List.of(NotificationState.HELD, NotificationState.DELIVERED, NotificationState.READ)),
    HELD(List.of(NotificationState.HELD)),
    UNREAD(List.of(NotificationState.DELIVERED)),
    READ(List.of(NotificationState.READ));

    final List<String> states;

    Filter(List<NotificationState> states) {
      this.states = states.stream().map(NotificationState::wire).toList();
    }
  }

  /** Newest first; {@code before} is the last id of the previous page (null for the first). */
  public JsonObject page(String subject, Filter filter, int limit, String before) {
    String where = "n.recipient = :subject AND n.state IN :states";
    Notification after = null;
    if (before != null) {
      after = own(subject, before);
      where += " AND (n.createdAt < :at OR (n.createdAt = :at AND n.id < :id))";
    }
    TypedQuery<Notification> query =
        em.createQuery(
                "SELECT n FROM Notification n WHERE "
                    + where
                    + " ORDER BY n.createdAt DESC, n.id DESC",
                Notification.class)
            .setParameter("subject", subject)
            .setParameter("states", filter.states)
            .setMaxResults(limit + 1);
    if (after != null) {
      query.setParameter("at", after.createdAt()).setParameter("id", after.id());
    }
    List<Notification> rows = query.getResultList();
    JsonArrayBuilder items = JSON.createArrayBuilder();
    rows.stream().limit(limit).forEach(n -> items.add(n.toJson()));
    var page = JSON.createObjectBuilder().add("items", items).add("unread", unread(subject));
    if (rows.size() > limit) {
      page.add("next", rows.get(limit - 1).id());
    } else {
      page.addNull("next");
    }
    return page.build();
  }

  /** Marks one read; reading it again answers the first read's time and publishes nothing. */
  public JsonObject read(String subject, String id) {
    Notification notification = lockedOwn(subject, id);
    Instant readAt = notification.readAt();
    if (notification.state() != NotificationState.READ) {
      readAt = clock.now();
      notification.read(readAt);
      metrics.read(notification.priority());
      em.flush();
      announce(subject, List.of(id), readAt);
    }
    return JSON.createObjectBuilder()
        .add("id", id)
        .add("readAt", readAt.toString())
        .add("unread", unread(subject))
        .build();
  }

  /** Marks every delivered one read (held ones have not arrived yet and stay held). */
  public JsonObject readAll(String subject) {
    Instant readAt = clock.now();
    List<Notification> unread =
        em.createQuery(
                "SELECT n FROM Notification n WHERE n.recipient = :subject AND n.state = :state"
                    + " ORDER BY n.createdAt, n.id",
                Notification.class)
            .setParameter("subject", subject)
            .setParameter("state", NotificationState.DELIVERED.wire())
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    JsonArrayBuilder ids = JSON.createArrayBuilder();
    for (Notification notification : unread) {
      notification.read(readAt);
      metrics.read(notification.priority());
      ids.add(notification.id());
    }
    em.flush();
    if (!unread.isEmpty()) {
      announce(subject, unread.stream().map(Notification::id).toList(), readAt);
    }
    return JSON.createObjectBuilder()
        .add("readAt", readAt.toString())
        .add("unread", unread(subject))
        .add("ids", ids)
        .build();
  }

  private long unread(String subject) {
    return em.createQuery(
            "SELECT COUNT(n) FROM Notification n WHERE n.recipient = :subject"
                + " AND n.state = :state",
            Long.class)
        .setParameter("subject", subject)
        .setParameter("state", NotificationState.DELIVERED.wire())
        .getSingleResult();
  }

  private void announce(String subject, List<String> ids, Instant readAt) {
    JsonArrayBuilder list = JSON.createArrayBuilder();
    ids.forEach(list::add);
    publisher.publish(
        NotificationRequest.userRoom(subject),
        READ_EVENT,
        JSON.createObjectBuilder()
            .add("ids", list)
            .add("readAt", readAt.toString())
            .add("unread", unread(subject))
            .build(),
        NotificationService.PUBLISHER);
  }

  /**
   * The subject's notification, shown in their inbox; anyone else's, or a muted one, is unknown.
   */
  private Notification own(String subject, String id) {
    Notification notification = em.find(Notification.class, id);
    return visible(subject, id, notification);
  }

  private Notification lockedOwn(String subject, String id) {
    Notification notification = em.find(Notification.class, id, LockModeType.PESSIMISTIC_WRITE);
    return visible(subject, id, notification);
  }

  private static Notification visible(String subject, String id, Notification notification) {
    if (notification == null
        || !notification.recipient().equals(subject)
        || notification.state() == NotificationState.MUTED) {
      throw NotificationRefusal.notFound(id);
    }
    return notification;
  }
}
