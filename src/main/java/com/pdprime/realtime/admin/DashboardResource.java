package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.INBOUND_READERS;
import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.admin.AuditedActions.Done;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;

/**
 * {@code /api/v1/admin/dashboards}: an admin's saved dashboard layouts. Reads are the admin's own
 * business; every write (create, replace, delete) is audited, refused or not.
 */
@Path("admin/dashboards")
@Produces(MediaType.APPLICATION_JSON)
@RequiresPermission(Permissions.ADMIN_ACCESS)
public class DashboardResource {
  @Inject Dashboards dashboards;
  @Inject AuditedActions actions;

  @GET
  public Response list(@Context SecurityContext security) {
    JsonArrayBuilder list = JSON.createArrayBuilder();
    for (AdminDashboard dashboard : dashboards.list(RestCaller.required(security))) {
      list.add(summary(dashboard));
    }
    return Response.ok(JSON.createObjectBuilder().add("dashboards", list).build()).build();
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id, @Context SecurityContext security) {
    try {
      return Response.ok(full(dashboards.get(RestCaller.required(security), id))).build();
    } catch (Refusal refused) {
      return refused.response();
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      JsonObject body, @Context SecurityContext security, @Context HttpServletRequest request) {
    Caller admin = RestCaller.required(security);
    return actions.run(
        admin,
        request,
        "dashboard.create",
        "dashboard",
        () -> {
          AdminDashboard created = dashboards.create(admin, DashboardInput.parse(body));
          return new Done(
              Response.status(201).entity(full(created)).build(),
              "dashboard:" + created.id(),
              describe(created));
        });
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response replace(
      @PathParam("id") String id,
      JsonObject body,
      @Context SecurityContext security,
      @Context HttpServletRequest request) {
    Caller admin = RestCaller.required(security);
    return actions.run(
        admin,
        request,
        "dashboard.update",
        "dashboard:" + id,
        () -> {
          AdminDashboard replaced = dashboards.replace(admin, id, DashboardInput.parse(body));
          return new Done(
              Response.ok(full(replaced)).build(), "dashboard:" + id, describe(replaced));
        });
  }

  @DELETE
  @Path("{id}")
  public Response delete(
      @PathParam("id") String id,
      @Context SecurityContext security,
      @Context HttpServletRequest request) {
    Caller admin = RestCaller.required(security);
    return actions.run(
        admin,
        request,
        "dashboard.delete",
        "dashboard:" + id,
        () -> {
          dashboards.delete(admin, id);
          return new Done(Response.noContent().build(), "dashboard:" + id, null);
        });
  }

  private static JsonObjectBuilder summary(AdminDashboard dashboard) {
    return JSON.createObjectBuilder()
        .add("id", dashboard.id())
        .add("name", dashboard.name())
        .add("default", dashboard.isDefault())
        .add("createdAt", dashboard.createdAt().toString())
        .add("updatedAt", dashboard.updatedAt().toString());
  }

  private static JsonObject full(AdminDashboard dashboard) {
    try (JsonReader layout = INBOUND_READERS.createReader(new StringReader(dashboard.layout()))) {
      return summary(dashboard).add("layout", layout.readObject()).build();
    }
  }

  private static String describe(AdminDashboard dashboard) {
    return "name=" + dashboard.name() + " default=" + dashboard.isDefault();
  }
}
