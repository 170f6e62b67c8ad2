package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.ApiError;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

/**
 * Why a publish is refused: the HTTP status and the error a single publish answers with, and the
 * error a batch answers in the refused event's place.
 */
public final class PublishRefused extends Exception {
  private final int status;
  private final String code;
  private final String action;
  private final int retryAfterSeconds;

  PublishRefused(int status, String code, String message, String action) {
    this(status, code, message, action, 0);
  }

  /** A refusal of the server's state, answered with {@code Retry-After} when it is above 0. */
  PublishRefused(int status, String code, String message, String action, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.action = action;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static PublishRefused missingField(String field, String action) {
    return new PublishRefused(400, "MISSING_FIELD", "field '" + field + "' is required", action);
  }

  static PublishRefused invalidField(String field, String message, String action) {
    return new PublishRefused(400, "INVALID_FIELD", "field '" + field + "' " + message, action);
  }

  public String code() {
    return code;
  }

  Response response() {
    Response.ResponseBuilder response = ApiError.builder(status, code, getMessage(), action);
    if (retryAfterSeconds > 0) {
      response.header("Retry-After", retryAfterSeconds);
    }
    return response.build();
  }

  /** The error as one result of a batch: the status a single publish would have answered, too. */
  JsonObject json() {
    return JSON.createObjectBuilder()
        .add("status", status)
        .add("code", code)
        .add("message", getMessage())
        .add("action", action)
        .build();
  }
}
