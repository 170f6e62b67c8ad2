package com.pdprime.realtime.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.monitoring.Observation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceLostMonitorTest {
  private static final Instant SINCE = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void aTakeoverSinceTheLastCheckRaisesAndALiveOrShutDownInstanceClears() {
    List<Observation> seen =
        InstanceLostMonitor.observe(
            List.of(
                new InstanceStatus("live", null, null),
                new InstanceStatus("stopped", SINCE.plusSeconds(1), InstanceRegistry.SHUTDOWN),
                new InstanceStatus("lost", SINCE.plusSeconds(2), "no heartbeat for 10000 ms")),
            SINCE);
    assertEquals(3, seen.size());
    assertFalse(seen.get(0).failing());
    assertFalse(seen.get(1).failing());
    assertTrue(seen.get(2).failing());
    assertEquals("lost", seen.get(2).source());
  }

  @Test
  void aLossBeforeTheLastCheckIsNotRaisedAgain() {
    List<Observation> seen =
        InstanceLostMonitor.observe(
            List.of(new InstanceStatus("lost", SINCE.minusSeconds(1), "no heartbeat")), SINCE);
    assertEquals(List.of(), seen);
  }
}
