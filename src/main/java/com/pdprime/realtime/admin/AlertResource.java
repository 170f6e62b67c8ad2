package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.monitoring.Alert;
import com.pdprime.realtime.monitoring.AlertProblem;
import com.pdprime.realtime.monitoring.SystemAlerts;
import com.pdprime.realtime.security.Caller;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /api/v1/admin/alerts}: the alert list (open, or all, newest first, paged) and an admin's
 * acknowledge and resolve, audited. The socket offers the same two actions ({@link
 * AlertSocketCommands}).
 */
@Path("admin/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  static final Set<String> PARAMETERS = Set.of("state", "offset", "limit");
  static final String VIA = "REST";

  @Inject SystemAlerts alerts;
  @Inject AuditedActions audit;
  @Context HttpServletRequest request;
  @Context SecurityContext security;

  @GET
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response list(
      @QueryParam("state") String state,
      @QueryParam("offset") String offsetText,
      @QueryParam("limit") String limitText,
      @Context UriInfo uri) {
    int offset;
    int limit;
    try {
      PageParameters.requireKnown(uri.getQueryParameters(), PARAMETERS);
      if (state == null || (!state.equals("open") && !state.equals("all"))) {
        throw Refusal.invalidParameter(
            "state", "must be open or all", "Ask for ?state=open (unresolved) or ?state=all.");
      }
      offset = offset(offsetText);
      limit = PageParameters.limit(limitText);
    } catch (Refusal refused) {
      return refused.response();
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
    return audited(
        AlertActions.ACKNOWLEDGE, id, alertId -> alerts.acknowledge(alertId, caller().subject()));
  }

  @POST
  @Path("{id}/resolve")
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response resolve(@PathParam("id") String id) {
    return audited(
        AlertActions.RESOLVE, id, alertId -> alerts.resolve(alertId, caller().subject()));
  }

  /** What an admin does to one alert. */
  private interface Change {
    Alert apply(long alertId) throws AlertProblem;
  }

  private Response audited(String action, String id, Change change) {
    return audit.run(
        caller(),
        request,
        action,
        "alert:" + id,
        () -> {
          OptionalLong alertId = alertId(id);
          if (alertId.isEmpty()) {
            throw refusal(new AlertProblem(AlertProblem.Kind.NOT_FOUND, "no alert " + id));
          }
          try {
            Alert changed = change.apply(alertId.getAsLong());
            return new AuditedActions.Done(
                Response.ok(changed.toJson()).build(), "alert:" + id, VIA);
          } catch (AlertProblem problem) {
            throw refusal(problem);
          }
        });
  }

  private Caller caller() {
    return RestCaller.required(security);
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

  private static Refusal refusal(AlertProblem problem) {
    return switch (problem.kind()) {
      case NOT_FOUND ->
          new Refusal(
              404,
              "ALERT_NOT_FOUND",
              problem.getMessage(),
              "Check the alert id from GET /api/v1/admin/alerts.");
      case ALREADY_RESOLVED ->
          new Refusal(
              409,
              "ALERT_ALREADY_RESOLVED",
              problem.getMessage(),
              "Nothing to do: the alert is closed; a recurrence raises a new one.");
      case ALREADY_ACKNOWLEDGED ->
          new Refusal(
              409,
              "ALERT_ALREADY_ACKNOWLEDGED",
              problem.getMessage(),
              "Nothing to do: another admin has taken the alert on.");
    };
  }

  /** Rows to skip: absent is 0; at most nine digits, so it always fits an int. */
  private static int offset(String text) {
    if (text == null) {
      return 0;
    }
    if (!text.matches("[0-9]{1,9}")) {
      throw Refusal.invalidParameter(
          "offset",
          "must be a whole number from 0 to 999999999",
          "Leave offset out for the first page, or skip a whole number of alerts.");
    }
    return Integer.parseInt(text);
  }
}
