package com.pdprime.realtime.relay;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.monitoring.AlertSeverity;
import com.pdprime.realtime.monitoring.Monitor;
import com.pdprime.realtime.monitoring.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends this instance an echo over the relay every period and alerts while one goes unheard past
 * its timeout ({@link RelayEchoes}): the broker may take every send while this instance's consumer
 * is not connected to it. The broker's own reachability is {@link RelayMonitor}'s alert.
 */
@ApplicationScoped
public class RelayReceiveMonitor implements Monitor {
  static final String ALERT_TYPE = "relay-receive";

  @Inject JmsRoomRelay relay;
  @Inject RelayEchoes echoes;
  @Inject InstanceIdentity instance;

  @Inject
  @ConfigProperty(name = "realtime.monitor.relay-receive.period-ms")
  long periodMillis;

  @Override
  public String name() {
    return ALERT_TYPE;
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public List<Observation> check() {
    long now = RelayEchoes.now();
    OptionalLong overdue = echoes.overdueMillis(now);
    relay.send(new RelayEcho(instance.id(), echoes.next(now)));
    String source = instance.id();
    if (overdue.isEmpty()) {
      return List.of(Observation.healthy(source));
    }
    return List.of(
        Observation.failing(
            source,
            AlertSeverity.CRITICAL,
            "instance "
                + source
                + " receives nothing from the message broker; its clients get stored events from"
                + " history every catch-up interval, and no ephemeral event or disconnect order,"
                + " until it does",
            "its echo over the relay unheard for " + overdue.getAsLong() + " ms"));
  }
}
