package com.pdprime.realtime.notifications;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * The hours in the recipient's zone when a customer may be sent a routine notification: {@code
 * opens} (inclusive) to {@code closes} (exclusive) on {@code days}, federal holidays excepted.
 */
public record BusinessWindow(LocalTime opens, LocalTime closes, Set<DayOfWeek> days) {
  public BusinessWindow {
    if (!opens.isBefore(closes)) {
      throw new IllegalArgumentException(
          "the business window must open before it closes: " + opens + "–" + closes);
    }
    if (days.isEmpty()) {
      throw new IllegalArgumentException("the business window needs at least one weekday");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
  }

  /** Whether quiet hours leave at least one minute of the window open. */
  boolean leavesTimeOutside(QuietHours quiet) {
    for (LocalTime t = opens; t.isBefore(closes); t = t.plusMinutes(1)) {
      if (!quiet.contains(t)) {
        return true;
      }
      if (t.equals(LocalTime.MAX.withSecond(0).withNano(0))) {
        break;
      }
    }
    return false;
  }
}
