package com.pdprime.realtime.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every HTTP error the JAX-RS runtime raises (no such path, wrong method, wrong media type, …)
 * answers in the socket's {@code code/message/action} shape rather than the server's HTML page. An
 * error that already carries a JSON body (e.g. {@link RequestTooLarge}) keeps it; headers such as
 * {@code Allow} are kept.
 */
@Provider
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {
  private static final Logger LOG = Logger.getLogger(HttpErrorMapper.class.getName());

  @Override
  public Response toResponse(WebApplicationException exception) {
    Response original = exception.getResponse();
    if (original.hasEntity()
        && MediaType.APPLICATION_JSON_TYPE.isCompatible(original.getMediaType())) {
      return original;
    }
    int status = original.getStatus();
    if (status >= 500) {
      LOG.log(Level.SEVERE, "REST request failed with " + status, exception);
    }
    Response body = body(status);
    return Response.fromResponse(original)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(body.getEntity())
        .build();
  }

  private static Response body(int status) {
    return switch (status) {
      case 400 ->
          ApiError.response(
              400,
              "BAD_REQUEST",
              "the request could not be read",
              "Correct the request as docs/protocol.md §11 describes.");
      case 401 ->
          ApiError.response(
              401,
              "TOKEN_MISSING",
              "a valid bearer token is required",
              "Send a token from the identity provider as Authorization: Bearer <token>.");
      case 403 ->
          ApiError.response(
              403,
              "FORBIDDEN",
              "the token does not grant this request",
              "Do not retry; ask for the permission docs/protocol.md §11 names for it.");
      case 404 ->
          ApiError.response(
              404,
              "NOT_FOUND",
              "nothing exists at this path",
              "Check the path against docs/protocol.md §11.");
      case 405 ->
          ApiError.response(
              405,
              "METHOD_NOT_ALLOWED",
              "this path does not accept this method",
              "Use a method the Allow header lists.");
      case 406 ->
          ApiError.response(
              406,
              "NOT_ACCEPTABLE",
              "the API answers only application/json",
              "Accept application/json.");
      case 413 ->
          ApiError.response(
              413,
              "REQUEST_TOO_LARGE",
              "the request body is too large",
              "Send a smaller body; publish a reference to large content instead of the content.");
      case 415 ->
          ApiError.response(
              415,
              "UNSUPPORTED_MEDIA_TYPE",
              "the body must be application/json",
              "Send the body with Content-Type: application/json.");
      default ->
          status >= 500
              ? ApiError.response(
                  status,
                  "INTERNAL_ERROR",
                  "the request could not be carried out",
                  "Retry later; if it persists, report the time and the request.")
              : ApiError.response(
                  status,
                  "REQUEST_REFUSED",
                  "the request was refused with HTTP " + status,
                  "Correct the request as docs/protocol.md §11 describes.");
    };
  }
}
