package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * A REST batch with an {@code Idempotency-Key}, stored in a transaction of its own ({@link
 * IdempotentBatchService}) and checked as a keyed publish is ({@link KeyedPublisher}): a
 * transaction the database carried out although its commit threw is answered with its places (not a
 * replay) and announced; one it rolled back is looked up by its key, which a concurrent request
 * with the same key may have stored, and otherwise thrown; one whose outcome the database cannot
 * say is {@link OutcomeUnknown}, and the same batch with its key stores it at most once.
 */
@ApplicationScoped
public class KeyedBatchStore {
  @Inject IdempotentBatchService batches;
  @Inject CheckedCommits commits;
  @Inject Event<RoomEventsStored> announced;
  @Inject CommitAnswerLossForTest answerLoss;

  BatchPlaces store(String publishedBy, String key, JsonObject body, List<PublishRequest> accepted)
      throws IdempotencyKeyConflict, OutcomeUnknown, InterruptedException {
    GroupTransaction noted = new GroupTransaction();
    try {
      BatchPlaces places = batches.store(publishedBy, key, body, accepted, noted);
      answerLoss.afterCommitOf(noted.stored());
      if (!noted.stored().isEmpty()) {
        announced.fire(new RoomEventsStored(noted.stored()));
      }
      return places;
    } catch (EJBException failed) {
      Optional<List<StoredEvent>> committed = commits.carriedOut(noted, failed);
      if (committed.isPresent()) {
        return BatchPlaces.stored(committed.get());
      }
      Optional<BatchPlaces> earlier = earlier(publishedBy, key, body, failed);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      throw failed;
    }
  }

  /**
   * The batch a concurrent request with the same key stored, if any. This one's transaction stored
   * nothing, so a lookup that fails too (the database is gone) leaves it not stored.
   */
  private Optional<BatchPlaces> earlier(
      String publishedBy, String key, JsonObject body, EJBException failed)
      throws IdempotencyKeyConflict {
    try {
      return batches.find(publishedBy, key, body);
    } catch (EJBException lookupFailed) {
      failed.addSuppressed(lookupFailed);
      return Optional.empty();
    }
  }
}
