package com.pdprime.realtime.presence;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/** The {@code room_presence} table: shared by every instance, so a query sees the whole cluster. */
@Stateless
public class PresenceStore {
  @PersistenceContext EntityManager em;

  /**
   * Records the connection in the room; true if its subject had no connection there before. The
   * count is read before the insert in the same transaction: of two first connections joining at
   * once, at least one sees none (each would have to see the other's commit before its own).
   */
  public boolean join(
      String connectionId, String room, String instanceId, String subject, String displayName) {
    boolean first = connectionsOf(room, subject) == 0;
    em.persist(
        new PresenceEntry(connectionId, room, instanceId, subject, displayName, Instant.now()));
    return first;
  }

  public List<PresenceEntry> leave(String connectionId, String room) {
    return remove(
        em.createQuery(
                "SELECT p FROM PresenceEntry p WHERE p.connectionId = :connection AND p.room = :room",
                PresenceEntry.class)
            .setParameter("connection", connectionId)
            .setParameter("room", room)
            .getResultList());
  }

  public List<PresenceEntry> leaveAll(String connectionId) {
    return remove(
        em.createQuery(
                "SELECT p FROM PresenceEntry p WHERE p.connectionId = :connection",
                PresenceEntry.class)
            .setParameter("connection", connectionId)
            .getResultList());
  }

  /** Removes everything a stopped instance left behind, and says what it was. */
  public List<PresenceEntry> removeInstance(String instanceId) {
    return remove(
        em.createQuery(
                "SELECT p FROM PresenceEntry p WHERE p.instanceId = :instance", PresenceEntry.class)
            .setParameter("instance", instanceId)
            .getResultList());
  }

  public List<PresenceEntry> inRoom(String room) {
    return em.createQuery(
            "SELECT p FROM PresenceEntry p WHERE p.room = :room ORDER BY p.subject, p.joinedAt",
            PresenceEntry.class)
        .setParameter("room", room)
        .getResultList();
  }

  private List<PresenceEntry> remove(List<PresenceEntry> entries) {
    entries.forEach(em::remove);
    return entries;
  }

  /** How many connections of the subject are in the room, on every instance. */
  public long connectionsOf(String room, String subject) {
    return em.createQuery(
            "SELECT COUNT(p) FROM PresenceEntry p WHERE p.room = :room AND p.subject = :subject",
            Long.class)
        .setParameter("room", room)
        .setParameter("subject", subject)
        .getSingleResult();
  }
}
