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
    Instant now = Instant.now();
    return HealthCheckResponse.named("monitor-watchdog")
        .status(live(watchdog.lastTick(), watchdog.periodMillis(), now))
        .withData("lastTickMillisAgo", Duration.between(watchdog.lastTick(), now).toMillis())
        .build();
  }

  /** Whether a watchdog that last ticked at {@code lastTick} still counts as running. */
  public static boolean live(Instant lastTick, long periodMillis, Instant now) {
    return Duration.between(lastTick, now).toMillis() < DEAD_AFTER_ROUNDS * periodMillis;
  }
}
