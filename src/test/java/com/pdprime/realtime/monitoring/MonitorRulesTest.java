package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MonitorRulesTest {
  private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void aCounterRateNeedsTwoReadingsAndIsPerMinute() {
    CounterRate rate = new CounterRate();
    assertTrue(rate.perMinute(100, T0).isEmpty());
    assertEquals(OptionalDouble.of(60.0), rate.perMinute(110, T0.plusSeconds(10)));
    assertEquals(OptionalDouble.of(0.0), rate.perMinute(110, T0.plusSeconds(20)));
  }

  @Test
  void aRateAboveTheThresholdFailsAndAtOrBelowItIsHealthy() {
    List<Observation> spike =
        RateSpike.observe(OptionalDouble.of(601), 600, "i1", AlertSeverity.HIGH, "error frames");
    assertTrue(spike.get(0).failing());
    assertEquals(AlertSeverity.HIGH, spike.get(0).severity());
    assertTrue(spike.get(0).message().contains("601.0 error frames per minute"));
    assertFalse(
        RateSpike.observe(OptionalDouble.of(600), 600, "i1", AlertSeverity.HIGH, "x")
            .get(0)
            .failing());
    assertEquals(
        List.of(), RateSpike.observe(OptionalDouble.empty(), 600, "i1", AlertSeverity.HIGH, "x"));
  }

  @Test
  void connectionsWarnFromTheThresholdAndAreHighAtCapacity() {
    assertFalse(ConnectionCapacityMonitor.observe(8_999, 10_000, 90, "i1").failing());
    Observation near = ConnectionCapacityMonitor.observe(9_000, 10_000, 90, "i1");
    assertEquals(AlertSeverity.MEDIUM, near.severity());
    assertTrue(near.message().contains("90% of its capacity of 10000"), near.message());
    assertEquals(
        AlertSeverity.HIGH, ConnectionCapacityMonitor.observe(10_000, 10_000, 90, "i1").severity());
  }

  @Test
  void aDatabaseDownIsCriticalSlowIsHighAndFastIsHealthy() {
    assertEquals(
        AlertSeverity.CRITICAL,
        DatabaseMonitor.observe(new DatabaseProbe.Result(false, 2000, "refused"), 500, "i1")
            .severity());
    assertEquals(
        AlertSeverity.HIGH,
        DatabaseMonitor.observe(new DatabaseProbe.Result(true, 501, null), 500, "i1").severity());
    assertFalse(
        DatabaseMonitor.observe(new DatabaseProbe.Result(true, 500, null), 500, "i1").failing());
  }
}
