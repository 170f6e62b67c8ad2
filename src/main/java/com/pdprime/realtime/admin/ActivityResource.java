package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.admin.AuditedActions.Done;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * {@code GET /api/v1/admin/activity}: what admins did, newest first. Needs {@code audit:read} on
 * top of {@code admin:access}, as the {@code admin:activity} stream does; reading it is itself an
 * audited action ({@code activity.view}), refused or not.
 */
@Path("admin/activity")
@Produces(MediaType.APPLICATION_JSON)
@RequiresPermission(Permissions.ADMIN_ACCESS)
public class ActivityResource {
  @Inject ActivityLog log;
  @Inject AuditedActions actions;

  @GET
  public Response list(
      @QueryParam("admin") String admin,
      @QueryParam("action") String action,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after,
      @Context SecurityContext security,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    Caller caller = RestCaller.required(security);
    return actions.run(
        caller,
        request,
        "activity.view",
        "activity",
        () -> {
          if (!caller.has(Permissions.AUDIT_READ)) {
            throw new Refusal(
                403,
                "FORBIDDEN",
                "reading the activity log needs the permission " + Permissions.AUDIT_READ,
                "Ask an administrator for the permission, or use an account that has it.");
          }
          PageParameters.requireKnown(uri.getQueryParameters(), ActivityQuery.PARAMETERS);
          ActivityQuery query = ActivityQuery.parse(admin, action, limit, after);
          List<ActivityLog.Entry> entries = log.page(query);
          JsonArrayBuilder page = JSON.createArrayBuilder();
          entries.stream().limit(query.limit()).forEach(entry -> page.add(entry.json()));
          JsonObjectBuilder answer = JSON.createObjectBuilder().add("entries", page);
          if (entries.size() > query.limit()) {
            answer.add("next", String.valueOf(entries.get(query.limit() - 1).id()));
          } else {
            answer.addNull("next");
          }
          return new Done(
              Response.ok(answer.build()).build(),
              "activity",
              query.describe() + " rows=" + Math.min(entries.size(), query.limit()));
        });
  }
}
