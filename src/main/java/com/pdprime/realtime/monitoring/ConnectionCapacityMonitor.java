package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Open connections of this instance near the capacity it was sized for. */
@ApplicationScoped
public class ConnectionCapacityMonitor implements Monitor {
  @Inject RealtimeMetrics metrics;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.connections.period-ms")
  long periodMillis;

  @Inject
  @ConfigProperty(name = "realtime.monitor.connections.capacity")
  long capacity;

  @Inject
  @ConfigProperty(name = "realtime.monitor.connections.warn-percent")
  int warnPercent;

  @Override
  public String name() {
    return "connections";
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    return List.of(observe(metrics.openConnections(), capacity, warnPercent, instance.id()));
  }

  static Observation observe(long open, long capacity, int warnPercent, String source) {
    if (open * 100 < capacity * warnPercent) {
      return Observation.healthy(source);
    }
    return Observation.failing(
        source,
        open >= capacity ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
        "instance "
            + source
            + " holds "
            + open
            + " connections, "
            + (open * 100 / capacity)
            + "% of its capacity of "
            + capacity
            + "; add an instance before new sockets are refused",
        "open=" + open + " capacity=" + capacity + " warnPercent=" + warnPercent);
  }
}
