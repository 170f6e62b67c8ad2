package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes with an {@code Idempotency-Key}, each in a transaction of its own ({@link
 * IdempotentPublishService}), on a few threads of their own instead of the HTTP worker that read
 * them. A keyed publish waits in a bounded queue without holding a thread, so while the database
 * stalls it is this queue that fills, not the container's workers (which the sockets' frames and
 * handshakes also need), and the next keyed publish is refused at once with {@code
 * PUBLISH_QUEUE_FULL}: nothing stored, the key not claimed, so the same request may be retried.
 */
@ApplicationScoped
public class KeyedPublisher {
  private static final Logger LOG = Logger.getLogger(KeyedPublisher.class.getName());

  /** How long undeploy lets the queued keyed publishes be stored; each has its own transaction. */
  private static final long STOP_WAIT_MILLIS = 30_000;

  @Resource ManagedThreadFactory threads;
  @Inject IdempotentPublishService idempotent;
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
      } catch (IdempotencyKeyConflict | RuntimeException failed) {
        answer.completeExceptionally(failed);
      } finally {
        // Whatever escaped (an Error), the publisher is not left waiting.
        answer.completeExceptionally(GroupCommit.notStored());
      }
    }

    /**
     * A claim can also fail in the database while a concurrent request with the same key is still
     * running (a lock timeout, or a duplicate-key error instead of a wait); once that request has
     * committed, its event is the answer, and until then the key is in use. A commit whose answer
     * was lost is found the same way: the key was stored with the event.
     */
    private Publication publishOnce() throws IdempotencyKeyConflict {
      try {
        Publication published = idempotent.publish(publishedBy, key, room, name, data);
        answerLoss.afterCommitOf(List.of(room));
        return published;
      } catch (EJBException claimFailed) {
        Optional<Publication> earlier = idempotent.find(publishedBy, key, room, name, data);
        if (earlier.isPresent()) {
          return earlier.get();
        }
        throw claimFailed;
      }
    }
  }
}
