package com.pdprime.realtime.connections;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/** Writes a batch of journal entries in one transaction. */
@Stateless
public class JournalWriter {
  private static final Logger LOG = Logger.getLogger(JournalWriter.class.getName());

  /** Bounds the IN list of one activity update; well under every database's parameter limit. */
  private static final int ACTIVITY_CHUNK = 500;

  @PersistenceContext EntityManager em;

  public void write(List<JournalEntry> batch) {
    for (JournalEntry entry : batch) {
      if (entry instanceof ConnectionOpened opened) {
        em.persist(new WebSocketConnection(opened));
      } else if (entry instanceof ConnectionClosed closed) {
        close(closed);
      } else if (entry instanceof ConnectionsActive active) {
        touch(active.connectionIds(), active.at());
      }
    }
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

  private void close(ConnectionClosed closed) {
    WebSocketConnection row = em.find(WebSocketConnection.class, closed.connectionId());
    if (row == null) {
      LOG.warning(
          "conn="
              + closed.connectionId()
              + " closed but its row was never written (an earlier journal batch failed)");
      return;
    }
    row.close(closed);
  }

  private void touch(List<String> ids, Instant at) {
    for (int from = 0; from < ids.size(); from += ACTIVITY_CHUNK) {
      em.createQuery(
              "UPDATE WebSocketConnection c SET c.lastActivityAt = :at"
                  + " WHERE c.id IN :ids AND c.state <> 'CLOSED'")
          .setParameter("at", at)
          .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + ACTIVITY_CHUNK)))
          .executeUpdate();
    }
  }
}
