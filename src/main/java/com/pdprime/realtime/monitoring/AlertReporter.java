package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How monitors and the relay report a condition: raised while present, cleared when gone. An alert
 * that cannot be written (the database is down, a constraint refused it) is logged at SEVERE and
 * counted in {@code realtime_alert_write_failures_total}; the caller carries on and reports again
 * on its next check, so the alert is written once the database is back.
 */
@ApplicationScoped
public class AlertReporter {
  private static final Logger LOG = Logger.getLogger(AlertReporter.class.getName());

  @Inject SystemAlerts alerts;
  @Inject RealtimeMetrics metrics;

  /** True once the alert is stored. */
  public boolean raise(
      String type, String source, AlertSeverity severity, String message, String details) {
    try {
      alerts.raise(type, source, severity, message, details);
      return true;
    } catch (RuntimeException first) {
      // Two instances raising the same (type, source) at once: the unique open key refuses the
      // second insert, and a second attempt finds the first one's row and counts a repeat.
      try {
        alerts.raise(type, source, severity, message, details);
        return true;
      } catch (RuntimeException e) {
        e.addSuppressed(first);
        failed("raise", type, source, severity + ": " + message, e);
        return false;
      }
    }
  }

  /** True once no open alert of (type, source) is left. */
  public boolean clear(String type, String source) {
    try {
      alerts.clear(type, source);
      return true;
    } catch (RuntimeException e) {
      failed("resolve", type, source, "condition cleared", e);
      return false;
    }
  }

  private void failed(String what, String type, String source, String about, RuntimeException e) {
    metrics.alertWriteFailed();
    LOG.log(
        Level.SEVERE,
        "alert "
            + what
            + " could not be written type="
            + type
            + " source="
            + source
            + " ("
            + about
            + "); the monitor reports it again on its next check",
        e);
  }
}
