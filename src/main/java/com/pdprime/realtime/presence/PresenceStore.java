package com.pdprime.realtime.presence;

import com.pdprime.realtime.persistence.JdbcBatch;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code room_presence} table: shared by every instance, so a query sees the whole cluster. */
@Stateless
public class PresenceStore {
  /**
   * {@code CAST(? AS VARCHAR ARRAY)} and a two-array {@code UNNEST} with column names read the same
   * on H2 and PostgreSQL.
   */
  private static final String STILL_PRESENT =
      "SELECT DISTINCT p.room, p.subject"
          + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS asked(room, subject)"
          + " JOIN room_presence p ON p.room = asked.room AND p.subject = asked.subject";

  private static final String COLUMNS =
      "p.connection_id, p.room, p.instance_id, p.subject, p.display_name, p.joined_at";

  /** Every row of the given connections. */
  private static final String ROWS_OF_CONNECTIONS =
      "SELECT "
          + COLUMNS
          + " FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS gone(connection_id)"
          + " JOIN room_presence p ON p.connection_id = gone.connection_id";

  /** The rows of the given (connection, room) slots. */
  private static final String ROWS_OF_SLOTS =
      "SELECT "
          + COLUMNS
          + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS gone(connection_id, room)"
          + " JOIN room_presence p ON p.connection_id = gone.connection_id AND p.room = gone.room";

  private static final String INSERTED_COLUMNS =
      "room_presence (connection_id, room, instance_id, subject, display_name, joined_at)";

  private static final String INSERT =
      "INSERT INTO " + INSERTED_COLUMNS + " VALUES (?, ?, ?, ?, ?, ?)";

  /** The same row, unless it is there: typed casts, since a select list gives no types. */
  private static final String INSERT_ABSENT =
      "INSERT INTO "
          + INSERTED_COLUMNS
          + " SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
          + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TIMESTAMP)"
          + " WHERE NOT EXISTS (SELECT 1 FROM room_presence WHERE connection_id = ? AND room = ?)";

  @PersistenceContext EntityManager em;

  /**
   * Writes one flush's batch in one transaction, and says which of the (room, user) pairs it
   * touches had a connection on some instance before it: read before the writes, so of two first
   * connections of a user joining on two instances at once, at least one sees none (each would have
   * to see the other's commit before its own).
   *
   * <p>Plain JDBC on the transaction's connection throughout. The rows that go are read in one
   * statement of arrays as {@link #stillPresent}: looked up as {@code connectionId IN (...)} in
   * chunks of 500, the lookup and the entities' removal were 6 % of the server's CPU samples in a
   * reconnect storm (bench/RESULTS.md, "Second stop of 2026-12-05"). The new rows are one JDBC
   * batch: persisted, EclipseLink registered and cloned each of a storm's 10,000 at commit, which
   * nothing in the transaction reads again (1.7 % of a storm's samples, "Fifth stop of
   * 2026-12-05"). No shared cache holds these rows ({@code persistence.xml}), so nothing else has
   * to know.
   *
   * <p>A {@code retried} batch follows a failed one that may have committed and lost only its
   * answer: it inserts only the rows that are not there. A first write inserts them plainly,
   * without the look-up a reconnect storm's 10,000 rows would pay for.
   */
  public Written write(PresenceBatch batch, boolean retried) {
    Connection connection = em.unwrap(Connection.class);
    List<PresenceEntry> removed = new ArrayList<>();
    try {
      if (!batch.departed().isEmpty()) {
        removed.addAll(
            rows(connection, ROWS_OF_CONNECTIONS, batch.departed().toArray(String[]::new)));
      }
      if (!batch.left().isEmpty()) {
        removed.addAll(
            rows(
                connection,
                ROWS_OF_SLOTS,
                batch.left().stream().map(PresenceBatch.Slot::connectionId).toArray(String[]::new),
                batch.left().stream().map(PresenceBatch.Slot::room).toArray(String[]::new)));
      }
      Set<RoomMember> touched = new HashSet<>();
      removed.forEach(entry -> touched.add(entry.member()));
      batch.joined().forEach(entry -> touched.add(entry.member()));
      Set<RoomMember> presentBefore = stillPresent(connection, touched);
      delete(connection, removed);
      insert(connection, retried, batch.joined());
      return new Written(removed, batch.joined(), presentBefore);
    } catch (SQLException e) {
      // PresenceService logs the batch's counts with it.
      throw new PersistenceException("writing a presence batch failed", e);
    }
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
    try {
      return stillPresent(em.unwrap(Connection.class), members);
    } catch (SQLException e) {
      throw new PersistenceException(
          "reading which of " + members.size() + " (room, user) pairs are present failed", e);
    }
  }

  private static Set<RoomMember> stillPresent(Connection connection, Collection<RoomMember> members)
      throws SQLException {
    Set<RoomMember> present = new HashSet<>();
    if (members.isEmpty()) {
      return present;
    }
    String[] rooms = new String[members.size()];
    String[] subjects = new String[members.size()];
    int i = 0;
    for (RoomMember member : members) {
      rooms[i] = member.room();
      subjects[i] = member.subject();
      i++;
    }
    try (PreparedStatement statement = connection.prepareStatement(STILL_PRESENT)) {
      statement.setArray(1, connection.createArrayOf("varchar", rooms));
      statement.setArray(2, connection.createArrayOf("varchar", subjects));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          present.add(new RoomMember(rows.getString(1), rows.getString(2)));
        }
      }
    }
    return present;
  }

  /** The rows a statement of {@link #ROWS_OF_CONNECTIONS}'s shape finds for the given arrays. */
  private static List<PresenceEntry> rows(Connection connection, String sql, String[]... arrays)
      throws SQLException {
    List<PresenceEntry> found = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < arrays.length; i++) {
        statement.setArray(i + 1, connection.createArrayOf("varchar", arrays[i]));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(
              new PresenceEntry(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getTimestamp(6).toInstant()));
        }
      }
    }
    return found;
  }

  private static void insert(Connection connection, boolean retried, List<PresenceEntry> entries)
      throws SQLException {
    JdbcBatch.execute(
        connection,
        retried ? INSERT_ABSENT : INSERT,
        entries,
        (statement, entry) -> {
          statement.setString(1, entry.connectionId());
          statement.setString(2, entry.room());
          statement.setString(3, entry.instanceId());
          statement.setString(4, entry.subject());
          statement.setString(5, entry.displayName());
          statement.setTimestamp(6, Timestamp.from(entry.joinedAt()));
          if (retried) {
            statement.setString(7, entry.connectionId());
            statement.setString(8, entry.room());
          }
        });
  }

  private static void delete(Connection connection, List<PresenceEntry> entries)
      throws SQLException {
    JdbcBatch.execute(
        connection,
        "DELETE FROM room_presence WHERE connection_id = ? AND room = ?",
        entries,
        (statement, entry) -> {
          statement.setString(1, entry.connectionId());
          statement.setString(2, entry.room());
        });
  }
}
