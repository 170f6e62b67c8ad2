package com.pdprime.realtime.notifications;

import com.pdprime.realtime.api.ApiError;
import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * A notification request refused for a reason the caller can fix: bad input, an unknown id, a muted
 * security type, a recipient over the rate. Thrown by validation and the service, answered by the
 * resources in the API's error shape (and by the socket commands as an error frame). An application
 * exception, so it reaches the resource unwrapped and rolls the transaction back.
 */
@ApplicationException(rollback = true)
public final class NotificationRefusal extends RuntimeException {
  static final String NOT_FOUND = "NOTIFICATION_NOT_FOUND";
  static final String UNMUTABLE = "NOTIFICATION_TYPE_UNMUTABLE";
  static final String RATE_LIMITED = "NOTIFICATION_RATE_LIMITED";

  private final int status;
  private final String code;
  private final String action;
  private final long retryAfterSeconds;

  NotificationRefusal(int status, String code, String message, String action) {
    this(status, code, message, action, 0);
  }

  private NotificationRefusal(
      int status, String code, String message, String action, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.action = action;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static NotificationRefusal missingField(String field, String action) {
    return new NotificationRefusal(
        400, "MISSING_FIELD", "field '" + field + "' is required", action);
  }

  static NotificationRefusal invalidField(String field, String problem, String action) {
    return new NotificationRefusal(
        400, "INVALID_FIELD", "field '" + field + "' " + problem, action);
  }

  static NotificationRefusal invalidParameter(String name, String problem, String action) {
    return new NotificationRefusal(
        400, "INVALID_PARAMETER", "parameter '" + name + "' " + problem, action);
  }

  static NotificationRefusal notFound(String id) {
    return new NotificationRefusal(
        404,
        NOT_FOUND,
        "notification " + id + " is not in your inbox",
        "Use an id from GET /api/v1/notifications or a notification event of your user room.");
  }

  static NotificationRefusal rateLimited(
      String recipient, int max, long windowSeconds, long retry) {
    return new NotificationRefusal(
        429,
        RATE_LIMITED,
        "recipient "
            + recipient
            + " was sent "
            + max
            + " notifications in the last "
            + windowSeconds
            + " s; this one was not stored",
        "Send it again after Retry-After seconds, or collapse routine ones with a collapseKey.",
        retry);
  }

  public String code() {
    return code;
  }

  public String action() {
    return action;
  }

  public Response response() {
    Response.ResponseBuilder response = ApiError.builder(status, code, getMessage(), action);
    if (retryAfterSeconds > 0) {
      response.header("Retry-After", Long.toString(retryAfterSeconds));
    }
    return response.build();
  }
}
