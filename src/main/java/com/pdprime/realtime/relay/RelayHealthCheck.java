package com.pdprime.realtime.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while relay sends fail: the instance still stores and (by catch-up) delivers events,
 * but seconds late, so a load balancer should prefer instances that reach the broker.
 */
@Readiness
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {
  @Inject RoomRelay relay;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("broker").status(relay.probe()).build();
  }
}
