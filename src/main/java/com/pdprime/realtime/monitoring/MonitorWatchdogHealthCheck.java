package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while the monitor watchdog ticks: if it has missed five rounds nothing would report a
 * stalled monitor, and the instance should be restarted (the pattern of websocket/EngineWatchdog).
 */
@Liveness
@ApplicationScoped
public class MonitorWatchdogHealthCheck implements HealthCheck {
  /**
   * Five rounds, as for the engine's clock: far above a GC pause, well below an operator's wait.
   */
  public static final int DEAD_AFTER_ROUNDS = 5;

  @Inject MonitorWatchdog watchdog;

  @Override
  public HealthCheckResponse call() {
    Duration since = Duration.between(watchdog.lastTick(), Instant.now());
    return HealthCheckResponse.named("monitor-watchdog")
        .status(since.toMillis() < DEAD_AFTER_ROUNDS * watchdog.periodMillis())
        .withData("lastTickMillisAgo", since.toMillis())
        .build();
  }
}
