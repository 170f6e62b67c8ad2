package com.pdprime.realtime.api;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Times every REST request from its arrival (before matching and authentication, so refusals count
 * too) to its response, into {@code realtime_rest_response_ms}.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class ResponseTimer implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String STARTED = ResponseTimer.class.getName() + ".started";

  @Inject RealtimeMetrics metrics;

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(STARTED) instanceof Long started) {
      metrics.restResponse((System.nanoTime() - started) / 1_000_000);
    }
  }
}
