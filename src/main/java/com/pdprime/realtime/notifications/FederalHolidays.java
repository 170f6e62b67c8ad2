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
 * The days US federal holidays are observed, from Jollyday's United States calendar (country level:
 * New Year, Martin Luther King Jr., Presidents', Memorial, Juneteenth, Independence, Labor,
 * Veterans, Thanksgiving and Christmas Day), with its rule that one falling on a Saturday is
 * observed on the Friday before and one on a Sunday on the Monday after. Jollyday lists Columbus
 * Day per state, not at country level, so it is a business day here (docs/architecture.md).
 */
public final class FederalHolidays {
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
            manager.getHolidays(Year.of(y)).stream()
                // getDate() is the observed date; getActualDate() the calendar one.
                .map(Holiday::getDate)
                .collect(Collectors.toUnmodifiableSet()));
  }
}
