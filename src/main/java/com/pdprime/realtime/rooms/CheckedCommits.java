package com.pdprime.realtime.rooms;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.TransactionOutcomes;
import com.pdprime.realtime.persistence.TransactionOutcomes.Outcome;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Events of many publishers stored in one transaction and announced (relayed) once they are known
 * to be committed: the group commit's ({@link PublishSequencer}) and the batch API's way into
 * history, and a keyed publish's check of its commit ({@link KeyedPublisher}).
 *
 * <p>A commit that throws is not taken for a rollback: PostgreSQL may have committed and lost only
 * its answer (the connection broke between the two), and storing the events again would put them in
 * their rooms twice. The transaction notes its id and its events ({@link GroupTransaction}); when
 * the commit throws, the database is asked how it ended ({@link TransactionOutcomes}). Committed:
 * the events are announced and returned as stored. Rolled back, or no id (H2, or a failure before
 * the first statement): the failure is thrown, nothing was stored. The database cannot say: {@link
 * OutcomeUnknown}, nothing announced.
 *
 * <p>Called outside any transaction (the committer's thread, a REST request): the transaction is
 * {@link PublishService#storeAll}'s own, so its commit is over when the call returns or throws.
 */
@ApplicationScoped
public class CheckedCommits {
  private static final Logger LOG = Logger.getLogger(CheckedCommits.class.getName());

  @Inject PublishService publisher;
  @Inject TransactionOutcomes outcomes;
  @Inject Event<RoomEventsStored> announced;
  @Inject RealtimeMetrics metrics;
  @Inject CommitAnswerLossForTest answerLoss;

  /**
   * The events as stored, in the given order, announced. Throws the commit's failure if the
   * database rolled the transaction back, {@link OutcomeUnknown} if it cannot say how it ended.
   */
  public List<StoredEvent> store(List<AuthoredEvent> events)
      throws OutcomeUnknown, InterruptedException {
    GroupTransaction noted = new GroupTransaction();
    try {
      List<StoredEvent> stored = publisher.storeAll(events, noted);
      answerLoss.afterCommitOf(stored);
      announced.fire(new RoomEventsStored(stored));
      return stored;
    } catch (RuntimeException failed) {
      return carriedOut(noted, failed).orElseThrow(() -> failed);
    }
  }

  /**
   * After a transaction threw: the events it noted, announced, if the database carried its commit
   * out; empty if it rolled back, or stored nothing, or has no id (H2, or a failure before its
   * first statement). Throws {@link OutcomeUnknown} if the database cannot say how it ended.
   */
  Optional<List<StoredEvent>> carriedOut(GroupTransaction noted, RuntimeException failed)
      throws OutcomeUnknown, InterruptedException {
    if (noted.id().isEmpty() || noted.stored().isEmpty()) {
      return Optional.empty();
    }
    Outcome outcome;
    try {
      outcome = outcomes.outcomeOf(noted.id().getAsLong());
    } catch (OutcomeUnknown unknown) {
      metrics.publishCommitOutcome("unknown");
      unknown.addSuppressed(failed);
      throw unknown;
    }
    metrics.publishCommitOutcome(outcome.name().toLowerCase(Locale.ROOT));
    if (outcome == Outcome.ROLLED_BACK) {
      return Optional.empty();
    }
    LOG.log(
        Level.WARNING,
        "a commit of {0} events threw ({1}), and the database had carried it out: answered as"
            + " stored, not stored again",
        new Object[] {noted.stored().size(), failed.toString()});
    announced.fire(new RoomEventsStored(noted.stored()));
    return Optional.of(noted.stored());
  }
}
