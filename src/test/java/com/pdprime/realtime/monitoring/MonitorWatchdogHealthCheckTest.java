package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MonitorWatchdogHealthCheckTest {
  private static final Instant LAST_TICK = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void aStoppedWatchdogFailsLivenessAfterFiveOfItsPeriods() {
    assertTrue(MonitorWatchdogHealthCheck.live(LAST_TICK, 1_000, LAST_TICK.plusMillis(4_999)));
    assertFalse(MonitorWatchdogHealthCheck.live(LAST_TICK, 1_000, LAST_TICK.plusMillis(5_000)));
  }
}
