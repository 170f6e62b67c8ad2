package com.pdprime.realtime.instances;

import com.pdprime.realtime.monitoring.AlertSeverity;
import com.pdprime.realtime.monitoring.Monitor;
import com.pdprime.realtime.monitoring.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An instance lost without shutting down (taken over by {@link InstanceLiveness}) is alerted once,
 * when the takeover happens; the alert resolves itself when that instance starts again, or an admin
 * resolves it. A loss seen before this instance started is left to the instance that saw it, so a
 * manual resolve is not undone by a restart elsewhere.
 */
@ApplicationScoped
public class InstanceLostMonitor implements Monitor {
  @Inject InstanceRegistry registry;

  @Inject
  @ConfigProperty(name = "realtime.monitor.instance-lost.period-ms")
  long periodMillis;

  private Instant checkedUntil = Instant.now();

  @Override
  public String name() {
    return "instance-lost";
  }

  @Override
  public long periodMillis() {
    return periodMillis;
  }

  @Override
  public synchronized List<Observation> check() {
    Instant since = checkedUntil;
    checkedUntil = Instant.now();
    return observe(registry.statuses(), since);
  }

  static List<Observation> observe(List<InstanceStatus> instances, Instant since) {
    List<Observation> observations = new ArrayList<>();
    for (InstanceStatus instance : instances) {
      if (!instance.lost()) {
        observations.add(Observation.healthy(instance.id()));
      } else if (!instance.stoppedAt().isBefore(since)) {
        observations.add(
            Observation.failing(
                instance.id(),
                AlertSeverity.HIGH,
                "instance "
                    + instance.id()
                    + " stopped heartbeating and was taken over; its clients reconnect to the"
                    + " others",
                "stoppedAt=" + instance.stoppedAt() + " reason=" + instance.stopReason()));
      }
    }
    return observations;
  }
}
