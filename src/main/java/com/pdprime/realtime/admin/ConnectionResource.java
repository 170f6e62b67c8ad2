package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.connections.WebSocketConnection;
import com.pdprime.realtime.security.Permissions;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/v1/admin/connections/{id}}: one connection's journal row, for admins. */
@Path("admin/connections/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {
  @PersistenceContext EntityManager em;

  @GET
  @RequiresPermission(Permissions.ADMIN_ACCESS)
  public Response get(@PathParam("id") String id) {
    WebSocketConnection row = em.find(WebSocketConnection.class, id);
    if (row == null) {
      return ApiError.response(
          404, "NOT_FOUND", "no connection " + id, "Check the id from the welcome frame.");
    }
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", row.id())
            .add("instanceId", row.instanceId())
            .add("subject", row.subject())
            .add("admin", row.admin())
            .add("state", row.state())
            .add("connectedAt", row.connectedAt().toString())
            .add("lastActivityAt", row.lastActivityAt().toString());
    if (row.disconnectedAt() != null) {
      json.add("disconnectedAt", row.disconnectedAt().toString())
          .add("closeCode", row.closeCode())
          .add("closeReason", row.closeReason());
    }
    return Response.ok(json.build()).build();
  }
}
