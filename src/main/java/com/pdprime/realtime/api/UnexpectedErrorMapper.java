package com.pdprime.realtime.api;

import com.pdprime.realtime.persistence.StatementTimeout;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last resort: a failure no other mapper knows is the server's fault. It is logged once, with
 * the request it broke, and the client gets a JSON 500 without the stack trace; but a statement the
 * pool's statement timeout cancelled is the database's delay, answered 503 {@code SERVER_BUSY} with
 * {@code Retry-After}.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

  @Context UriInfo uri;
  @Context Request request;

  @Override
  public Response toResponse(Throwable failure) {
    // The raw path is percent-encoded, so it cannot carry a line break into the log.
    if (StatementTimeout.cancelled(failure)) {
      LOG.warning(
          "REST "
              + request.getMethod()
              + " "
              + uri.getRequestUri().getRawPath()
              + " answered 503 SERVER_BUSY: the database did not answer within the statement"
              + " timeout: "
              + failure);
      return ApiError.builder(
              503,
              "SERVER_BUSY",
              "the database did not answer within its statement timeout",
              "Send the request again after the Retry-After delay, backing off.")
          .header("Retry-After", "1")
          .build();
    }
    LOG.log(
        Level.SEVERE,
        "REST " + request.getMethod() + " " + uri.getRequestUri().getRawPath() + " failed",
        failure);
    return ApiError.response(
        500,
        "INTERNAL_ERROR",
        "the request could not be carried out",
        "Retry later; if it persists, report the time and the request.");
  }
}
