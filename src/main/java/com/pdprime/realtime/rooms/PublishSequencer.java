package com.pdprime.realtime.rooms;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The single-event REST path's way into history: concurrent publishes are stored together, one
 * transaction per group ({@link GroupCommit}), by one committer thread of the platform's thread
 * factory, through {@link CheckedCommits}: the same sequence rows, taken in room-name order, and
 * one {@link RoomEventsStored} for the group, relayed after the commit as every other publish is; a
 * group whose commit threw after the database carried it out is answered as stored, not stored
 * again.
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
  @Inject CheckedCommits commits;
  @Inject RealtimeMetrics metrics;

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
    groups =
        new GroupCommit(
            queueCapacity,
            maxGroup,
            Duration.ofNanos(lingerMicros * 1_000),
            GroupCommit.Clock.SYSTEM,
            commits::store,
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
