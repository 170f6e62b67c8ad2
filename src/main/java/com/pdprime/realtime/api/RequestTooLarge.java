package com.pdprime.realtime.api;

import jakarta.ws.rs.WebApplicationException;

/**
 * A request body past {@code realtime.rest.max-body-bytes}: 413, raised before or while reading.
 */
public final class RequestTooLarge extends WebApplicationException {
  RequestTooLarge(long limit) {
    super(
        ApiError.response(
            413,
            "REQUEST_TOO_LARGE",
            "the request body is larger than " + limit + " bytes",
            "Send a smaller body; publish a reference to large content instead of the content."));
  }
}
