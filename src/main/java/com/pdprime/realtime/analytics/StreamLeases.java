package com.pdprime.realtime.analytics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's shared record of dashboard streams: who watches each ({@code dashboard_viewers},
 * one row per instance) and who computes it ({@code dashboard_streams}, a lease with an expiry and
 * the last published state). Each method is one transaction of its own; a CDI bean rather than an
 * EJB, so the insert that loses a race fails quietly to its caller instead of as a logged system
 * exception.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class StreamLeases {
  @PersistenceContext EntityManager em;

  /** The last state a stream published, for a snapshot without a new query. */
  public record StreamState(long version, Instant computedAt, String state) {}

  /**
   * Records how many viewers this instance has on each stream now; streams it no longer has viewers
   * on lose its row, and rows of instances silent for long are removed.
   */
  public void reportViewers(
      String instance, Map<String, Integer> viewersByRoom, Instant now, Instant forgetBefore) {
    for (Map.Entry<String, Integer> entry : viewersByRoom.entrySet()) {
      int updated =
          em.createNativeQuery(
                  "UPDATE dashboard_viewers SET viewers = ?, seen_at = ?"
                      + " WHERE room = ? AND instance_id = ?")
              .setParameter(1, entry.getValue())
              .setParameter(2, Timestamp.from(now))
              .setParameter(3, entry.getKey())
              .setParameter(4, instance)
              .executeUpdate();
      if (updated == 0) {
        // Only this instance writes rows with its id, so the insert cannot race another.
        em.createNativeQuery(
                "INSERT INTO dashboard_viewers (room, instance_id, viewers, seen_at)"
                    + " VALUES (?, ?, ?, ?)")
            .setParameter(1, entry.getKey())
            .setParameter(2, instance)
            .setParameter(3, entry.getValue())
            .setParameter(4, Timestamp.from(now))
            .executeUpdate();
      }
    }
    List<?> mine =
        em.createNativeQuery("SELECT room FROM dashboard_viewers WHERE instance_id = ?")
            .setParameter(1, instance)
            .getResultList();
    for (Object room : mine) {
      if (!viewersByRoom.containsKey((String) room)) {
        em.createNativeQuery("DELETE FROM dashboard_viewers WHERE room = ? AND instance_id = ?")
            .setParameter(1, room)
            .setParameter(2, instance)
            .executeUpdate();
      }
    }
    em.createNativeQuery("DELETE FROM dashboard_viewers WHERE seen_at < ?")
        .setParameter(1, Timestamp.from(forgetBefore))
        .executeUpdate();
  }

  /** Viewers of a stream on every instance that reported since {@code freshAfter}. */
  public long viewers(String room, Instant freshAfter) {
    Number sum =
        (Number)
            em.createNativeQuery(
                    "SELECT SUM(viewers) FROM dashboard_viewers WHERE room = ? AND seen_at > ?")
                .setParameter(1, room)
                .setParameter(2, Timestamp.from(freshAfter))
                .getSingleResult();
    return sum == null ? 0 : sum.longValue();
  }

  /**
   * Takes or extends the lease of an existing stream until {@code until}: granted if this instance
   * holds it or the holder let it expire. Returns the stream's last version when granted.
   */
  public Optional<Long> claim(String room, String instance, Instant now, Instant until) {
    int updated =
        em.createNativeQuery(
                "UPDATE dashboard_streams SET owner_instance = ?, lease_until = ?"
                    + " WHERE room = ? AND (owner_instance = ? OR lease_until < ?)")
            .setParameter(1, instance)
            .setParameter(2, Timestamp.from(until))
            .setParameter(3, room)
            .setParameter(4, instance)
            .setParameter(5, Timestamp.from(now))
            .executeUpdate();
    return updated == 1 ? Optional.of(version(room)) : Optional.empty();
  }

  /**
   * Starts a stream that never ran, leased to this instance at version 0. Throws {@code
   * PersistenceException} when another instance created it first: that one holds the lease.
   */
  public void create(String room, String instance, Instant until) {
    em.createNativeQuery(
            "INSERT INTO dashboard_streams (room, owner_instance, lease_until, version)"
                + " VALUES (?, ?, ?, 0)")
        .setParameter(1, room)
        .setParameter(2, instance)
        .setParameter(3, Timestamp.from(until))
        .executeUpdate();
  }

  /** Stores what the owner published; false if this instance no longer holds the lease. */
  public boolean store(String room, String instance, long version, Instant at, String state) {
    return em.createNativeQuery(
                "UPDATE dashboard_streams SET version = ?, computed_at = ?, state = ?"
                    + " WHERE room = ? AND owner_instance = ?")
            .setParameter(1, version)
            .setParameter(2, Timestamp.from(at))
            .setParameter(3, state)
            .setParameter(4, room)
            .setParameter(5, instance)
            .executeUpdate()
        == 1;
  }

  /**
   * Ends a stream nobody watches: the lease lapses and the state goes (it would be stale when the
   * next viewer comes), but the row and its version stay, so versions only ever grow.
   */
  public void release(String room, String instance, Instant now) {
    em.createNativeQuery(
            "UPDATE dashboard_streams SET lease_until = ?, computed_at = NULL, state = NULL"
                + " WHERE room = ? AND owner_instance = ?")
        .setParameter(1, Timestamp.from(now))
        .setParameter(2, room)
        .setParameter(3, instance)
        .executeUpdate();
  }

  public Optional<StreamState> state(String room) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT version, computed_at, state FROM dashboard_streams WHERE room = ?")
            .setParameter(1, room)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = (Object[]) rows.get(0);
    Timestamp computedAt = (Timestamp) row[1];
    return Optional.of(
        new StreamState(
            ((Number) row[0]).longValue(),
            computedAt == null ? null : computedAt.toInstant(),
            (String) row[2]));
  }

  private long version(String room) {
    return ((Number)
            em.createNativeQuery("SELECT version FROM dashboard_streams WHERE room = ?")
                .setParameter(1, room)
                .getSingleResult())
        .longValue();
  }

  public boolean exists(String room) {
    return !em.createNativeQuery("SELECT 1 FROM dashboard_streams WHERE room = ?")
        .setParameter(1, room)
        .getResultList()
        .isEmpty();
  }
}
