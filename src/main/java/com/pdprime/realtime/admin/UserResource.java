package com.pdprime.realtime.admin;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.admin.AuditedActions.Done;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.protocol.CloseCode;
import com.pdprime.realtime.security.JwtVerifier;
import com.pdprime.realtime.security.LogSafe;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import com.pdprime.realtime.websocket.DisconnectOrder;
import com.pdprime.realtime.websocket.DisconnectOrders;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /api/v1/admin/users/{subject}/disconnect}: every socket of one user, on every
 * instance, closed with 4010 and the operator's reason.
 */
@Path("admin/users/{subject}/disconnect")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequiresPermission(Permissions.ADMIN_ACCESS)
public class UserResource {
  @Inject ConnectionDirectory directory;
  @Inject DisconnectOrders disconnects;
  @Inject AuditedActions actions;

  /**
   * Ordered even when the journal shows no open socket: a socket opened within the journal's flush
   * interval has no row yet, and the order costs one relay message. The answer says how many the
   * journal knew of.
   */
  @POST
  public Response disconnect(
      @PathParam("subject") String subject,
      JsonObject body,
      @Context SecurityContext security,
      @Context HttpServletRequest request) {
    String resource = "user:" + subject;
    return actions.run(
        RestCaller.required(security),
        request,
        "user.disconnect",
        resource,
        () -> {
          if (subject.length() > JwtVerifier.MAX_TEXT_CLAIM_CHARS
              || LogSafe.hasControlCharacters(subject)) {
            throw Refusal.notFound(
                "no user can have the subject " + LogSafe.quote(subject),
                "Use the subject of a connection (GET /api/v1/admin/connections).");
          }
          String reason = DisconnectReason.of(body);
          long known = directory.openOf(subject);
          disconnects.issue(DisconnectOrder.user(subject, reason));
          return new Done(
              Response.accepted(
                      JSON.createObjectBuilder()
                          .add("subject", subject)
                          .add("closeCode", CloseCode.DISCONNECTED.code())
                          .add("reason", reason)
                          .add("openConnections", known)
                          .build())
                  .build(),
              resource,
              "open=" + known + " reason=" + reason);
        });
  }
}
