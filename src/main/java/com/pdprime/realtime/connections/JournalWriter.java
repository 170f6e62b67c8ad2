package com.pdprime.realtime.connections;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Writes a batch of journal entries in one transaction: the new rows through JPA, then the activity
 * and the closes as JDBC batches of one statement per connection.
 *
 * <p>Why not JPA for the updates: a bulk JPQL update is also applied to every row the persistence
 * context holds, and a storm's batch holds its 10,000 new rows, so each activity update of 500 ids
 * compared them all (a fifth of the server's CPU in a storm, bench/RESULTS.md, "Third stop of
 * 2026-12-04"); and a close found its row with a query of its own, 10,000 of them per storm.
 */
@Stateless
public class JournalWriter {
  private static final Logger LOG = Logger.getLogger(JournalWriter.class.getName());

  @PersistenceContext EntityManager em;

  public void write(List<JournalEntry> batch) {
    List<ConnectionsActive> activity = new ArrayList<>();
    List<ConnectionClosed> closes = new ArrayList<>();
    for (JournalEntry entry : batch) {
      if (entry instanceof ConnectionOpened opened) {
        em.persist(new WebSocketConnection(opened));
      } else if (entry instanceof ConnectionClosed closed) {
        closes.add(closed);
      } else if (entry instanceof ConnectionsActive active) {
        activity.add(active);
      }
    }
    em.flush();
    Connection connection = em.unwrap(Connection.class);
    // Activity before closes gives the rows the recording order would: a close sets the last
    // activity itself, and activity recorded after a close matches no open row either way.
    touch(connection, activity);
    close(connection, closes);
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

  private static void touch(Connection connection, List<ConnectionsActive> activity) {
    if (activity.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE websocket_connections SET last_activity_at = ?"
                + " WHERE id = ? AND state <> 'CLOSED'")) {
      for (ConnectionsActive active : activity) {
        Timestamp at = Timestamp.from(active.at());
        for (String id : active.connectionIds()) {
          update.setTimestamp(1, at);
          update.setString(2, id);
          update.addBatch();
        }
      }
      update.executeBatch();
    } catch (SQLException e) {
      throw new PersistenceException("recording the activity of connections failed", e);
    }
  }

  private static void close(Connection connection, List<ConnectionClosed> closes) {
    if (closes.isEmpty()) {
      return;
    }
    int[] updated;
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE websocket_connections SET state = 'CLOSED', disconnected_at = ?,"
                + " last_activity_at = ?, close_code = ?, close_reason = ? WHERE id = ?")) {
      for (ConnectionClosed closed : closes) {
        Timestamp at = Timestamp.from(closed.at());
        update.setTimestamp(1, at);
        update.setTimestamp(2, at);
        update.setInt(3, closed.code());
        update.setString(
            4,
            WebSocketConnection.truncate(closed.reason(), WebSocketConnection.CLOSE_REASON_LENGTH));
        update.setString(5, closed.connectionId());
        update.addBatch();
      }
      updated = update.executeBatch();
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
