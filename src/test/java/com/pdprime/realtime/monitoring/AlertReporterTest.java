package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * While the database is down no alert can be written; what the monitors saw meanwhile is written at
 * the condition's next report, so an outage that is over by then is still on record.
 */
class AlertReporterTest {
  /** The alerts table as the reporter sees it: down (every write fails) or recording writes. */
  private static final class Table extends SystemAlerts {
    boolean down;
    final List<String> writes = new ArrayList<>();
    final List<Sighting> raised = new ArrayList<>();

    @Override
    public Alert raise(String type, String source, Sighting sighting) {
      requireUp();
      writes.add("raise " + type + "/" + source + " ×" + sighting.count());
      raised.add(sighting);
      return null;
    }

    @Override
    public Optional<Alert> clear(String type, String source) {
      requireUp();
      writes.add("clear " + type + "/" + source);
      return Optional.empty();
    }

    private void requireUp() {
      if (down) {
        throw new IllegalStateException("test: the database is down");
      }
    }
  }

  private final Table table = new Table();
  private final MicrometerMeters meters = new MicrometerMeters();
  private final AlertReporter reporter = reporter();

  private AlertReporter reporter() {
    meters.registry = new SimpleMeterRegistry();
    RealtimeMetrics metrics = new RealtimeMetrics();
    metrics.registry = meters;
    AlertReporter reporter = new AlertReporter();
    reporter.alerts = table;
    reporter.metrics = metrics;
    return reporter;
  }

  @Test
  void anOutageOverBeforeTheDatabaseAnswersIsWrittenWithEveryCheckThenResolved() {
    table.down = true;
    Instant before = Instant.now();
    for (int check = 0; check < 3; check++) {
      assertFalse(reporter.raise("database", "local-1", AlertSeverity.CRITICAL, "down", null));
    }
    table.down = false;
    assertTrue(reporter.clear("database", "local-1"));

    assertEquals(List.of("raise database/local-1 ×3", "clear database/local-1"), table.writes);
    Sighting outage = table.raised.get(0);
    assertFalse(outage.firstSeen().isBefore(before));
    assertFalse(outage.lastSeen().isBefore(outage.firstSeen()));
    assertEquals(3, meters.counter("realtime_alert_write_failures_total").count());
  }

  @Test
  void aConditionStillPresentWhenTheDatabaseAnswersIsOneAlertCountingEverySighting() {
    table.down = true;
    reporter.raise("relay", "local-1", AlertSeverity.CRITICAL, "broker gone", null);
    reporter.raise("relay", "local-1", AlertSeverity.CRITICAL, "broker gone", null);
    table.down = false;
    assertTrue(reporter.raise("relay", "local-1", AlertSeverity.HIGH, "broker slow", "12 s"));

    assertEquals(List.of("raise relay/local-1 ×3"), table.writes);
    assertEquals("broker slow", table.raised.get(0).message(), "the latest wording");
    assertTrue(reporter.clear("relay", "local-1"));
    assertEquals(List.of("raise relay/local-1 ×3", "clear relay/local-1"), table.writes);
  }

  @Test
  void aClearWhileTheDatabaseIsStillDownKeepsTheSightingsForLater() {
    table.down = true;
    reporter.raise("database", "local-1", AlertSeverity.CRITICAL, "down", null);
    assertFalse(reporter.clear("database", "local-1"));
    table.down = false;
    assertTrue(reporter.clear("database", "local-1"));
    assertEquals(List.of("raise database/local-1 ×1", "clear database/local-1"), table.writes);
  }

  @Test
  void sightingsMergedInEitherOrderAddUp() {
    Instant t0 = Instant.parse("2026-12-06T08:00:00Z");
    Sighting early = Sighting.once(AlertSeverity.HIGH, "slow", null, t0);
    Sighting late = Sighting.once(AlertSeverity.CRITICAL, "down", null, t0.plusSeconds(5));
    assertEquals(early.and(late), late.and(early));
    Sighting both = early.and(late);
    assertEquals(2, both.count());
    assertEquals(t0, both.firstSeen());
    assertEquals(t0.plusSeconds(5), both.lastSeen());
    assertEquals("down", both.message());
  }
}
