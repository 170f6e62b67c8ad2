package com.pdprime.realtime.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body that could not be read as JSON is the client's mistake: 400 with its code, no trace. */
@Provider
public class BadRequestBodyMapper implements ExceptionMapper<BadRequestBody> {
  @Override
  public Response toResponse(BadRequestBody problem) {
    return ApiError.response(400, problem.code(), problem.getMessage(), problem.action());
  }
}
