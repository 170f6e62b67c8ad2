package com.pdprime.realtime.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while the engine's clock ticks: if the activity sweep (no database work) has not run
 * for five intervals, the scheduler is stuck or starved and the instance should be restarted. It
 * reads the interval from the engine: health checks run on the server's threads, where the
 * application's configuration is not in reach of injection.
 */
@Liveness
@ApplicationScoped
public class EngineWatchdog implements HealthCheck {
  @Inject EngineLifecycle engine;

  @Override
  public HealthCheckResponse call() {
    Duration since = Duration.between(engine.lastTick(), Instant.now());
    boolean ticking = since.toMillis() < 5 * engine.tickIntervalMillis();
    return HealthCheckResponse.named("engine-watchdog")
        .status(ticking)
        .withData("lastTickMillisAgo", since.toMillis())
        .build();
  }
}
