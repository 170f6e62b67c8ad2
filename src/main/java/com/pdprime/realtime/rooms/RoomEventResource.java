package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;
import static java.util.concurrent.CompletableFuture.completedStage;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.ContainerThreadAnswers;
import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.security.Permissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/v1/rooms/{room}/events}: backend services publish a durable event into a room.
 * Needs {@code realtime:publish}. The answer names the event's place: {@code {room, epoch, seq}}.
 * Names the server itself publishes are refused ({@link ServerEventNames}); with an {@code
 * Idempotency-Key} a retry gets the first publish's place and stores nothing.
 *
 * <p>Publishes without a key are stored by the group commit ({@link PublishSequencer}) with the
 * other publishes of the moment, and answered when their group has committed: the HTTP worker is
 * free once the event is queued, and a full queue answers 503 {@code PUBLISH_QUEUE_FULL} at once.
 * Publishes with a key keep a transaction of their own, queued in the same way ({@link
 * KeyedPublisher}): the key's claim can wait on, or fail against, a concurrent request with the
 * same key, and in a shared transaction that would hold up or roll back the other publishers'
 * events. Every answer is written on a container thread ({@link ContainerThreadAnswers}).
 *
 * <p>One instance serves every request: a per-request resource made Weld build it and look its
 * injected EJB up in JNDI on every publish, about a sixth of the server's CPU samples
 * (bench/RESULTS.md).
 */
@ApplicationScoped
@Path("rooms/{room}/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoomEventResource {
  @Inject PublishSequencer sequencer;
  @Inject RoomAccessPolicy access;
  @Inject KeyedPublisher keyed;
  @Inject RealtimeMetrics metrics;

  @POST
  @RequiresPermission(Permissions.REALTIME_PUBLISH)
  public void publish(
      @PathParam("room") String roomText,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      JsonObject body,
      @Context SecurityContext security,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse answer) {
    // The group commit answers every publish it queued; a container's timeout would answer "not
    // stored" for an event that may still be stored.
    answer.setTimeout(AsyncResponse.NO_TIMEOUT, TimeUnit.MILLISECONDS);
    CompletionStage<Response> response;
    try {
      response = answer(roomText, idempotencyKey, body, security);
    } catch (RuntimeException failed) {
      answer.resume(failed);
      return;
    }
    ContainerThreadAnswers.answerWhenDone(
        request.getAsyncContext(),
        response,
        (ready, failed) -> {
          if (failed == null) {
            answer.resume(ready);
          } else {
            answer.resume(failed);
          }
        },
        "a publish to " + roomText);
  }

  /** The answer: at once, or when the event has been stored (or refused). */
  private CompletionStage<Response> answer(
      String roomText, String idempotencyKey, JsonObject body, SecurityContext security) {
    RoomName room;
    String name;
    JsonObject data;
    try {
      room = PublishChecks.room(roomText, access::serverOnly);
      if (body == null) {
        return completedStage(
            ApiError.response(
                400, "INVALID_FRAME", "the body must be a JSON object", "Send {name, data}."));
      }
      name = PublishChecks.name(body);
      if (idempotencyKey != null && !IdempotencyKeys.valid(idempotencyKey)) {
        return completedStage(IdempotencyKeys.invalidKey());
      }
      data = PublishChecks.data(body);
    } catch (PublishRefused refused) {
      return completedStage(refused.response());
    }
    String publishedBy = security.getUserPrincipal().getName();
    if (idempotencyKey == null) {
      try {
        return sequencer
            .publish(room, name, data, publishedBy)
            .handle(
                (event, failure) ->
                    failure == null
                        ? created(
                            new Publication(room.toString(), event.epoch(), event.seq(), false))
                        : refused(failure));
      } catch (PublishRefused refused) {
        return completedStage(refused(refused));
      }
    }
    try {
      return keyed
          .publish(publishedBy, idempotencyKey, room, name, data)
          .handle(
              (publication, failure) -> failure == null ? created(publication) : refused(failure));
    } catch (PublishRefused refused) {
      return completedStage(refused(refused));
    }
  }

  /**
   * A publish that was not stored is answered with its {@link PublishRefused}, or for a keyed one
   * with its {@link IdempotencyKeyConflict}; anything else is the server's fault (a 500).
   */
  private Response refused(Throwable failure) {
    if (failure instanceof IdempotencyKeyConflict conflict) {
      return IdempotencyKeys.refused(conflict);
    }
    if (!(failure instanceof PublishRefused refused)) {
      throw new IllegalStateException("a single publish failed without a refusal", failure);
    }
    metrics.restRefused(refused.code());
    return refused.response();
  }

  private static Response created(Publication publication) {
    return Response.status(201)
        .header("Idempotent-Replayed", publication.replayed())
        .entity(
            JSON.createObjectBuilder()
                .add("room", publication.room())
                .add("epoch", publication.epoch())
                .add("seq", publication.seq())
                .build())
        .build();
  }
}
