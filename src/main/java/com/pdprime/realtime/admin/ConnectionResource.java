package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.admin.AuditedActions.Done;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.connections.WebSocketConnection;
import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import com.pdprime.realtime.websocket.DisconnectOrder;
import com.pdprime.realtime.websocket.DisconnectOrders;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
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
import java.util.List;

/**
 * {@code /api/v1/admin/connections}: the cluster's connections as the journal records them (list,
 * one), and the force-disconnect of one connection on whichever instance holds it.
 */
@Path("admin/connections")
@Produces(MediaType.APPLICATION_JSON)
@RequiresPermission(Permissions.ADMIN_ACCESS)
public class ConnectionResource {
  @Inject ConnectionDirectory directory;
  @Inject DisconnectOrders disconnects;
  @Inject AuditedActions actions;

  @GET
  public Response list(
      @QueryParam("user") String user,
      @QueryParam("instance") String instance,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after,
      @Context UriInfo uri) {
    ConnectionQuery query;
    try {
      PageParameters.requireKnown(uri.getQueryParameters(), ConnectionQuery.PARAMETERS);
      query = ConnectionQuery.parse(user, instance, state, limit, after);
    } catch (Refusal refused) {
      return refused.response();
    }
    List<WebSocketConnection> rows = directory.page(query);
    JsonArrayBuilder page = JSON.createArrayBuilder();
    rows.stream().limit(query.limit()).forEach(row -> page.add(json(row)));
    JsonObjectBuilder answer = JSON.createObjectBuilder().add("connections", page);
    if (rows.size() > query.limit()) {
      WebSocketConnection last = rows.get(query.limit() - 1);
      answer.add("next", new ConnectionQuery.Cursor(last.connectedAt(), last.id()).text());
    } else {
      answer.addNull("next");
    }
    return Response.ok(answer.build()).build();
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    return directory
        .find(id)
        .map(row -> Response.ok(json(row).build()).build())
        .orElseGet(
            () ->
                Refusal.notFound("no connection " + id, "Check the id from the welcome frame.")
                    .response());
  }

  /** Every instance gets the order; the one holding the socket closes it with 4010. */
  @POST
  @Path("{id}/disconnect")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response disconnect(
      @PathParam("id") String id,
      JsonObject body,
      @Context SecurityContext security,
      @Context HttpServletRequest request) {
    String resource = "connection:" + id;
    return actions.run(
        RestCaller.required(security),
        request,
        "connection.disconnect",
        resource,
        () -> {
          String reason = DisconnectReason.of(body);
          WebSocketConnection row =
              directory
                  .open(id)
                  .orElseThrow(
                      () ->
                          Refusal.notFound(
                              "no open connection " + id,
                              "List open connections (GET /api/v1/admin/connections?state=OPEN)"
                                  + " and use an id from there."));
          disconnects.issue(DisconnectOrder.connection(id, reason));
          return new Done(
              Response.accepted(
                      JSON.createObjectBuilder()
                          .add("connectionId", id)
                          .add("subject", row.subject())
                          .add("instanceId", row.instanceId())
                          .add("closeCode", CloseCode.DISCONNECTED.code())
                          .add("reason", reason)
                          .build())
                  .build(),
              resource,
              "user=" + row.subject() + " instance=" + row.instanceId() + " reason=" + reason);
        });
  }

  static JsonObjectBuilder json(WebSocketConnection row) {
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", row.id())
            .add("instanceId", row.instanceId())
            .add("subject", row.subject())
            .add("admin", row.admin())
            .add("state", row.state())
            .add("connectedAt", row.connectedAt().toString())
            .add("lastActivityAt", row.lastActivityAt().toString());
    nullable(json, "ipAddress", row.ipAddress());
    nullable(json, "userAgent", row.userAgent());
    if (row.disconnectedAt() != null) {
      json.add("disconnectedAt", row.disconnectedAt().toString())
          .add("closeCode", row.closeCode())
          .add("closeReason", row.closeReason());
    }
    return json;
  }

  private static void nullable(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }
}
