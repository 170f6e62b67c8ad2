package com.pdprime.realtime.connections;

import com.pdprime.realtime.persistence.JdbcBatch;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Writes a batch of journal entries in one transaction as three JDBC batches of one statement per
 * connection: the new rows, then the activity, then the closes ({@link JournalBatch} folds what it
 * can). Also closes out the rows of instances that ended without closing them, and deletes the rows
 * past the retention ({@link JournalPruner}).
 *
 * <p>Why not JPA: a bulk JPQL update is also applied to every row the persistence context holds,
 * and a storm's batch holds its 10,000 new rows, so each activity update of 500 ids compared them
 * all (a fifth of the server's CPU in a storm, bench/RESULTS.md, "Third stop of 2026-12-04"); a
 * close found its row with a query of its own, 10,000 of them per storm; and persisting a storm's
 * new rows registered, cloned and compared 10,000 entities nothing reads again in that transaction
 * (bench/RESULTS.md, "Third stop of 2026-12-05"). {@link WebSocketConnection} stays the rows' shape
 * for those who read them.
 */
@Stateless
public class JournalWriter {
  private static final Logger LOG = Logger.getLogger(JournalWriter.class.getName());

  private static final String COLUMNS =
      "websocket_connections (id, instance_id, subject, is_admin, ip_address, user_agent, state,"
          + " connected_at, last_activity_at)";

  private static final String INSERT =
      "INSERT INTO " + COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, 'OPEN', ?, ?)";

  /** The same row, unless its id is there: typed casts, since a select list gives no types. */
  private static final String INSERT_ABSENT =
      "INSERT INTO "
          + COLUMNS
          + " SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
          + " CAST(? AS BOOLEAN), CAST(? AS VARCHAR), CAST(? AS VARCHAR), 'OPEN',"
          + " CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP)"
          + " WHERE NOT EXISTS (SELECT 1 FROM websocket_connections WHERE id = ?)";

  @PersistenceContext EntityManager em;

  /**
   * Writes the entries in this transaction. A {@code retried} write follows a failed one that may
   * have committed and lost only its answer: it inserts only the rows that are not there. A first
   * write inserts them plainly, without the look-up a reconnect storm's 10,000 rows would pay for.
   */
  public void write(List<JournalEntry> entries, boolean retried) {
    JournalBatch batch = JournalBatch.of(entries);
    Connection connection = em.unwrap(Connection.class);
    // Opens first, so that a connection opened and closed within one batch has a row to close.
    open(connection, retried, batch.opens());
    touch(connection, batch.activity());
    close(connection, batch.closes());
  }

  /** Closes out the rows an instance left open when it died (its own at restart, or another's). */
  public int closeGhosts(String instanceId, Instant now) {
    return em.createQuery(
            "UPDATE WebSocketConnection c SET c.state = 'CLOSED', c.disconnectedAt = :now,"
                + " c.closeCode = 1006, c.closeReason = :reason"
                + " WHERE c.instanceId = :instance AND c.state <> 'CLOSED'")
        .setParameter("now", now)
        .setParameter("reason", "instance " + instanceId + " ended without closing the connection")
        .setParameter("instance", instanceId)
        .executeUpdate();
  }

  /**
   * Deletes up to {@code limit} rows of connections closed before {@code cutoff} (which ones, when
   * more qualify, is the database's choice) and returns how many it deleted. An open row is never
   * deleted, however old.
   */
  public int deleteClosedBefore(Instant cutoff, int limit) {
    try (PreparedStatement delete =
        em.unwrap(Connection.class)
            .prepareStatement(
                "DELETE FROM websocket_connections WHERE id IN (SELECT id FROM"
                    + " websocket_connections WHERE state = 'CLOSED' AND disconnected_at < ?"
                    + " LIMIT ?)")) {
      delete.setTimestamp(1, Timestamp.from(cutoff));
      delete.setInt(2, limit);
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException(
          "deleting the rows of connections closed before " + cutoff + " failed", e);
    }
  }

  private static void open(Connection connection, boolean retried, List<JournalBatch.Open> opens) {
    try {
      JdbcBatch.execute(
          connection,
          retried ? INSERT_ABSENT : INSERT,
          opens,
          (insert, open) -> {
            ConnectionOpened opened = open.opened();
            insert.setString(1, opened.connectionId());
            insert.setString(2, opened.instanceId());
            insert.setString(3, opened.subject());
            insert.setBoolean(4, opened.admin());
            insert.setString(5, opened.ipAddress());
            insert.setString(
                6,
                WebSocketConnection.truncate(
                    opened.userAgent(), WebSocketConnection.USER_AGENT_LENGTH));
            insert.setTimestamp(7, Timestamp.from(opened.at()));
            insert.setTimestamp(8, Timestamp.from(open.lastActivity()));
            if (retried) {
              insert.setString(9, opened.connectionId());
            }
          });
    } catch (SQLException e) {
      throw new PersistenceException(
          "writing the rows of " + opens.size() + " new connections failed", e);
    }
  }

  private static void touch(Connection connection, Map<String, Instant> lastActivity) {
    try {
      JdbcBatch.execute(
          connection,
          "UPDATE websocket_connections SET last_activity_at = ? WHERE id = ? AND state <> 'CLOSED'",
          lastActivity.entrySet(),
          (update, active) -> {
            update.setTimestamp(1, Timestamp.from(active.getValue()));
            update.setString(2, active.getKey());
          });
    } catch (SQLException e) {
      throw new PersistenceException("recording the activity of connections failed", e);
    }
  }

  private static void close(Connection connection, List<ConnectionClosed> closes) {
    int[] updated;
    try {
      updated =
          JdbcBatch.execute(
              connection,
              "UPDATE websocket_connections SET state = 'CLOSED', disconnected_at = ?,"
                  + " last_activity_at = ?, close_code = ?, close_reason = ? WHERE id = ?",
              closes,
              (update, closed) -> {
                Timestamp at = Timestamp.from(closed.at());
                update.setTimestamp(1, at);
                update.setTimestamp(2, at);
                update.setInt(3, closed.code());
                update.setString(
                    4,
                    WebSocketConnection.truncate(
                        closed.reason(), WebSocketConnection.CLOSE_REASON_LENGTH));
                update.setString(5, closed.connectionId());
              });
    } catch (SQLException e) {
      throw new PersistenceException(
          "closing the rows of " + closes.size() + " connections failed", e);
    }
    for (int i = 0; i < updated.length; i++) {
      if (updated[i] == 0) {
        LOG.warning(
            "conn="
                + closes.get(i).connectionId()
                + " closed but its row was never written (an earlier journal batch failed)");
      }
    }
  }
}
