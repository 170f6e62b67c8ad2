package com.pdprime.realtime.rooms;

import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import com.pdprime.realtime.security.Permissions;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/v1/events}: backend services publish events for many rooms in one request. Each
 * event is checked as a single publish is ({@link RoomEventResource}); the events that pass are
 * stored in one transaction and announced, each answered with its place {@code {room, epoch, seq}}
 * and each refused one with its own error, in request order. Needs {@code realtime:publish}. With
 * an {@code Idempotency-Key} the batch is stored at most once ({@link KeyedBatchStore}): sent again
 * with its key, it is answered with the first one's places and {@code Idempotent-Replayed: true}.
 *
 * <p>At most {@code realtime.publish.batch.max-in-progress} batches are stored at once; the next is
 * answered at once with 503 {@code SERVER_BUSY} and {@code Retry-After}, so a backlog the database
 * cannot absorb is refused instead of waiting, unanswered, in the container's worker queue.
 */
@ApplicationScoped
@Path("events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventBatchResource {
  private static final Logger LOG = Logger.getLogger(EventBatchResource.class.getName());

  @Inject CheckedCommits commits;
  @Inject KeyedBatchStore keyed;
  @Inject RoomAccessPolicy access;
  @Inject RealtimeMetrics metrics;

  @Inject
  @ConfigProperty(name = "realtime.publish.batch.max-in-progress")
  int maxInProgress;

  private Semaphore inProgress;

  @PostConstruct
  void bound() {
    inProgress = new Semaphore(maxInProgress);
  }

  @POST
  @RequiresPermission(Permissions.REALTIME_PUBLISH)
  public Response publish(
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      JsonObject body,
      @Context SecurityContext security) {
    if (idempotencyKey != null && !IdempotencyKeys.valid(idempotencyKey)) {
      return IdempotencyKeys.invalidKey();
    }
    if (!inProgress.tryAcquire()) {
      PublishRefused busy = EventBatch.busy(maxInProgress);
      metrics.restRefused(busy.code());
      return busy.response();
    }
    try {
      return store(idempotencyKey, body, security);
    } finally {
      inProgress.release();
    }
  }

  private Response store(String key, JsonObject body, SecurityContext security) {
    List<EventBatch.Entry> entries;
    try {
      entries = EventBatch.read(body, access::serverOnly);
    } catch (PublishRefused refused) {
      return refused.response();
    }
    String publishedBy = security.getUserPrincipal().getName();
    BatchAnswer answer;
    try {
      answer =
          key == null
              ? answer(
                  entries,
                  accepted ->
                      BatchPlaces.stored(
                          commits.store(
                              accepted.stream()
                                  .map(r -> new AuthoredEvent(r, publishedBy))
                                  .toList())),
                  false)
              : answer(entries, accepted -> keyed.store(publishedBy, key, body, accepted), true);
    } catch (IdempotencyKeyConflict conflict) {
      return IdempotencyKeys.refused(conflict);
    }
    Response.ResponseBuilder ok = Response.ok(answer.body());
    return key == null ? ok.build() : ok.header("Idempotent-Replayed", answer.replayed()).build();
  }

  /** How a batch's valid events reach history ({@link CheckedCommits}, {@link KeyedBatchStore}). */
  interface Store {
    BatchPlaces store(List<PublishRequest> accepted)
        throws OutcomeUnknown, InterruptedException, IdempotencyKeyConflict;
  }

  /**
   * The answer to a batch: each event's place or error in request order, and the counts. {@code
   * store} stores the accepted events in one transaction; when the database rolled it back, or
   * cannot say whether it committed, every accepted event is answered with the same error. {@code
   * keyed}: the batch carries an {@code Idempotency-Key}, so sending it again is safe.
   */
  static BatchAnswer answer(List<EventBatch.Entry> entries, Store store, boolean keyed)
      throws IdempotencyKeyConflict {
    List<PublishRequest> accepted = EventBatch.accepted(entries);
    if (accepted.isEmpty()) {
      return new BatchAnswer(EventBatch.answer(entries, List.of()), false);
    }
    try {
      BatchPlaces places = store.store(accepted);
      return new BatchAnswer(EventBatch.answer(entries, places.places()), places.replayed());
    } catch (OutcomeUnknown unknown) {
      return outcomeUnknown(entries, accepted.size(), keyed, unknown);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return outcomeUnknown(entries, accepted.size(), keyed, interrupted);
    } catch (EJBException failed) {
      LOG.log(Level.WARNING, "a batch of " + accepted.size() + " events was not stored", failed);
      JsonObject notStored =
          EventBatch.refusal(
              new PublishRefused(
                  503,
                  "BATCH_NOT_STORED",
                  "the transaction storing this batch's valid events failed and was rolled back:"
                      + " none of them was stored",
                  "Publish these events again; if it persists, report the time and the request."));
      return new BatchAnswer(
          EventBatch.answer(entries, Collections.nCopies(accepted.size(), notStored)), false);
    }
  }

  private static BatchAnswer outcomeUnknown(
      List<EventBatch.Entry> entries, int accepted, boolean keyed, Exception why) {
    LOG.log(
        Level.SEVERE,
        "the commit of a batch of "
            + accepted
            + " events failed and whether it stored them is unknown; answered"
            + " BATCH_OUTCOME_UNKNOWN",
        why);
    JsonObject unknown =
        EventBatch.refusal(
            new PublishRefused(
                503,
                "BATCH_OUTCOME_UNKNOWN",
                "the commit storing this batch's valid events failed on the way back and the"
                    + " database could not say whether it was carried out",
                keyed
                    ? "Send the same batch again with the same Idempotency-Key: events already"
                        + " stored are answered with their places, events that were not are stored"
                        + " once."
                    : "These events may be in their rooms already, and publishing them again may"
                        + " store them twice; send a batch with an Idempotency-Key where a retry"
                        + " must store once."));
    return new BatchAnswer(
        EventBatch.answer(entries, Collections.nCopies(accepted, unknown)), false);
  }
}
