package com.pdprime.realtime.quotes;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.IdempotencyKeyConflict;
import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.protocol.WholeNumber;
import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Quotes over REST: create (needs {@code quote:write}), read, change a field (the same
 * compare-and-set path and audit trail as socket edits; with an {@code Idempotency-Key} a retry of
 * an applied change answers as the first, see {@link IdempotentEdits}), calculate and bind. A
 * customer reaches only their own quotes; premium amounts need {@code premium:view}.
 */
@Path("quotes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuoteResource {
  static final String SOURCE = "REST";

  /** The width of {@code customers.subject} and {@code customers.display_name}. */
  static final int MAX_CUSTOMER_TEXT = 200;

  @Inject QuoteService quotes;
  @Inject QuoteCalculations calculations;
  @Inject IdempotentEdits edits;
  @Context SecurityContext security;

  @POST
  @RequiresPermission(Permissions.QUOTE_WRITE)
  public Response create(JsonObject body) {
    Optional<String> subject = text(body, "customerSubject");
    Optional<String> name = text(body, "customerName");
    if (subject.isEmpty()) {
      return ApiError.missingField("customerSubject", "Send the token subject of the customer.");
    }
    if (name.isEmpty()) {
      return ApiError.missingField("customerName", "Send the customer's display name.");
    }
    if (subject.get().length() > MAX_CUSTOMER_TEXT) {
      return ApiError.invalidField(
          "customerSubject",
          "must be at most " + MAX_CUSTOMER_TEXT + " characters",
          "Send the token subject of the customer.");
    }
    if (name.get().length() > MAX_CUSTOMER_TEXT) {
      return ApiError.invalidField(
          "customerName",
          "must be at most " + MAX_CUSTOMER_TEXT + " characters",
          "Shorten the customer's display name.");
    }
    Quote quote = quotes.create(subject.get(), name.get(), RestCaller.required(security));
    return Response.status(201)
        .entity(
            JSON.createObjectBuilder()
                .add("id", quote.id())
                .add("customerSubject", quote.customer().subject())
                .add("status", quote.status())
                .build())
        .build();
  }

  @GET
  @Path("{id}")
  public Response read(@PathParam("id") String idText) {
    Caller caller = RestCaller.required(security);
    String id = quoteId(idText);
    try {
      return Response.ok(quotes.snapshot(id, caller)).build();
    } catch (QuoteProblem problem) {
      return refused(problem);
    }
  }

  @PUT
  @Path("{id}/fields/{path}")
  public Response change(
      @PathParam("id") String idText,
      @PathParam("path") String path,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      JsonObject body) {
    Caller caller = RestCaller.required(security);
    String id = quoteId(idText);
    if (body == null || !body.containsKey("value")) {
      return ApiError.missingField("value", "Send the new value; null clears the field.");
    }
    OptionalLong version = WholeNumber.nonNegative(body.get("version"));
    if (version.isEmpty()) {
      return ApiError.invalidField(
          "version",
          "must be the non-negative integer version you edited",
          "Read the quote for versions.");
    }
    if (idempotencyKey != null && !IdempotencyKeys.valid(idempotencyKey)) {
      return IdempotencyKeys.invalidKey();
    }
    try {
      IdempotentEdits.Change change =
          idempotencyKey == null
              ? new IdempotentEdits.Change(
                  quotes.change(id, path, body.get("value"), version.getAsLong(), caller, SOURCE),
                  false)
              : changeOnce(
                  idempotencyKey, id, path, body.get("value"), version.getAsLong(), caller);
      EditOutcome outcome = change.outcome();
      JsonObject state = outcome.state();
      if (!outcome.applied()) {
        return Response.status(409)
            .entity(
                JSON.createObjectBuilder()
                    .add("code", "EDIT_CONFLICT")
                    .add("message", path + " is at version " + outcome.version())
                    .add("action", "Show the current value, then change it again with its version.")
                    .add("details", JSON.createObjectBuilder().add("current", state))
                    .build())
            .build();
      }
      return Response.ok(state).header("Idempotent-Replayed", change.replayed()).build();
    } catch (QuoteProblem problem) {
      return refused(problem);
    } catch (IdempotencyKeyConflict conflict) {
      return IdempotencyKeys.refused(conflict);
    }
  }

  /**
   * A claim can also fail in the database while a concurrent request with the same key is still
   * running; once that request has committed, its change is the answer.
   */
  private IdempotentEdits.Change changeOnce(
      String key, String id, String path, JsonValue value, long version, Caller caller)
      throws QuoteProblem, IdempotencyKeyConflict {
    try {
      return edits.change(key, id, path, value, version, caller);
    } catch (EJBException claimFailed) {
      Optional<IdempotentEdits.Change> earlier = edits.find(key, id, path, value, version, caller);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      throw claimFailed;
    }
  }

  @POST
  @Path("{id}/calculate")
  public Response calculate(@PathParam("id") String idText) {
    Caller caller = RestCaller.required(security);
    String id = quoteId(idText);
    try {
      String calculationId = calculations.start(id, caller);
      return Response.accepted(
              JSON.createObjectBuilder().add("calculationId", calculationId).build())
          .build();
    } catch (QuoteProblem problem) {
      return refused(problem);
    }
  }

  @POST
  @Path("{id}/bind")
  public Response bind(@PathParam("id") String idText) {
    Caller caller = RestCaller.required(security);
    String id = quoteId(idText);
    try {
      quotes.bind(id, caller);
      return Response.ok(JSON.createObjectBuilder().add("id", id).add("status", "BOUND").build())
          .build();
    } catch (QuoteProblem problem) {
      return refused(problem);
    }
  }

  /**
   * The quote id as the socket reads it from a room name: a UUID in any case, lower-cased, so REST
   * and the socket find the same quote for the same id. Anything else is a 404 (through the
   * runtime's error mapper, which keeps this JSON body).
   */
  private static String quoteId(String text) {
    try {
      return RoomName.parse("quote:" + text).key();
    } catch (RoomName.InvalidRoomName notAUuid) {
      throw new WebApplicationException(
          ApiError.response(
              404,
              "NOT_FOUND",
              "no quote can have the id '"
                  + (text.length() > 64 ? text.substring(0, 64) + "…" : text)
                  + "': it is not a UUID",
              "Check the quote id."));
    }
  }

  private static Response refused(QuoteProblem problem) {
    return switch (problem.kind()) {
      case NOT_FOUND ->
          ApiError.response(404, "NOT_FOUND", problem.getMessage(), "Check the quote id.");
      case FORBIDDEN ->
          ApiError.response(
              403, "FORBIDDEN_ACTION", problem.getMessage(), "Ask for the permission named.");
      case UNKNOWN_FIELD ->
          ApiError.response(
              400, "UNKNOWN_FIELD", problem.getMessage(), "Use a path from docs/protocol.md.");
      case INVALID_VALUE ->
          ApiError.response(
              400, "INVALID_VALUE", problem.getMessage(), "Correct the value as the message says.");
      case NOT_EDITABLE ->
          ApiError.response(409, "QUOTE_NOT_EDITABLE", problem.getMessage(), "Start a new quote.");
      case NOT_QUOTED ->
          ApiError.response(
              409, "QUOTE_NOT_QUOTED", problem.getMessage(), "Calculate the premium first.");
    };
  }

  private static Optional<String> text(JsonObject body, String field) {
    return body != null && body.get(field) instanceof JsonString s && !s.getString().isBlank()
        ? Optional.of(s.getString())
        : Optional.empty();
  }
}
