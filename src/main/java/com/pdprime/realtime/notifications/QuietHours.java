package com.pdprime.realtime.notifications;

import java.time.LocalTime;

/**
 * A recipient's nightly silence in local time, e.g. 21:00–07:30; it may wrap past midnight. Start
 * and end are distinct (validated), so the span is never empty and never the whole day.
 */
public record QuietHours(LocalTime start, LocalTime end) {
  public QuietHours {
    if (start.equals(end)) {
      throw new IllegalArgumentException("quiet hours start and end at " + start);
    }
  }

  public boolean contains(LocalTime time) {
    if (start.isBefore(end)) {
      return !time.isBefore(start) && time.isBefore(end);
    }
    return !time.isBefore(start) || time.isBefore(end);
  }
}
