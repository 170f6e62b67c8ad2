package com.pdprime.realtime.presence;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code room_presence} table: shared by every instance, so a query sees the whole cluster. */
@Stateless
public class PresenceStore {
  /** Bounds each IN list: well under every database's parameter limit. */
  private static final int CHUNK = 500;

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

  /** Removes every row of the closed connections, in chunks that keep each IN list bounded. */
  public List<PresenceEntry> leaveAll(List<String> connectionIds) {
    List<PresenceEntry> removed = new ArrayList<>();
    for (List<String> chunk : chunks(connectionIds)) {
      removed.addAll(
          remove(
              em.createQuery(
                      "SELECT p FROM PresenceEntry p WHERE p.connectionId IN :connections",
                      PresenceEntry.class)
                  .setParameter("connections", chunk)
                  .getResultList()));
    }
    return removed;
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

  /**
   * Of the given (room, subject) pairs, those that still have a connection on some instance: one
   * query per chunk of pairs instead of one per pair.
   */
  public Set<RoomMember> stillPresent(Collection<RoomMember> members) {
    Set<RoomMember> present = new HashSet<>();
    for (List<RoomMember> chunk : chunks(List.copyOf(members))) {
      Set<RoomMember> asked = new HashSet<>(chunk);
      List<Object[]> rows =
          em.createQuery(
                  "SELECT DISTINCT p.room, p.subject FROM PresenceEntry p"
                      + " WHERE p.room IN :rooms AND p.subject IN :subjects",
                  Object[].class)
              .setParameter("rooms", chunk.stream().map(RoomMember::room).distinct().toList())
              .setParameter("subjects", chunk.stream().map(RoomMember::subject).distinct().toList())
              .getResultList();
      // The query may match pairs that were not asked about (room of one, subject of another).
      for (Object[] row : rows) {
        RoomMember member = new RoomMember((String) row[0], (String) row[1]);
        if (asked.contains(member)) {
          present.add(member);
        }
      }
    }
    return present;
  }

  private static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
    }
    return chunks;
  }
}
