package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes with an {@code Idempotency-Key}, each in a transaction of its own ({@link
 * IdempotentPublishService}), on a few threads of their own instead of the HTTP worker that read
 * them. A keyed publish waits in a bounded queue without holding a thread, so while the database
 * stalls it is this queue that fills, not the container's workers (which the sockets' frames and
 * handshakes also need), and the next keyed publish is refused at once with {@code
 * PUBLISH_QUEUE_FULL}: nothing stored, the key not claimed, so the same request may be retried.
 *
 * <p>A transaction that throws is checked as a group commit's is ({@link CheckedCommits}): one the
 * database carried out is answered with its place as the first publish (not a replay) and announced
 * at once; one it rolled back is looked up by its key, which a concurrent request with the same key
 * may have stored, and otherwise answered {@code PUBLISH_NOT_STORED}; one whose outcome the
 * database cannot say is answered {@code PUBLISH_OUTCOME_UNKNOWN}, and a retry with the key stores
 * it at most once.
 */
@ApplicationScoped
public class KeyedPublisher {
  private static final Logger LOG = Logger.getLogger(KeyedPublisher.class.getName());

  /** How long undeploy lets the queued keyed publishes be stored; each has its own transaction. */
  private static final long STOP_WAIT_MILLIS = 30_000;

  @Resource ManagedThreadFactory threads;
  @Inject IdempotentPublishService idempotent;
  @Inject CheckedCommits commits;
  @Inject Event<RoomEventsStored> announced;
  @Inject RealtimeMetrics metrics;
  @Inject CommitAnswerLossForTest answerLoss;

  @Inject
  @ConfigProperty(name = "realtime.publish.keyed.threads")
  int threadCount;

  @Inject
  @ConfigProperty(name = "realtime.publish.keyed.queue-capacity")
  int queueCapacity;

  private ThreadPoolExecutor publishers;

  @PostConstruct
  void start() {
    publishers =
        new ThreadPoolExecutor(
            threadCount,
            threadCount,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            threads);
    metrics.keyedPublishQueueGauge(() -> publishers.getQueue().size());
  }

  /**
   * Refuses new keyed publishes and lets the queued ones be stored; those still queued when the
   * wait ends are answered {@code SERVER_STOPPING}, so that no publisher is left waiting.
   */
  @PreDestroy
  void stop() {
    publishers.shutdown();
    try {
      if (publishers.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warning("keyed publishes were still being stored after undeploy began");
    for (Runnable left : publishers.shutdownNow()) {
      ((KeyedPublish) left).answer.completeExceptionally(GroupCommit.stopping());
    }
  }

  /**
   * Queues the publish; the stage completes with its {@link Publication} (the first publish's place
   * for a retry), or with an {@link IdempotencyKeyConflict} or a {@link PublishRefused}. A full
   * queue or a stopping instance is refused here, at once.
   */
  public CompletionStage<Publication> publish(
      String publishedBy, String key, RoomName room, String name, JsonObject data)
      throws PublishRefused {
    KeyedPublish publish = new KeyedPublish(publishedBy, key, room, name, data);
    try {
      publishers.execute(publish);
    } catch (RejectedExecutionException refused) {
      throw publishers.isShutdown() ? GroupCommit.stopping() : GroupCommit.queueFull(queueCapacity);
    }
    return publish.answer;
  }

  /** One keyed publish and its answer. */
  private final class KeyedPublish implements Runnable {
    private final String publishedBy;
    private final String key;
    private final RoomName room;
    private final String name;
    private final JsonObject data;
    private final CompletableFuture<Publication> answer = new CompletableFuture<>();

    KeyedPublish(String publishedBy, String key, RoomName room, String name, JsonObject data) {
      this.publishedBy = publishedBy;
      this.key = key;
      this.room = room;
      this.name = name;
      this.data = data;
    }

    @Override
    public void run() {
      try {
        answer.complete(publishOnce());
      } catch (IdempotencyKeyConflict | PublishRefused | RuntimeException failed) {
        answer.completeExceptionally(failed);
      } catch (OutcomeUnknown unknown) {
        LOG.log(
            Level.SEVERE,
            "a keyed publish to "
                + room
                + " failed on commit and the database cannot say whether it stored it; answered"
                + " PUBLISH_OUTCOME_UNKNOWN",
            unknown);
        answer.completeExceptionally(outcomeUnknown());
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        LOG.warning(
            "a keyed publish to "
                + room
                + " failed on commit and the instance stopped while asking the database how it"
                + " ended; answered PUBLISH_OUTCOME_UNKNOWN");
        answer.completeExceptionally(outcomeUnknown());
      } finally {
        // Whatever escaped (an Error), the publisher is not left waiting.
        answer.completeExceptionally(GroupCommit.notStored());
      }
    }

    /**
     * A claim can also fail in the database while a concurrent request with the same key is still
     * running (a lock timeout, or a duplicate-key error instead of a wait); once that request has
     * committed, its event is the answer, and until then the key is in use.
     */
    private Publication publishOnce()
        throws IdempotencyKeyConflict, PublishRefused, OutcomeUnknown, InterruptedException {
      GroupTransaction noted = new GroupTransaction();
      try {
        Publication published = idempotent.publish(publishedBy, key, room, name, data, noted);
        answerLoss.afterCommitOf(noted.stored());
        if (!noted.stored().isEmpty()) {
          announced.fire(new RoomEventsStored(noted.stored()));
        }
        return published;
      } catch (EJBException failed) {
        Optional<List<StoredEvent>> committed = commits.carriedOut(noted, failed);
        if (committed.isPresent()) {
          StoredEvent first = committed.get().get(0);
          return new Publication(room.toString(), first.epoch(), first.seq(), false);
        }
        Optional<Publication> earlier = earlier(failed);
        if (earlier.isPresent()) {
          return earlier.get();
        }
        LOG.log(Level.WARNING, "a keyed publish to " + room + " was not stored", failed);
        throw GroupCommit.notStored();
      }
    }

    /**
     * The publish a concurrent request with the same key stored, if any. This one's transaction
     * stored nothing, so a lookup that fails too (the database is gone) leaves it not stored.
     */
    private Optional<Publication> earlier(EJBException failed) throws IdempotencyKeyConflict {
      try {
        return idempotent.find(publishedBy, key, room, name, data);
      } catch (EJBException lookupFailed) {
        failed.addSuppressed(lookupFailed);
        return Optional.empty();
      }
    }
  }

  /** A group's answer ({@link GroupCommit#outcomeUnknown()}), with the retry a key makes safe. */
  private static PublishRefused outcomeUnknown() {
    return GroupCommit.outcomeUnknown(
        "Publish it again with the same Idempotency-Key: an event already stored is answered with"
            + " its place, one that was not is stored once.");
  }
}
