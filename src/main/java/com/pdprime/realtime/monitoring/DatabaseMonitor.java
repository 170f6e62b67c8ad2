package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database as this instance sees it: down (CRITICAL) or slower than a threshold (HIGH). While
 * it is down the alert itself cannot be written; that failure is logged and counted, and the alert
 * appears once the database answers again.
 */
@ApplicationScoped
public class DatabaseMonitor implements Monitor {
  @Inject DatabaseProbe probe;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.database.period-ms")
  long periodMillis;

  @Inject
  @ConfigProperty(name = "realtime.monitor.database.slow-ms")
  long slowMillis;

  @Override
  public String name() {
    return "database";
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    return List.of(observe(probe.roundTrip(), slowMillis, instance.id()));
  }

  static Observation observe(DatabaseProbe.Result result, long slowMillis, String source) {
    if (!result.up()) {
      return Observation.failing(
          source,
          AlertSeverity.CRITICAL,
          "instance " + source + " cannot reach the database: events cannot be published",
          result.error());
    }
    if (result.millis() > slowMillis) {
      return Observation.failing(
          source,
          AlertSeverity.HIGH,
          "instance "
              + source
              + " waits "
              + result.millis()
              + " ms for a database round trip (threshold "
              + slowMillis
              + " ms)",
          "roundTripMillis=" + result.millis());
    }
    return Observation.healthy(source);
  }
}
