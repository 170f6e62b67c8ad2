package com.pdprime.realtime.presence;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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
   * Writes one flush's batch in one transaction, and says which of the (room, user) pairs it
   * touches had a connection on some instance before it: read before the writes, so of two first
   * connections of a user joining on two instances at once, at least one sees none (each would have
   * to see the other's commit before its own).
   */
  public Written write(PresenceBatch batch) {
    List<PresenceEntry> removed = new ArrayList<>();
    for (List<String> chunk : chunks(List.copyOf(batch.departed()))) {
      removed.addAll(
          em.createQuery(
                  "SELECT p FROM PresenceEntry p WHERE p.connectionId IN :connections",
                  PresenceEntry.class)
              .setParameter("connections", chunk)
              .getResultList());
    }
    for (PresenceBatch.Slot slot : batch.left()) {
      removed.addAll(
          em.createQuery(
                  "SELECT p FROM PresenceEntry p WHERE p.connectionId = :connection"
                      + " AND p.room = :room",
                  PresenceEntry.class)
              .setParameter("connection", slot.connectionId())
              .setParameter("room", slot.room())
              .getResultList());
    }
    Set<RoomMember> touched = new HashSet<>();
    removed.forEach(entry -> touched.add(entry.member()));
    batch.joined().forEach(entry -> touched.add(entry.member()));
    Set<RoomMember> presentBefore = stillPresent(touched);
    removed.forEach(em::remove);
    batch.joined().forEach(em::persist);
    return new Written(removed, batch.joined(), presentBefore);
  }

  /**
   * What a batch changed: the rows it removed and inserted, and the touched pairs present before.
   */
  public record Written(
      List<PresenceEntry> removed, List<PresenceEntry> inserted, Set<RoomMember> presentBefore) {}

  /** Removes everything a stopped instance left behind, and says what it was. */
  public List<PresenceEntry> removeInstance(String instanceId) {
    List<PresenceEntry> entries =
        em.createQuery(
                "SELECT p FROM PresenceEntry p WHERE p.instanceId = :instance", PresenceEntry.class)
            .setParameter("instance", instanceId)
            .getResultList();
    entries.forEach(em::remove);
    return entries;
  }

  public List<PresenceEntry> inRoom(String room) {
    return em.createQuery(
            "SELECT p FROM PresenceEntry p WHERE p.room = :room ORDER BY p.subject, p.joinedAt",
            PresenceEntry.class)
        .setParameter("room", room)
        .getResultList();
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
