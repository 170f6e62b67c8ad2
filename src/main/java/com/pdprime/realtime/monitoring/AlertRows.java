package com.pdprime.realtime.monitoring;

import java.sql.Timestamp;
import java.time.Instant;

/** Reads a {@code system_alerts} row as {@link SystemAlerts} selects it. */
final class AlertRows {
  private AlertRows() {}

  static Alert alert(Object[] row) {
    return new Alert(
        ((Number) row[0]).longValue(),
        (String) row[1],
        (String) row[2],
        AlertSeverity.valueOf((String) row[3]),
        (String) row[4],
        (String) row[5],
        instant(row[6]),
        instant(row[7]),
        ((Number) row[8]).intValue(),
        (String) row[9],
        instant(row[10]),
        (String) row[11],
        instant(row[12]),
        row[13] == null ? null : Alert.Resolution.valueOf((String) row[13]));
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof java.time.LocalDateTime local) {
      return Timestamp.valueOf(local).toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
  }
}
