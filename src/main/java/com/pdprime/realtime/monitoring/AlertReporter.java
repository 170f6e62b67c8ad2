package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How monitors and the relay report a condition: raised while present, cleared when gone. An alert
 * that cannot be written (the database is down, a constraint refused it) is logged at SEVERE and
 * counted in {@code realtime_alert_write_failures_total}, and its sightings are kept here until a
 * write succeeds: at the condition's next report, whether it is still present or has cleared. So a
 * database outage that is over by the time the database answers is still on record, raised when it
 * was first seen, with every check that saw it, and resolved AUTO.
 *
 * <p>Kept per (type, source); both come from the monitors and the relay, never from a client, so
 * the map holds at most one entry per condition a monitor can see.
 */
@ApplicationScoped
public class AlertReporter {
  private static final Logger LOG = Logger.getLogger(AlertReporter.class.getName());

  private record Condition(String type, String source) {}

  private final Map<Condition, Sighting> unwritten = new ConcurrentHashMap<>();

  @Inject SystemAlerts alerts;
  @Inject RealtimeMetrics metrics;

  /** True once the alert is stored, with the sightings that could not be written before. */
  public boolean raise(
      String type, String source, AlertSeverity severity, String message, String details) {
    Condition condition = new Condition(type, source);
    Sighting now = Sighting.once(severity, message, details, Instant.now());
    Sighting earlier = unwritten.remove(condition);
    return write(condition, earlier == null ? now : earlier.and(now));
  }

  /**
   * True once no open alert of (type, source) is left. Sightings not yet written are written first,
   * so the alert is on record before it is resolved.
   */
  public boolean clear(String type, String source) {
    Condition condition = new Condition(type, source);
    Sighting earlier = unwritten.remove(condition);
    if (earlier != null && !write(condition, earlier)) {
      return false;
    }
    try {
      alerts.clear(type, source);
      return true;
    } catch (RuntimeException e) {
      failed("resolve", condition, "condition cleared", e);
      return false;
    }
  }

  private boolean write(Condition condition, Sighting sighting) {
    try {
      alerts.raise(condition.type(), condition.source(), sighting);
      return true;
    } catch (RuntimeException first) {
      // Two instances raising the same (type, source) at once: the unique open key refuses the
      // second insert, and a second attempt finds the first one's row and counts a repeat.
      try {
        alerts.raise(condition.type(), condition.source(), sighting);
        return true;
      } catch (RuntimeException e) {
        e.addSuppressed(first);
        unwritten.merge(condition, sighting, Sighting::and);
        failed(
            "raise",
            condition,
            sighting.severity() + ": " + sighting.message() + " (seen " + sighting.count() + "×)",
            e);
        return false;
      }
    }
  }

  private void failed(String what, Condition condition, String about, RuntimeException e) {
    metrics.alertWriteFailed();
    LOG.log(
        Level.SEVERE,
        "alert "
            + what
            + " could not be written type="
            + condition.type()
            + " source="
            + condition.source()
            + " ("
            + about
            + "); kept to be written at the condition's next report",
        e);
  }
}
