package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertRepeatsTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private final AlertRepeats repeats = new AlertRepeats(clock, Duration.ofSeconds(10));

  @Test
  void aRepeatIsAnnouncedAtMostOncePerTenSecondsPerAlert() {
    assertTrue(repeats.announce(1));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(repeats.announce(1));
    assertTrue(repeats.announce(2), "another alert has its own allowance");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(repeats.announce(1));
    assertFalse(repeats.announce(1));
  }

  @Test
  void theRaiseCountsAsTheFirstAnnouncement() {
    repeats.raised(1);
    clock.advance(Duration.ofSeconds(9));
    assertFalse(repeats.announce(1));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(repeats.announce(1));
  }

  @Test
  void aResolvedAlertIsForgotten() {
    repeats.raised(1);
    repeats.resolved(1);
    assertTrue(repeats.announce(1));
  }
}
