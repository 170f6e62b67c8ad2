package com.pdprime.realtime.api;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code Idempotency-Key}s of writes (REST publishes, batches and quote edits, and publish-queue
 * messages with an {@code IdempotencyKey}), in {@code idempotency_keys}; also the keys
 * publish-queue messages without one are stored once under ({@link #remember}). A write claims its
 * key in the transaction that makes it, before it changes anything, and records its result there
 * before commit: the key and the write commit together or not at all. A concurrent retry's claim
 * waits on the key's primary key until the first commits, then finds the key taken and gets the
 * recorded result; it changes nothing.
 */
@Stateless
public class IdempotencyKeys {
  /**
   * A client's retry key: printable ASCII without spaces, as UUIDs and ULIDs are; 200 characters is
   * the column's width and several times any generated id.
   */
  public static final int MAX_LENGTH = 200;

  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1," + MAX_LENGTH + "}");

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "realtime.rest.idempotency-window-seconds")
  long windowSeconds;

  /**
   * Claims {@code key} for {@code caller} in the caller's transaction. Empty: claimed, the write
   * goes ahead and must {@link #record} its result. Otherwise the result of the earlier write.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public Optional<JsonObject> claim(String caller, String key, String fingerprint)
      throws IdempotencyKeyConflict {
    Instant now = Instant.now();
    // A key past the window is forgotten even before the pruner deletes it.
    em.createNativeQuery(
            "DELETE FROM idempotency_keys WHERE caller = ? AND idempotency_key = ? AND created_at < ?")
        .setParameter(1, caller)
        .setParameter(2, key)
        .setParameter(3, Timestamp.from(now.minusSeconds(windowSeconds)))
        .executeUpdate();
    int claimed =
        em.createNativeQuery(
                "INSERT INTO idempotency_keys (caller, idempotency_key, request_hash, created_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .setParameter(1, caller)
            .setParameter(2, key)
            .setParameter(3, fingerprint)
            .setParameter(4, Timestamp.from(now))
            .executeUpdate();
    if (claimed == 1) {
      return Optional.empty();
    }
    return Optional.of(
        earlier(caller, key, fingerprint)
            .orElseThrow(
                () ->
                    new IdempotencyKeyConflict(true, "a request with this key is still running")));
  }

  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void record(String caller, String key, JsonObject result) {
    em.createNativeQuery(
            "UPDATE idempotency_keys SET result = ? WHERE caller = ? AND idempotency_key = ?")
        .setParameter(1, result.toString())
        .setParameter(2, caller)
        .setParameter(3, key)
        .executeUpdate();
  }

  /**
   * Writes {@code key} with its result at once, in the caller's transaction, for a write no other
   * can make at the same time (a broker's delivery of one queue message): a key already there fails
   * the statement on the primary key, and with it the transaction.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void remember(String caller, String key, String fingerprint, JsonObject result) {
    em.createNativeQuery(
            "INSERT INTO idempotency_keys (caller, idempotency_key, request_hash, result,"
                + " created_at) VALUES (?, ?, ?, ?, ?)")
        .setParameter(1, caller)
        .setParameter(2, key)
        .setParameter(3, fingerprint)
        .setParameter(4, result.toString())
        .setParameter(5, Timestamp.from(Instant.now()))
        .executeUpdate();
  }

  /**
   * The committed result of this key, if any: for a retry whose claim failed in the database rather
   * than finding the key (a lock timeout, or a duplicate-key error instead of a wait).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Optional<JsonObject> find(String caller, String key, String fingerprint)
      throws IdempotencyKeyConflict {
    return earlier(caller, key, fingerprint);
  }

  /** Deletes keys older than the window; a retry after that is a new write. */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public int pruneExpired() {
    return em.createNativeQuery("DELETE FROM idempotency_keys WHERE created_at < ?")
        .setParameter(1, Timestamp.from(Instant.now().minusSeconds(windowSeconds)))
        .executeUpdate();
  }

  private Optional<JsonObject> earlier(String caller, String key, String fingerprint)
      throws IdempotencyKeyConflict {
    List<?> rows =
        em.createNativeQuery(
                "SELECT request_hash, result FROM idempotency_keys"
                    + " WHERE caller = ? AND idempotency_key = ?")
            .setParameter(1, caller)
            .setParameter(2, key)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = (Object[]) rows.get(0);
    if (!fingerprint.equals(row[0])) {
      throw new IdempotencyKeyConflict(
          false, "this Idempotency-Key was used for a different request");
    }
    if (row[1] == null) {
      throw new IdempotencyKeyConflict(true, "a request with this key is still running");
    }
    try (var reader = JSON.createReader(new StringReader((String) row[1]))) {
      return Optional.of(reader.readObject());
    }
  }

  /** What a request is: its parts, hashed (SHA-256, hex), so a reused key can be told apart. */
  public static String fingerprint(String... parts) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Whether a header value is usable as a key; {@link #invalidKey} is the answer when it is not.
   */
  public static boolean valid(String key) {
    return KEY.matcher(key).matches();
  }

  public static Response invalidKey() {
    return ApiError.response(
        400,
        "INVALID_HEADER",
        "header 'Idempotency-Key' must be 1 to 200 printable ASCII characters without spaces",
        "Send a fresh UUID per request as the Idempotency-Key, and the same one on its retries.");
  }

  public static Response refused(IdempotencyKeyConflict conflict) {
    return conflict.inUse()
        ? ApiError.response(
            409,
            "IDEMPOTENCY_KEY_IN_USE",
            conflict.getMessage(),
            "Retry the same request with the same key in a moment.")
        : ApiError.response(
            422,
            "IDEMPOTENCY_KEY_REUSED",
            conflict.getMessage(),
            "Use a new Idempotency-Key for a different request.");
  }
}
