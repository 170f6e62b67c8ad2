package com.pdprime.realtime.relay;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.AlertSeverity;
import com.pdprime.realtime.monitoring.Monitor;
import com.pdprime.realtime.monitoring.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Probes the broker every period, so an outage is alerted (and its end resolved) on an instance
 * with no traffic too; a failed send alerts at once besides ({@link JmsRoomRelay}).
 */
@ApplicationScoped
public class RelayMonitor implements Monitor {
  @Inject RoomRelay relay;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.relay.period-ms")
  long periodMillis;

  @Override
  public String name() {
    return JmsRoomRelay.ALERT_TYPE;
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    String source = instance.id();
    return List.of(
        relay.probe()
            ? Observation.healthy(source)
            : Observation.failing(
                source,
                AlertSeverity.CRITICAL,
                downMessage(source),
                "the broker refused a probe connection"));
  }

  static String downMessage(String instanceId) {
    return "instance "
        + instanceId
        + " cannot reach the message broker; events are delivered from history every catch-up"
        + " interval until it returns";
  }
}
