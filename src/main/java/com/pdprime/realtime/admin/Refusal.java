package com.pdprime.realtime.admin;

import com.pdprime.realtime.api.ApiError;
import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * An admin request refused for a reason the admin can fix (a bad parameter, an unknown id, a taken
 * name). Thrown by validation and by the services, caught by the resource, which records it in the
 * audit trail as {@code REFUSED} and answers it in the API's error shape. An application exception,
 * so a service's refusal reaches the resource unwrapped and rolls its transaction back.
 */
@ApplicationException(rollback = true)
public final class Refusal extends RuntimeException {
  private final int status;
  private final String code;
  private final String action;

  public Refusal(int status, String code, String message, String action) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.action = action;
  }

  static Refusal invalidParameter(String name, String problem, String action) {
    return new Refusal(400, "INVALID_PARAMETER", "parameter '" + name + "' " + problem, action);
  }

  static Refusal missingField(String field, String action) {
    return new Refusal(400, "MISSING_FIELD", "field '" + field + "' is required", action);
  }

  static Refusal invalidField(String field, String problem, String action) {
    return new Refusal(400, "INVALID_FIELD", "field '" + field + "' " + problem, action);
  }

  static Refusal notFound(String message, String action) {
    return new Refusal(404, "NOT_FOUND", message, action);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** For the audit row: the code and the message. */
  String summary() {
    return code + ": " + getMessage();
  }

  Response response() {
    return ApiError.response(status, code, getMessage(), action);
  }
}
