package com.pdprime.realtime.notifications;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a routine notification may reach a customer: the first moment, from now on, that is inside
 * the business window on a business day (a window weekday that is no federal holiday) in the
 * recipient's zone, and outside their quiet hours. Pure: the clock, the window and the holidays are
 * given, so tests pin any moment.
 */
public final class BusinessHours {
  // A window day comes at least once a week, and holidays are single days, so a month of days is
  // far more than any search needs; reaching it means a bug, reported rather than looped on.
  private static final int MAX_STEPS = 200;

  private final BusinessWindow window;
  private final FederalHolidays holidays;
  private final Clock clock;

  public BusinessHours(BusinessWindow window, FederalHolidays holidays, Clock clock) {
    this.window = window;
    this.holidays = holidays;
    this.clock = clock;
  }

  public BusinessWindow window() {
    return window;
  }

  /** The first moment from now that is open for the recipient; now itself if it is. */
  public Instant nextOpen(ZoneId zone, QuietHours quiet) {
    return nextOpen(clock.instant(), zone, quiet);
  }

  /** The first moment from {@code from} that is open for the recipient; {@code from} if it is. */
  public Instant nextOpen(Instant from, ZoneId zone, QuietHours quiet) {
    Instant candidate = from;
    for (int step = 0; step < MAX_STEPS; step++) {
      ZonedDateTime local = candidate.atZone(zone);
      LocalDate day = local.toLocalDate();
      LocalTime time = local.toLocalTime();
      if (!businessDay(day) || !time.isBefore(window.closes())) {
        candidate = opening(day.plusDays(1), zone);
      } else if (time.isBefore(window.opens())) {
        candidate = opening(day, zone);
      } else if (quiet != null && quiet.contains(time)) {
        candidate = quietEnd(local, quiet);
      } else {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no open moment found from " + from + " in " + zone + " with quiet hours " + quiet);
  }

  /** Whether the moment is inside quiet hours in the zone (for recipients without a window). */
  public boolean quiet(Instant at, ZoneId zone, QuietHours quiet) {
    return quiet != null && quiet.contains(at.atZone(zone).toLocalTime());
  }

  /** The end of the quiet hours that hold {@code local}. */
  public static Instant quietEnd(ZonedDateTime local, QuietHours quiet) {
    LocalDate day = local.toLocalDate();
    if (!local.toLocalTime().isBefore(quiet.end())) {
      day = day.plusDays(1);
    }
    return ZonedDateTime.of(day, quiet.end(), local.getZone()).toInstant();
  }

  private boolean businessDay(LocalDate day) {
    return window.days().contains(day.getDayOfWeek()) && !holidays.observedOn(day);
  }

  // ZonedDateTime.of moves a local time in a DST gap forward by the gap's length, so an opening at
  // 02:30 on a spring-forward day is 03:30; openings at business hours never fall in one.
  private Instant opening(LocalDate day, ZoneId zone) {
    return ZonedDateTime.of(day, window.opens(), zone).toInstant();
  }
}
