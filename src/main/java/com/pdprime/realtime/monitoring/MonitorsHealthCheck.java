package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a monitor or stream of this instance has stalled: problems it should report go
 * unseen, so the instance must not look healthy.
 */
@Readiness
@ApplicationScoped
public class MonitorsHealthCheck implements HealthCheck {
  @Inject Ticks ticks;

  @Override
  public HealthCheckResponse call() {
    Instant now = Instant.now();
    List<Ticks.Tick> stalled = ticks.stalled(now);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("monitors").status(stalled.isEmpty());
    for (Ticks.Tick tick : stalled) {
      response.withData(tick.name() + ".lastTickMillisAgo", tick.age(now).toMillis());
    }
    return response.build();
  }
}
