package com.pdprime.realtime.analytics;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardStatesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:20:00Z");

  @Test
  void theTimelineHasOneZeroFilledEntryPerHourOfTheWindow() {
    JsonObject timeline =
        DashboardStates.timeline(
            List.of(
                Instant.parse("2026-11-30T10:01:00Z"),
                Instant.parse("2026-11-30T10:19:59Z"),
                Instant.parse("2026-11-30T08:59:59Z")),
            3,
            NOW);
    assertEquals(
        "{\"2026-11-30T08:00:00Z\":1,\"2026-11-30T09:00:00Z\":0,\"2026-11-30T10:00:00Z\":2}",
        timeline.toString());
  }

  @Test
  void aMergePatchBetweenTwoTimelinesCarriesOnlyWhatChanged() {
    JsonObject before = DashboardStates.timeline(List.of(), 3, NOW);
    JsonObject after =
        DashboardStates.timeline(
            List.of(Instant.parse("2026-11-30T11:05:00Z")), 3, NOW.plusSeconds(3600));
    assertEquals(
        "{\"2026-11-30T08:00:00Z\":null,\"2026-11-30T11:00:00Z\":1}",
        JSON.createMergeDiff(before, after).toJsonValue().toString());
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> values = List.of(5L, 1L, 4L, 2L, 3L, 10L, 9L, 8L, 7L, 6L);
    assertEquals(5L, DashboardStates.percentile(values, 0.5));
    assertEquals(10L, DashboardStates.percentile(values, 0.95));
    assertEquals(1L, DashboardStates.percentile(List.of(1L), 0.99));
    assertNull(DashboardStates.percentile(List.of(), 0.5));
  }
}
