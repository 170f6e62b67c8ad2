package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.monitoring.Alert;
import com.pdprime.realtime.monitoring.AlertProblem;
import com.pdprime.realtime.monitoring.SystemAlerts;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.ClientAddresses;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.OptionalLong;

/**
 * {@code /api/v1/admin/alerts}: the alert list (open, or all, newest first, paged) and an admin's
 * acknowledge and resolve, audited. The socket offers the same two actions ({@link
 * AlertSocketCommands}).
 */
@Path("admin/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  /** One screen of an alert list; a bigger page is refused, not cut silently. */
  static final int MAX_LIMIT = 200;

  static final int DEFAULT_LIMIT = 50;
  static final String VIA = "REST";

  @Inject SystemAlerts alerts;
  @Inject AlertActions actions;
  @Inject ClientAddresses clientAddresses;
  @Context HttpServletRequest request;
  @Context SecurityContext security;

  @GET
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response list(
      @QueryParam("state") String state,
      @QueryParam("offset") String offsetText,
      @QueryParam("limit") String limitText) {
    if (state == null) {
      return ApiError.missingField("state", "Add ?state=open or ?state=all.");
    }
    if (!state.equals("open") && !state.equals("all")) {
      return ApiError.invalidField(
          "state", "must be open or all, not '" + state + "'", "Use ?state=open or ?state=all.");
    }
    Integer offset = number(offsetText, 0, Integer.MAX_VALUE, 0);
    if (offset == null) {
      return ApiError.invalidField(
          "offset", "must be a non-negative integer", "Send offset=0 for the first page.");
    }
    Integer limit = number(limitText, 1, MAX_LIMIT, DEFAULT_LIMIT);
    if (limit == null) {
      return ApiError.invalidField(
          "limit",
          "must be an integer from 1 to " + MAX_LIMIT,
          "Ask for at most " + MAX_LIMIT + " alerts per page.");
    }
    boolean openOnly = state.equals("open");
    JsonArrayBuilder page = JSON.createArrayBuilder();
    for (Alert alert : alerts.list(openOnly, offset, limit)) {
      page.add(alert.toJson());
    }
    return Response.ok(
            JSON.createObjectBuilder()
                .add("state", state)
                .add("offset", offset)
                .add("limit", limit)
                .add("total", alerts.count(openOnly))
                .add("alerts", page)
                .build())
        .build();
  }

  @POST
  @Path("{id}/acknowledge")
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response acknowledge(@PathParam("id") String id) {
    Caller admin = RestCaller.required(security);
    String client = clientAddresses.of(request).orElse(null);
    OptionalLong alertId = alertId(id);
    if (alertId.isEmpty()) {
      AlertProblem unknown = new AlertProblem(AlertProblem.Kind.NOT_FOUND, "no alert " + id);
      actions.refused(
          admin, AlertActions.ACKNOWLEDGE, id, client, VIA + ": " + unknown.getMessage());
      return refused(unknown);
    }
    try {
      return Response.ok(actions.acknowledge(admin, alertId.getAsLong(), client, VIA).toJson())
          .build();
    } catch (AlertProblem problem) {
      return refused(problem);
    }
  }

  @POST
  @Path("{id}/resolve")
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response resolve(@PathParam("id") String id) {
    Caller admin = RestCaller.required(security);
    String client = clientAddresses.of(request).orElse(null);
    OptionalLong alertId = alertId(id);
    if (alertId.isEmpty()) {
      AlertProblem unknown = new AlertProblem(AlertProblem.Kind.NOT_FOUND, "no alert " + id);
      actions.refused(admin, AlertActions.RESOLVE, id, client, VIA + ": " + unknown.getMessage());
      return refused(unknown);
    }
    try {
      return Response.ok(actions.resolve(admin, alertId.getAsLong(), client, VIA).toJson()).build();
    } catch (AlertProblem problem) {
      return refused(problem);
    }
  }

  /** An id that is not a positive number names no alert: 404, as for an unknown one. */
  private static OptionalLong alertId(String text) {
    try {
      long id = Long.parseLong(text);
      return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    } catch (NumberFormatException notANumber) {
      return OptionalLong.empty();
    }
  }

  private static Response refused(AlertProblem problem) {
    return switch (problem.kind()) {
      case NOT_FOUND ->
          ApiError.response(
              404,
              "ALERT_NOT_FOUND",
              problem.getMessage(),
              "Check the alert id from GET /api/v1/admin/alerts.");
      case ALREADY_RESOLVED ->
          ApiError.response(
              409,
              "ALERT_ALREADY_RESOLVED",
              problem.getMessage(),
              "Nothing to do: the alert is closed; a recurrence raises a new one.");
      case ALREADY_ACKNOWLEDGED ->
          ApiError.response(
              409,
              "ALERT_ALREADY_ACKNOWLEDGED",
              problem.getMessage(),
              "Nothing to do: another admin has taken the alert on.");
    };
  }

  /** The parameter's value within [min, max], the default when absent, null when invalid. */
  private static Integer number(String text, int min, int max, int absent) {
    if (text == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(text);
      return value >= min && value <= max ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
