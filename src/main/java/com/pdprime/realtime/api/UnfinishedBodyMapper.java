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
 * whose connection ended gets {@code 400 BODY_INCOMPLETE}, which reaches it only if it closed its
 * sending side alone and still reads (on WildFly; Grizzly, on Payara, closes a connection whose
 * client stopped sending, so nothing reaches such a client there); {@link CutOffBodyAnswer} keeps
 * an answer that cannot be written out of the log's SEVERE lines.
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
            + " answered 400 BODY_INCOMPLETE, which reaches its client only if it still reads:"
            + " its connection ended before the body's end ("
            + unfinished.getMessage()
            + ")");
    return ApiError.response(
        400,
        "BODY_INCOMPLETE",
        "the connection's sending side ended before the request body did",
        "Send the whole body (its Content-Length, or chunks up to the last), then read the answer.");
  }
}
