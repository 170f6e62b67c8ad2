package com.pdprime.realtime.rooms;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.TransactionOutcomes;
import com.pdprime.realtime.persistence.TransactionOutcomes.Outcome;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The single-event REST path's way into history: concurrent publishes are stored together, one
 * transaction per group ({@link GroupCommit}), by one committer thread of the platform's thread
 * factory, through {@link PublishService#storeAll}: the same sequence rows, taken in room-name
 * order, and one {@link RoomEventsStored} for the group, relayed after the commit as every other
 * publish is. A commit that throws is checked with the database ({@link TransactionOutcomes}): a
 * group it committed, whose answer alone was lost, is answered and relayed as stored, never stored
 * a second time.
 *
 * <p>A publisher does not wait on a thread of its own: {@link #publish} queues the event and
 * returns, and the stage completes on the committer's thread once the group is committed. So an
 * HTTP worker is free as soon as the event is queued, and the queue's bound is what limits the
 * single publishes in progress (a full queue is refused at once with {@code PUBLISH_QUEUE_FULL}).
 * What completes on the committer must only hand the answer over, never write it: the REST resource
 * has it written on a container thread ({@code api/ContainerThreadAnswers}).
 */
@ApplicationScoped
public class PublishSequencer {
  private static final Logger LOG = Logger.getLogger(PublishSequencer.class.getName());

  /** How often an idle committer looks whether it should stop. */
  private static final long IDLE_POLL_MILLIS = 100;

  /**
   * How long undeploy waits for the group in flight; a transaction's own timeout ends it before.
   */
  private static final long STOP_WAIT_MILLIS = 30_000;

  @Resource ManagedThreadFactory threads;
  @Inject PublishService publisher;
  @Inject TransactionOutcomes outcomes;
  @Inject Event<RoomEventsStored> announced;
  @Inject RealtimeMetrics metrics;

  /**
   * Test only: a group with an event for this room is stored and committed, then taken as failed,
   * as when the commit's answer is lost on the way back (docs/operations.md §5.3).
   */
  @Inject
  @ConfigProperty(name = "realtime.publish.group.lose-commit-answer-for-test")
  Optional<String> loseCommitAnswerOf;

  @Inject
  @ConfigProperty(name = "realtime.publish.group.queue-capacity")
  int queueCapacity;

  @Inject
  @ConfigProperty(name = "realtime.publish.group.max-size")
  int maxGroup;

  @Inject
  @ConfigProperty(name = "realtime.publish.group.linger-micros")
  long lingerMicros;

  private GroupCommit groups;
  private Thread committer;
  private volatile boolean running;

  @PostConstruct
  void start() {
    loseCommitAnswerOf.ifPresent(
        room ->
            LOG.severe(
                "realtime.publish.group.lose-commit-answer-for-test="
                    + room
                    + ": TEST ONLY, every commit of a publish to that room is taken as failed"
                    + " once carried out; never set it in production"));
    groups =
        new GroupCommit(
            queueCapacity,
            maxGroup,
            Duration.ofNanos(lingerMicros * 1_000),
            GroupCommit.Clock.SYSTEM,
            new Transactions(),
            metrics::publishGroupSize,
            metrics::publishGroupRetried);
    metrics.publishQueueGauge(groups::depth);
    running = true;
    committer = threads.newThread(this::commitGroups);
    committer.setName("realtime-publish-committer");
    committer.start();
  }

  /**
   * Refuses new publishes, answers the queued ones {@code SERVER_STOPPING}, and lets the group in
   * flight finish, so that no publisher is left waiting.
   */
  @PreDestroy
  void stop() {
    groups.stop();
    running = false;
    try {
      committer.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (committer.isAlive()) {
      LOG.warning("the publish committer is still storing a group after undeploy began");
    }
  }

  /**
   * Queues the event to be stored with the next seq of its room. The stage completes on the
   * committer's thread once the event is committed, or with the {@link PublishRefused} that says
   * why it was not stored; a full queue or a stopping instance is refused here, at once.
   */
  public CompletionStage<StoredEvent> publish(
      RoomName room, String name, JsonObject data, String publishedBy) throws PublishRefused {
    return groups.submit(new AuthoredEvent(new PublishRequest(room, name, data), publishedBy));
  }

  /**
   * A group is announced (relayed) once it is known to be committed: after {@link
   * PublishService#storeAll} returns, outside its transaction, or once the database says a commit
   * that threw was carried out.
   */
  private final class Transactions implements GroupCommit.Transactions {
    @Override
    public List<StoredEvent> store(List<AuthoredEvent> events, GroupTransaction noted) {
      List<StoredEvent> stored = publisher.storeAll(events, noted);
      if (loseCommitAnswerOf.isPresent()
          && events.stream()
              .anyMatch(e -> e.event().room().toString().equals(loseCommitAnswerOf.get()))) {
        throw new IllegalStateException(
            "the commit's answer is taken as lost (realtime.publish.group.lose-commit-answer-for-test)");
      }
      announced.fire(new RoomEventsStored(stored));
      return stored;
    }

    @Override
    public Optional<List<StoredEvent>> committedAfterAll(GroupTransaction noted)
        throws OutcomeUnknown, InterruptedException {
      if (noted.id().isEmpty()) {
        return Optional.empty();
      }
      Outcome outcome;
      try {
        outcome = outcomes.outcomeOf(noted.id().getAsLong());
      } catch (OutcomeUnknown unknown) {
        metrics.publishCommitOutcome("unknown");
        throw unknown;
      }
      metrics.publishCommitOutcome(outcome.name().toLowerCase(Locale.ROOT));
      if (outcome == Outcome.ROLLED_BACK) {
        return Optional.empty();
      }
      announced.fire(new RoomEventsStored(noted.stored()));
      return Optional.of(noted.stored());
    }
  }

  private void commitGroups() {
    try {
      while (running) {
        try {
          groups.commitNext(IDLE_POLL_MILLIS);
        } catch (RuntimeException e) {
          // GroupCommit answers every waiter itself; this keeps the committer alive for the next.
          LOG.log(Level.SEVERE, "the publish committer failed outside a group's transaction", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (running) {
        // Interrupted by the platform, or an Error: without a committer a queued publish would
        // wait forever, so the queued ones and every later one are refused instead.
        LOG.severe("the publish committer ended before undeploy; single publishes are refused");
        groups.stop();
      }
    }
  }
}
