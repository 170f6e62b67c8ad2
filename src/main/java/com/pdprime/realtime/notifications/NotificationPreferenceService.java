package com.pdprime.realtime.notifications;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

/** Reads and replaces a subject's preferences; a subject who never set any has none. */
@Stateless
public class NotificationPreferenceService {
  @PersistenceContext EntityManager em;
  @Inject NotificationClock clock;

  public Preferences of(String subject) {
    NotificationPreferences row = em.find(NotificationPreferences.class, subject);
    return row == null ? Preferences.NONE : row.value();
  }

  public Preferences replace(String subject, Preferences preferences) {
    NotificationPreferences row =
        em.find(NotificationPreferences.class, subject, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      row = new NotificationPreferences(subject);
      row.set(preferences, clock.now());
      em.persist(row);
    } else {
      row.set(preferences, clock.now());
    }
    return row.value();
  }
}
