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
 * Stores a publish-queue message without an {@code IdempotencyKey} of its own once, however often
 * the broker delivers it: under the key made from its message id ({@link QueuedBatch#key}), written
 * with its places after its events, in the message's transaction.
 *
 * <p>Not the claim a sender's key makes first ({@link IdempotentBatchService}): a service may send
 * one key twice at the same time, but a broker hands a message to one consumer at a time and
 * delivers it again only after the transaction of the last delivery ended. So the key is written
 * last, in one statement, and looked up only on a delivery the broker marks as a redelivery (three
 * statements fewer a message than a claim: `ClusterIT`'s 200 single-event messages took a third
 * longer with the claim). A redelivery the broker does not mark (ActiveMQ does not keep the mark
 * across its restart unless told to) stores the events again in its transaction and then fails on
 * the key's primary key: the transaction rolls back, and the next delivery is marked.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class UnkeyedMessageStore {
  @Inject IdempotencyKeys keys;
  @Inject PublishService publisher;

  public BatchPlaces store(
      String publishedBy,
      String key,
      boolean redelivered,
      JsonObject body,
      List<PublishRequest> accepted)
      throws IdempotencyKeyConflict {
    String fingerprint = IdempotentBatchService.fingerprint(body);
    if (redelivered) {
      Optional<JsonObject> earlier = keys.find(publishedBy, key, fingerprint);
      if (earlier.isPresent()) {
        return BatchPlaces.replayed(earlier.get());
      }
    }
    BatchPlaces stored = BatchPlaces.stored(publisher.publishAll(accepted, publishedBy));
    keys.remember(publishedBy, key, fingerprint, stored.recorded());
    return stored;
  }
}
