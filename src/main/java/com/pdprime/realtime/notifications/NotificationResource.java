package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.RestCaller;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/notifications}: backends send (with {@code notifications:send}); every signed-in
 * user reads their own inbox, marks read and edits their preferences (docs/protocol.md §11.17).
 */
@Path("notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
  // A page fills an inbox panel; 100 bounds what one request reads and sends.
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  private static final Set<String> LIST_PARAMETERS = Set.of("state", "limit", "before");

  @Inject NotificationService notifications;
  @Inject NotificationInbox inbox;
  @Inject NotificationPreferenceService preferences;
  @Inject NotificationSettings settings;
  @Inject RecipientZones recipients;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission(Permissions.NOTIFICATIONS_SEND)
  public Response send(JsonObject body) {
    try {
      Notification sent = notifications.send(NotificationRequest.parse(body));
      JsonObjectBuilder answer =
          JSON.createObjectBuilder().add("id", sent.id()).add("state", sent.state().wire());
      if (sent.deliverAfter() == null) {
        answer.addNull("deliverAfter");
      } else {
        answer.add("deliverAfter", sent.deliverAfter().toString());
      }
      return Response.status(201).entity(answer.build()).build();
    } catch (NotificationRefusal refused) {
      return refused.response();
    }
  }

  @GET
  public Response list(@Context UriInfo uri, @Context SecurityContext security) {
    try {
      Map<String, List<String>> query = uri.getQueryParameters();
      requireKnown(query);
      return Response.ok(
              inbox.page(
                  RestCaller.required(security).subject(),
                  filter(query.get("state")),
                  limit(query.get("limit")),
                  before(query.get("before"))))
          .build();
    } catch (NotificationRefusal refused) {
      return refused.response();
    }
  }

  @POST
  @Path("{id}/read")
  public Response read(@PathParam("id") String id, @Context SecurityContext security) {
    try {
      return Response.ok(inbox.read(RestCaller.required(security).subject(), id)).build();
    } catch (NotificationRefusal refused) {
      return refused.response();
    }
  }

  @POST
  @Path("read-all")
  public Response readAll(@Context SecurityContext security) {
    return Response.ok(inbox.readAll(RestCaller.required(security).subject())).build();
  }

  @GET
  @Path("preferences")
  public Response preferences(@Context SecurityContext security) {
    String subject = RestCaller.required(security).subject();
    return Response.ok(answer(subject, preferences.of(subject))).build();
  }

  @PUT
  @Path("preferences")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response replacePreferences(JsonObject body, @Context SecurityContext security) {
    Caller caller = RestCaller.required(security);
    try {
      Preferences wanted = PreferencesRequest.parse(body, settings.window());
      return Response.ok(answer(caller.subject(), preferences.replace(caller.subject(), wanted)))
          .build();
    } catch (NotificationRefusal refused) {
      return refused.response();
    }
  }

  private JsonObject answer(String subject, Preferences stored) {
    return stored.toJson(recipients.of(subject, stored).zone());
  }

  /** Every parameter is one the listing reads, given once: a misspelt one would list everything. */
  private static void requireKnown(Map<String, List<String>> query) {
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      if (!LIST_PARAMETERS.contains(parameter.getKey())) {
        throw NotificationRefusal.invalidParameter(
            parameter.getKey(), "is not a parameter of the inbox", "Use only " + LIST_PARAMETERS);
      }
      if (parameter.getValue().size() > 1) {
        throw NotificationRefusal.invalidParameter(
            parameter.getKey(), "is given more than once", "Give each parameter at most once.");
      }
    }
  }

  private static NotificationInbox.Filter filter(List<String> values) {
    if (values == null) {
      return NotificationInbox.Filter.ALL;
    }
    String text = values.get(0);
    for (NotificationInbox.Filter filter : NotificationInbox.Filter.values()) {
      if (filter.name().toLowerCase(Locale.ROOT).equals(text)) {
        return filter;
      }
    }
    throw NotificationRefusal.invalidParameter(
        "state", "must be all, held, unread or read", "Leave state out for all.");
  }

  private static int limit(List<String> values) {
    if (values == null) {
      return DEFAULT_LIMIT;
    }
    String text = values.get(0);
    if (!text.matches("[0-9]{1,3}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > MAX_LIMIT) {
      throw NotificationRefusal.invalidParameter(
          "limit",
          "must be a whole number from 1 to " + MAX_LIMIT,
          "Leave limit out for " + DEFAULT_LIMIT + ", or ask for 1 to " + MAX_LIMIT + ".");
    }
    return Integer.parseInt(text);
  }

  private static String before(List<String> values) {
    if (values == null) {
      return null;
    }
    String text = values.get(0);
    if (text.isEmpty() || text.length() > 64) {
      throw NotificationRefusal.invalidParameter(
          "before", "must be a notification id", "Send the 'next' of the previous page.");
    }
    return text;
  }
}
