package com.pdprime.realtime.notifications;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayCalendar;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The days the eleven US federal holidays (5 U.S.C. 6103) are observed, from Jollyday's United
 * States calendar, with its rule that one falling on a Saturday is observed on the Friday before
 * and one on a Sunday on the Monday after. Jollyday's country level has ten of them: it lists the
 * second Monday of October (Columbus Day) per state. Its District of Columbia subdivision adds
 * exactly that day (as Indigenous Peoples' Day) and a second name for Presidents' Day, so the
 * federal calendar here is Jollyday's {@code us/dc} one; BusinessHoursTest pins the eleven dates of
 * a year, so a change in the library's data shows.
 */
public final class FederalHolidays {
  private static final String FEDERAL_DISTRICT = "dc";
  private final HolidayManager manager =
      HolidayManager.getInstance(ManagerParameters.create(HolidayCalendar.UNITED_STATES));
  private final Map<Integer, Set<LocalDate>> observedByYear = new ConcurrentHashMap<>();

  /**
   * Whether {@code date} is a day off: a holiday's observed date (the date itself if not moved).
   */
  public boolean observedOn(LocalDate date) {
    // A year's holidays can be observed in the year before: 1 January on a Saturday is observed on
    // 31 December (e.g. 2027-12-31 for 2028).
    return observed(date.getYear()).contains(date) || observed(date.getYear() + 1).contains(date);
  }

  private Set<LocalDate> observed(int year) {
    return observedByYear.computeIfAbsent(
        year,
        y ->
            manager.getHolidays(Year.of(y), FEDERAL_DISTRICT).stream()
                // getDate() is the observed date; getActualDate() the calendar one.
                .map(Holiday::getDate)
                .collect(Collectors.toUnmodifiableSet()));
  }
}
