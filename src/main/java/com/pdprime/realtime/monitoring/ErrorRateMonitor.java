package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Error frames ({@code realtime_errors_total}) sent faster than a threshold, per instance. */
@ApplicationScoped
public class ErrorRateMonitor implements Monitor {
  private final CounterRate rate = new CounterRate();

  @Inject RealtimeMetrics metrics;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.error-rate.period-ms")
  long periodMillis;

  @Inject
  @ConfigProperty(name = "realtime.monitor.error-rate.max-per-minute")
  double maxPerMinute;

  @Override
  public String name() {
    return "error-rate";
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    return RateSpike.observe(
        rate.perMinute(metrics.errorsTotal(), Instant.now()),
        maxPerMinute,
        instance.id(),
        AlertSeverity.HIGH,
        "error frames");
  }
}
