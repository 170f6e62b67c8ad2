package com.pdprime.realtime.rooms;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes with an {@code Idempotency-Key}: the key is claimed in {@code publish_keys} in the same
 * transaction that stores the event, so the event and its key commit together or not at all. A
 * concurrent retry's claim waits on the key's primary key until the first commits and then finds
 * the key taken; it answers with the first event's place and stores nothing.
 */
@Stateless
public class IdempotentPublishService {
  @PersistenceContext EntityManager em;
  @Inject PublishService publisher;

  @Inject
  @ConfigProperty(name = "realtime.rest.idempotency-window-seconds")
  long windowSeconds;

  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public Publication publish(
      String publishedBy, String key, RoomName room, String name, JsonObject data)
      throws IdempotencyKeyConflict {
    String hash = fingerprint(room, name, data);
    Instant now = Instant.now();
    // A key past the window is forgotten even before the pruner deletes it.
    em.createNativeQuery(
            "DELETE FROM publish_keys WHERE publisher = ? AND idempotency_key = ? AND created_at < ?")
        .setParameter(1, publishedBy)
        .setParameter(2, key)
        .setParameter(3, Timestamp.from(now.minusSeconds(windowSeconds)))
        .executeUpdate();
    int claimed =
        em.createNativeQuery(
                "INSERT INTO publish_keys (publisher, idempotency_key, request_hash, room, created_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .setParameter(1, publishedBy)
            .setParameter(2, key)
            .setParameter(3, hash)
            .setParameter(4, room.toString())
            .setParameter(5, Timestamp.from(now))
            .executeUpdate();
    if (claimed == 0) {
      return earlier(publishedBy, key, hash)
          .orElseThrow(
              () -> new IdempotencyKeyConflict(true, "a request with this key is still running"));
    }
    StoredEvent event = publisher.publish(room, name, data, publishedBy);
    em.createNativeQuery(
            "UPDATE publish_keys SET epoch = ?, seq = ? WHERE publisher = ? AND idempotency_key = ?")
        .setParameter(1, event.epoch())
        .setParameter(2, event.seq())
        .setParameter(3, publishedBy)
        .setParameter(4, key)
        .executeUpdate();
    return new Publication(room.toString(), event.epoch(), event.seq(), false);
  }

  /**
   * The committed publish of this key, if any: for a retry whose claim failed in the database
   * rather than finding the key (a lock timeout while the first request was still running).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Optional<Publication> find(
      String publishedBy, String key, RoomName room, String name, JsonObject data)
      throws IdempotencyKeyConflict {
    return earlier(publishedBy, key, fingerprint(room, name, data));
  }

  /** Deletes keys older than the window; a retry after that is a new publish. */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public int pruneExpired() {
    return em.createNativeQuery("DELETE FROM publish_keys WHERE created_at < ?")
        .setParameter(1, Timestamp.from(Instant.now().minusSeconds(windowSeconds)))
        .executeUpdate();
  }

  private Optional<Publication> earlier(String publishedBy, String key, String hash)
      throws IdempotencyKeyConflict {
    List<?> rows =
        em.createNativeQuery(
                "SELECT request_hash, room, epoch, seq FROM publish_keys"
                    + " WHERE publisher = ? AND idempotency_key = ?")
            .setParameter(1, publishedBy)
            .setParameter(2, key)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = (Object[]) rows.get(0);
    if (!hash.equals(row[0])) {
      throw new IdempotencyKeyConflict(
          false, "this Idempotency-Key was used for a different room, name or data");
    }
    if (row[3] == null) {
      throw new IdempotencyKeyConflict(true, "a request with this key is still running");
    }
    return Optional.of(
        new Publication((String) row[1], (String) row[2], ((Number) row[3]).longValue(), true));
  }

  private static String fingerprint(RoomName room, String name, JsonObject data) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha256.digest((room + "\n" + name + "\n" + data).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
