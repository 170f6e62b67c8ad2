package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Stores a batch with an idempotency key (the batch API's {@code Idempotency-Key} header, the
 * publish queue's {@code IdempotencyKey} property): the key is claimed in the transaction that
 * stores the batch's valid events and records their places, so a batch sent again with its key, or
 * delivered again by the broker after its events committed, gets the first one's places and stores
 * nothing. Nothing is announced here: the caller announces the noted events once it knows they
 * committed.
 */
@Stateless
public class IdempotentBatchService {
  @Inject IdempotencyKeys keys;
  @Inject PublishService publisher;

  /**
   * The first batch of the key stores its accepted events and notes them in {@code noted} (with the
   * transaction's id); a batch sent again notes nothing and gets the first one's places. Joins the
   * caller's transaction (the publish queue's message) or begins its own (a REST request).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public BatchPlaces store(
      String publishedBy,
      String key,
      JsonObject body,
      List<PublishRequest> accepted,
      GroupTransaction noted)
      throws IdempotencyKeyConflict {
    Optional<JsonObject> earlier = keys.claim(publishedBy, key, fingerprint(body));
    if (earlier.isPresent()) {
      return BatchPlaces.replayed(earlier.get());
    }
    BatchPlaces stored =
        BatchPlaces.stored(
            publisher.storeAll(
                accepted.stream().map(r -> new AuthoredEvent(r, publishedBy)).toList(), noted));
    keys.record(publishedBy, key, stored.recorded());
    return stored;
  }

  /** The committed batch of this key, if any, read in a transaction of its own. */
  public Optional<BatchPlaces> find(String publishedBy, String key, JsonObject body)
      throws IdempotencyKeyConflict {
    return keys.find(publishedBy, key, fingerprint(body)).map(BatchPlaces::replayed);
  }

  /**
   * The batch as parsed, so that the same events sent over REST and over the queue, however their
   * JSON is spaced, are one request.
   */
  static String fingerprint(JsonObject body) {
    return IdempotencyKeys.fingerprint("batch", body.toString());
  }
}
