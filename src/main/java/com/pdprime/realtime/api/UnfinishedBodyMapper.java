package com.pdprime.realtime.api;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/**
 * A body that stopped coming is the client's doing: logged on one line and counted in {@code
 * realtime_rest_unfinished_bodies_total{reason}}, never a stack trace.
 *
 * <p>A client that stopped sending but is still connected gets {@code 408 BODY_TIMEOUT}. A client
 * whose connection ended gets an answer without a body: no byte of it can reach anyone, and the
 * runtime writes a body when it completes the response, where Jersey (Payara) logs the failed write
 * at SEVERE with a stack trace, once per request; a status without a body is left to the container,
 * which drops it with the connection.
 */
@Provider
public class UnfinishedBodyMapper implements ExceptionMapper<UnfinishedBody> {
  private static final Logger LOG = Logger.getLogger(UnfinishedBodyMapper.class.getName());

  @Inject RealtimeMetrics metrics;
  @Context UriInfo uri;
  @Context Request request;

  @Override
  public Response toResponse(UnfinishedBody unfinished) {
    String reason = unfinished.timedOut() ? "timeout" : "closed";
    metrics.restUnfinishedBody(reason);
    // The raw path is percent-encoded, so it cannot carry a line break into the log.
    String what = "REST " + request.getMethod() + " " + uri.getRequestUri().getRawPath();
    if (unfinished.timedOut()) {
      LOG.info(
          what
              + " answered 408 BODY_TIMEOUT: its body did not arrive in time ("
              + unfinished.getMessage()
              + ")");
      // Sent at once, with Connection: close, by CutOffBodyAnswer.
      return ApiError.response(
          408,
          "BODY_TIMEOUT",
          "the request body did not arrive in time",
          "Send the whole body right after the headers, then read the answer.");
    }
    LOG.info(
        what
            + " not answered: its client closed the connection before the body's end ("
            + unfinished.getMessage()
            + ")");
    return Response.status(400).header("Connection", "close").build();
  }
}
