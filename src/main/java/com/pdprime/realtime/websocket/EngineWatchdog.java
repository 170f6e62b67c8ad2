package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while the engine's clock ticks: if the catch-up has not completed for five intervals, the
 * scheduler is stuck or starved and the instance should be restarted.
 */
@Liveness
@ApplicationScoped
public class EngineWatchdog implements HealthCheck {
  @Inject EngineLifecycle engine;
  @Inject EngineSettings settings;

  @Override
  public HealthCheckResponse call() {
    Duration since = Duration.between(engine.lastCatchUp(), Instant.now());
    boolean ticking = since.toMillis() < 5 * settings.catchUpIntervalMillis();
    return HealthCheckResponse.named("engine-watchdog")
        .status(ticking)
        .withData("lastCatchUpMillisAgo", since.toMillis())
        .build();
  }
}
