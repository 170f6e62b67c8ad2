package com.pdprime.realtime.notifications;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import com.pdprime.realtime.api.RequiresPermission;
import com.pdprime.realtime.security.Permissions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TEST ONLY: {@code POST /api/v1/test/notifications/clock {"now": ISO-8601}} sets this instance's
 * notification clock, so integration tests can stand at 03:00 in a recipient's zone and then at the
 * window's opening. It exists only where {@code realtime.notifications.clock-for-test=true}, which
 * no shipped configuration sets (src/test/resources/arquillian.xml's payara-micro-notifications
 * container does); everywhere else it answers 404 like a path that does not exist.
 */
@Path("test/notifications/clock")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class NotificationClockResource {
  private static final Logger LOG = Logger.getLogger(NotificationClockResource.class.getName());

  @Inject
  @ConfigProperty(name = "realtime.notifications.clock-for-test")
  Optional<Boolean> clockForTest;

  @Inject NotificationClock clock;

  @PostConstruct
  void warn() {
    if (enabled()) {
      LOG.severe(
          "realtime.notifications.clock-for-test=true: the notification clock can be set over"
              + " REST; this key is for integration tests only");
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission(Permissions.NOTIFICATIONS_SEND)
  public Response set(JsonObject body) {
    if (!enabled()) {
      return ApiError.response(
          404, "NOT_FOUND", "no endpoint at this path", "Check the path in docs/protocol.md §11.");
    }
    if (body == null || !(body.get("now") instanceof JsonString now)) {
      return ApiError.missingField("now", "Send {\"now\": \"2026-12-02T08:00:00Z\"}.");
    }
    try {
      clock.set(Instant.parse(now.getString()));
    } catch (DateTimeParseException e) {
      return ApiError.invalidField(
          "now", "must be an ISO-8601 instant", "Send e.g. 2026-12-02T08:00:00Z.");
    }
    return Response.ok(JSON.createObjectBuilder().add("now", clock.now().toString()).build())
        .build();
  }

  private boolean enabled() {
    return clockForTest.orElse(false);
  }
}
