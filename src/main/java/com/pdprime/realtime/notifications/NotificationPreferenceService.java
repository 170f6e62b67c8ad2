package com.pdprime.realtime.notifications;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;

/** Reads and replaces a subject's preferences; a subject who never set any has none. */
@Stateless
public class NotificationPreferenceService {
  @PersistenceContext EntityManager em;
  @Inject NotificationClock clock;

  public Preferences of(String subject) {
    NotificationPreferences row = em.find(NotificationPreferences.class, subject);
    return row == null ? Preferences.NONE : row.value();
  }

  /**
   * Replaces them; the last of two concurrent replaces wins. A first replace creates the row with
   * an insert that does nothing if another request created it meanwhile (it waits for that one's
   * commit on the key), so two first writes never collide on the key and answer 500.
   */
  public Preferences replace(String subject, Preferences preferences) {
    Instant now = clock.now();
    em.createNativeQuery(
            "INSERT INTO notification_preferences (subject, muted_types, updated_at)"
                + " VALUES (?, '', ?) ON CONFLICT DO NOTHING")
        .setParameter(1, subject)
        .setParameter(2, Timestamp.from(now))
        .executeUpdate();
    NotificationPreferences row =
        em.find(NotificationPreferences.class, subject, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      throw new IllegalStateException("notification_preferences has no row for " + subject);
    }
    row.set(preferences, now);
    return row.value();
  }
}
