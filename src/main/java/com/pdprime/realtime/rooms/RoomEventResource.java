package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.security.Permissions;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/rooms/{room}/events}: backend services publish a durable event into a room.
 * Needs {@code realtime:publish}. The answer names the event's place: {@code {room, epoch, seq}}.
 * Names the server itself publishes are refused ({@link ServerEventNames}); with an {@code
 * Idempotency-Key} a retry gets the first publish's place and stores nothing.
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
  /** Event names are short dotted words, e.g. {@code order.shipped}. */
  private static final Pattern EVENT_NAME =
      Pattern.compile("(?=.{1,100}$)[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  /** An event is fanned out to every subscriber; 64 KiB keeps one event within one client frame. */
  static final int MAX_DATA_CHARS = 64 * 1024;

  @Inject PublishService publisher;
  @Inject RoomAccessPolicy access;
  @Inject IdempotentPublishService idempotent;

  @POST
  @RequiresPermission(Permissions.REALTIME_PUBLISH)
  public Response publish(
      @PathParam("room") String roomText,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      JsonObject body,
      @Context SecurityContext security) {
    RoomName room;
    try {
      room = RoomName.parse(roomText);
    } catch (RoomName.InvalidRoomName e) {
      return ApiError.response(
          400,
          e.unknownType() ? "UNKNOWN_ROOM_TYPE" : "INVALID_ROOM",
          e.getMessage(),
          "Publish to a room of the form type:key, e.g. user:alice.");
    }
    if (access.serverOnly(room)) {
      return ApiError.response(
          403,
          "SERVER_ONLY_ROOM",
          room + " is computed by the server; nobody publishes into it",
          "Publish into a room of your own, e.g. analytics:{name} without parameters.");
    }
    if (body == null) {
      return ApiError.response(
          400, "INVALID_FRAME", "the body must be a JSON object", "Send {name, data}.");
    }
    JsonValue name = body.get("name");
    if (name == null) {
      return ApiError.missingField("name", "Name the event, e.g. order.shipped.");
    }
    if (!(name instanceof JsonString text) || !EVENT_NAME.matcher(text.getString()).matches()) {
      return ApiError.invalidField(
          "name",
          "must be dotted lower-case words, at most 100 characters",
          "Use a name like order.shipped.");
    }
    if (ServerEventNames.reserved(text.getString())) {
      return ApiError.response(
          403,
          "RESERVED_EVENT_NAME",
          "'"
              + text.getString()
              + "' is an event only the server publishes ("
              + ServerEventNames.families()
              + ")",
          "Publish under a name of your own, e.g. order.shipped; send notifications through"
              + " POST /api/v1/notifications.");
    }
    if (idempotencyKey != null && !IdempotencyKeys.valid(idempotencyKey)) {
      return IdempotencyKeys.invalidKey();
    }
    JsonValue data = body.get("data");
    if (data == null) {
      return ApiError.missingField("data", "Send the event's data as a JSON object.");
    }
    if (data.getValueType() != JsonValue.ValueType.OBJECT) {
      return ApiError.invalidField("data", "must be a JSON object", "Wrap the data in an object.");
    }
    if (data.toString().length() > MAX_DATA_CHARS) {
      return ApiError.response(
          413,
          "EVENT_TOO_LARGE",
          "data is larger than " + MAX_DATA_CHARS + " characters",
          "Publish a reference to large content instead of the content.");
    }
    String publishedBy = security.getUserPrincipal().getName();
    if (idempotencyKey == null) {
      StoredEvent event =
          publisher.publish(room, text.getString(), data.asJsonObject(), publishedBy);
      return created(new Publication(room.toString(), event.epoch(), event.seq(), false));
    }
    try {
      return created(
          publishOnce(publishedBy, idempotencyKey, room, text.getString(), data.asJsonObject()));
    } catch (IdempotencyKeyConflict conflict) {
      return IdempotencyKeys.refused(conflict);
    }
  }

  /**
   * A claim can also fail in the database while a concurrent request with the same key is still
   * running (a lock timeout, or a duplicate-key error instead of a wait); once that request has
   * committed, its event is the answer, and until then the key is in use.
   */
  private Publication publishOnce(
      String publishedBy, String key, RoomName room, String name, JsonObject data)
      throws IdempotencyKeyConflict {
    try {
      return idempotent.publish(publishedBy, key, room, name, data);
    } catch (EJBException claimFailed) {
      Optional<Publication> earlier = idempotent.find(publishedBy, key, room, name, data);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      throw claimFailed;
    }
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
