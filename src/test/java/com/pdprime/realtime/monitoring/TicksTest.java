package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicksTest {
  private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");
  private final Ticks ticks = new Ticks();

  private List<String> stalledAt(long millisAfterStart) {
    return ticks.stalled(START.plusMillis(millisAfterStart)).stream()
        .map(Ticks.Tick::name)
        .toList();
  }

  @Test
  void aTaskIsStalledOnlyAfterTwoOfItsPeriodsWithoutATick() {
    ticks.register("database", 5_000, START);
    ticks.register("relay", 1_000, START);
    assertEquals(List.of(), stalledAt(2_000));
    assertEquals(List.of("relay"), stalledAt(2_001));
    ticks.tick("relay", START.plusMillis(2_500));
    assertEquals(List.of(), stalledAt(4_500));
    assertEquals(List.of("relay"), stalledAt(4_501));
    assertEquals(List.of("database", "relay"), stalledAt(10_001));
  }

  @Test
  void aTaskThatNeverTicksIsStalledFromItsRegistration() {
    ticks.register("error-rate", 10_000, START);
    assertTrue(stalledAt(20_000).isEmpty());
    assertEquals(List.of("error-rate"), stalledAt(20_001));
  }

  @Test
  void anUnregisteredTaskIsNoLongerWatchedAndUnknownTicksAreIgnored() {
    ticks.register("dashboard:analytics:quotes", 1_000, START);
    ticks.unregister("dashboard:analytics:quotes");
    ticks.tick("dashboard:analytics:quotes", START);
    assertEquals(List.of(), stalledAt(60_000));
  }

  @Test
  void aPeriodMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> ticks.register("broken", 0, START));
  }
}
