package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
  private static final Instant RAISED = Instant.parse("2026-11-30T09:00:00Z");

  private static Alert raised() {
    return new Alert(
        7,
        "relay",
        "i1",
        AlertSeverity.CRITICAL,
        "broker down",
        "refused",
        RAISED,
        RAISED,
        1,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void aRepeatCountsOnTheSameAlertAndTakesTheLatestSeverityAndWording() {
    Alert repeated =
        raised()
            .repeated(Sighting.once(AlertSeverity.HIGH, "slow", "420 ms", RAISED.plusSeconds(5)));
    assertEquals(7, repeated.id());
    assertEquals(2, repeated.occurrences());
    assertEquals(AlertSeverity.HIGH, repeated.severity());
    assertEquals("slow", repeated.message());
    assertEquals(RAISED, repeated.raisedAt());
    assertEquals(RAISED.plusSeconds(5), repeated.lastSeenAt());
    assertTrue(repeated.open());
  }

  @Test
  void anAdminResolvesManuallyAndIsRecorded() throws AlertProblem {
    Alert resolved = raised().resolved("ops-alice", RAISED.plusSeconds(60));
    assertFalse(resolved.open());
    assertEquals("ops-alice", resolved.resolvedBy());
    assertEquals(Alert.Resolution.MANUAL, resolved.resolution());
    assertEquals("resolved", resolved.toJson().getString("state"));
  }

  @Test
  void aClearedConditionResolvesAutomaticallyWithNobodyRecorded() throws AlertProblem {
    Alert resolved = raised().resolved(null, RAISED.plusSeconds(3));
    assertNull(resolved.resolvedBy());
    assertEquals(Alert.Resolution.AUTO, resolved.resolution());
    assertEquals("AUTO", resolved.toJson().getString("resolution"));
  }

  @Test
  void aResolvedAlertCannotBeResolvedOrAcknowledgedAgain() throws AlertProblem {
    Alert resolved = raised().resolved("ops-alice", RAISED.plusSeconds(60));
    assertEquals(
        AlertProblem.Kind.ALREADY_RESOLVED,
        assertThrows(AlertProblem.class, () -> resolved.resolved("ops-bob", RAISED)).kind());
    assertEquals(
        AlertProblem.Kind.ALREADY_RESOLVED,
        assertThrows(AlertProblem.class, () -> resolved.acknowledged("ops-bob", RAISED)).kind());
    assertThrows(
        IllegalStateException.class,
        () -> resolved.repeated(Sighting.once(AlertSeverity.LOW, "again", null, RAISED)));
  }

  @Test
  void acknowledgingNamesTheAdminOnceAndKeepsTheAlertOpen() throws AlertProblem {
    Alert acknowledged = raised().acknowledged("ops-alice", RAISED.plusSeconds(10));
    assertTrue(acknowledged.open());
    assertEquals("acknowledged", acknowledged.toJson().getString("state"));
    assertEquals("ops-alice", acknowledged.toJson().getString("acknowledgedBy"));
    AlertProblem twice =
        assertThrows(AlertProblem.class, () -> acknowledged.acknowledged("ops-bob", RAISED));
    assertEquals(AlertProblem.Kind.ALREADY_ACKNOWLEDGED, twice.kind());
    assertTrue(twice.getMessage().contains("ops-alice"), twice.getMessage());
  }

  @Test
  void severityIsLowerCaseOnTheWire() {
    assertEquals("critical", raised().toJson().getString("severity"));
    assertEquals("open", raised().toJson().getString("state"));
  }

  @Test
  void overlongWordingIsCutToTheColumns() {
    Alert repeated =
        raised()
            .repeated(Sighting.once(AlertSeverity.LOW, "m".repeat(5000), "d".repeat(9000), RAISED));
    assertEquals(Alert.MAX_MESSAGE, repeated.message().length());
    assertEquals(Alert.MAX_DETAILS, repeated.details().length());
  }
}
