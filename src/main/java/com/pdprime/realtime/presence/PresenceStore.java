package com.pdprime.realtime.presence;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  /**
   * {@code CAST(? AS VARCHAR ARRAY)} and a two-array {@code UNNEST} with column names read the same
   * on H2 and PostgreSQL.
   */
  private static final String STILL_PRESENT =
      "SELECT DISTINCT p.room, p.subject"
          + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS asked(room, subject)"
          + " JOIN room_presence p ON p.room = asked.room AND p.subject = asked.subject";

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
   * Of the given (room, subject) pairs, those that still have a connection on some instance.
   *
   * <p>One statement for any number of pairs, the same text each time: the pairs go as two arrays,
   * unnested side by side and joined to the table on its (room, subject) index, one index lookup a
   * pair. Asked as {@code room IN (...) AND subject IN (...)} in chunks of 500, each flush's count
   * made a new statement text, and H2 checked every row of every asked room against both lists one
   * value at a time: ~8 % of the server's CPU samples in a reconnect storm, 10 to 20 times this
   * statement's time on H2 and 3 times on PostgreSQL (bench/RESULTS.md, "Second stop of
   * 2026-12-05"). Plain JDBC on the transaction's connection, as the room sequence's statements.
   */
  public Set<RoomMember> stillPresent(Collection<RoomMember> members) {
    String[] rooms = new String[members.size()];
    String[] subjects = new String[members.size()];
    int i = 0;
    for (RoomMember member : members) {
      rooms[i] = member.room();
      subjects[i] = member.subject();
      i++;
    }
    Connection connection = em.unwrap(Connection.class);
    Set<RoomMember> present = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(STILL_PRESENT)) {
      statement.setArray(1, connection.createArrayOf("varchar", rooms));
      statement.setArray(2, connection.createArrayOf("varchar", subjects));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          present.add(new RoomMember(rows.getString(1), rows.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw new PersistenceException(
          "reading which of " + members.size() + " (room, user) pairs are present failed", e);
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
