package com.pdprime.realtime.instances;

import java.time.Instant;

/** An instance's row in {@code realtime_instances}: live while {@code stoppedAt} is null. */
public record InstanceStatus(String id, Instant stoppedAt, String stopReason) {
  /** Stopped without shutting down: another instance took over after its heartbeats stopped. */
  public boolean lost() {
    return stoppedAt != null && !InstanceRegistry.SHUTDOWN.equals(stopReason);
  }
}
