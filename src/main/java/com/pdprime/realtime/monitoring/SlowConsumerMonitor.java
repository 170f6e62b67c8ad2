package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.protocol.CloseCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Slow-consumer closes (4008) faster than a threshold, per instance. */
@ApplicationScoped
public class SlowConsumerMonitor implements Monitor {
  private final CounterRate rate = new CounterRate();

  @Inject RealtimeMetrics metrics;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.slow-consumers.period-ms")
  long periodMillis;

  @Inject
  @ConfigProperty(name = "realtime.monitor.slow-consumers.max-per-minute")
  double maxPerMinute;

  @Override
  public String name() {
    return "slow-consumers";
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    return RateSpike.observe(
        rate.perMinute(metrics.closesTotal(CloseCode.SLOW_CONSUMER.code()), Instant.now()),
        maxPerMinute,
        instance.id(),
        AlertSeverity.MEDIUM,
        "slow-consumer closes (4008)");
  }
}
