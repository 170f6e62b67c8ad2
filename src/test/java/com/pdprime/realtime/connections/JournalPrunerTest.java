package com.pdprime.realtime.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JournalPrunerTest {
  @Test
  void aRetentionShorterThanTheDashboardsLongestWindowIsRefusedWithTheReason() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> JournalPruner.retention(167));
    assertTrue(
        refused.getMessage().contains("realtime.connections.retention-hours is 167")
            && refused.getMessage().contains("at least 168"),
        refused.getMessage());
  }

  @Test
  void theMinimumAndLongerAreTakenAsHours() {
    assertEquals(Duration.ofHours(168), JournalPruner.retention(168));
    assertEquals(Duration.ofDays(30), JournalPruner.retention(720));
  }
}
