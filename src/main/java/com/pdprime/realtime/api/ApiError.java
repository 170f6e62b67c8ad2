package com.pdprime.realtime.api;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * REST errors have the same shape as socket error frames: a stable code, a message and an action.
 */
public final class ApiError {
  private ApiError() {}

  public static Response response(int status, String code, String message, String action) {
    return builder(status, code, message, action).build();
  }

  /** The error response, for a caller that adds headers (WWW-Authenticate, Retry-After). */
  public static Response.ResponseBuilder builder(
      int status, String code, String message, String action) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            JSON.createObjectBuilder()
                .add("code", code)
                .add("message", message)
                .add("action", action)
                .build());
  }

  public static Response missingField(String field, String action) {
    return response(400, "MISSING_FIELD", "field '" + field + "' is required", action);
  }

  public static Response invalidField(String field, String message, String action) {
    return response(400, "INVALID_FIELD", "field '" + field + "' " + message, action);
  }
}
