package com.pdprime.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.MovableClock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a customer's routine notification may arrive: 09:00–17:00 Monday to Friday in their zone,
 * federal holidays (observed dates) excepted. 2026-12-02 is a Wednesday.
 */
class BusinessHoursTest {
  private static final FederalHolidays HOLIDAYS = new FederalHolidays();
  private static final BusinessWindow WEEKDAYS =
      new BusinessWindow(
          LocalTime.of(9, 0),
          LocalTime.of(17, 0),
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));

  private static Instant open(String from, String zone) {
    return open(WEEKDAYS, from, zone, null);
  }

  private static Instant open(BusinessWindow window, String from, String zone, QuietHours quiet) {
    Instant at = Instant.parse(from);
    return new BusinessHours(window, HOLIDAYS, new MovableClock(at))
        .nextOpen(ZoneId.of(zone), quiet);
  }

  @ParameterizedTest(name = "{0} at {1} opens at {2}")
  @CsvSource({
    // 03:00 EST on a Wednesday waits for 09:00 EST
    "America/New_York, 2026-12-02T08:00:00Z, 2026-12-02T14:00:00Z",
    // 03:00 CST waits for 09:00 CST
    "America/Chicago, 2026-12-02T09:00:00Z, 2026-12-02T15:00:00Z",
    // 08:30 MST waits for 09:00 MST
    "America/Denver, 2026-12-02T15:30:00Z, 2026-12-02T16:00:00Z",
    // 08:30 PST waits half an hour; 09:30 PST is open
    "America/Los_Angeles, 2026-12-02T16:30:00Z, 2026-12-02T17:00:00Z",
    "America/Los_Angeles, 2026-12-02T17:30:00Z, 2026-12-02T17:30:00Z",
    // Alaska (UTC-9 in winter) and Hawaii (UTC-10, no DST)
    "America/Anchorage, 2026-12-02T17:30:00Z, 2026-12-02T18:00:00Z",
    "Pacific/Honolulu, 2026-12-02T18:30:00Z, 2026-12-02T19:00:00Z",
    "Pacific/Honolulu, 2026-07-08T18:30:00Z, 2026-07-08T19:00:00Z",
    // In July Arizona stays on UTC-7 while Denver moves to UTC-6: 15:30Z is 08:30 in Phoenix
    // (waits) and 09:30 in Denver (open)
    "America/Phoenix, 2026-07-08T15:30:00Z, 2026-07-08T16:00:00Z",
    "America/Denver, 2026-07-08T15:30:00Z, 2026-07-08T15:30:00Z",
    "America/Phoenix, 2026-12-02T15:30:00Z, 2026-12-02T16:00:00Z",
  })
  void eachZoneCountsItsOwnHours(String zone, String from, String expected) {
    assertEquals(Instant.parse(expected), open(from, zone));
  }

  @Test
  void createdAt1659GoesAtOnceAndAt1701WaitsForTheNextMorning() {
    // 16:59 and 17:01 EST on Wednesday 2026-12-02
    assertEquals(
        Instant.parse("2026-12-02T21:59:00Z"), open("2026-12-02T21:59:00Z", "America/New_York"));
    assertEquals(
        Instant.parse("2026-12-03T14:00:00Z"), open("2026-12-02T22:01:00Z", "America/New_York"));
  }

  @Test
  void fridayEveningWaitsForMonday() {
    assertEquals(
        Instant.parse("2026-12-07T14:00:00Z"), open("2026-12-04T22:01:00Z", "America/New_York"));
  }

  @Test
  void theMondayAfterSpringForwardOpensAtNineDaylightTime() {
    // Saturday 2026-03-07 noon EST; clocks go forward on Sunday 03-08; Monday 09:00 EDT is 13:00Z
    assertEquals(
        Instant.parse("2026-03-09T13:00:00Z"), open("2026-03-07T17:00:00Z", "America/New_York"));
    assertEquals(
        Instant.parse("2026-03-09T14:00:00Z"), open("2026-03-07T18:00:00Z", "America/Chicago"));
  }

  @Test
  void theMondayAfterFallBackOpensAtNineStandardTime() {
    // Saturday 2026-10-31 noon EDT; clocks go back on Sunday 11-01; Monday 09:00 EST is 14:00Z
    assertEquals(
        Instant.parse("2026-11-02T14:00:00Z"), open("2026-10-31T16:00:00Z", "America/New_York"));
    assertEquals(
        Instant.parse("2026-11-02T17:00:00Z"), open("2026-10-31T19:00:00Z", "America/Los_Angeles"));
  }

  @Test
  void onTheSwitchDaysTheWindowOpensAtNineLocalTime() {
    BusinessWindow everyDay =
        new BusinessWindow(LocalTime.of(9, 0), LocalTime.of(17, 0), EnumSet.allOf(DayOfWeek.class));
    // 01:00 EST on Sunday 2026-03-08, before the 02:00 jump: 09:00 EDT is 13:00Z
    assertEquals(
        Instant.parse("2026-03-08T13:00:00Z"),
        open(everyDay, "2026-03-08T06:00:00Z", "America/New_York", null));
    // 01:30 EDT on Sunday 2026-11-01, the first of the two 01:30s: 09:00 EST is 14:00Z
    assertEquals(
        Instant.parse("2026-11-01T14:00:00Z"),
        open(everyDay, "2026-11-01T05:30:00Z", "America/New_York", null));
    // Arizona has no switch: 09:00 MST is 16:00Z on both days
    assertEquals(
        Instant.parse("2026-03-08T16:00:00Z"),
        open(everyDay, "2026-03-08T06:00:00Z", "America/Phoenix", null));
  }

  @Test
  void independenceDayOnASaturdayIsObservedOnFriday() {
    // 2026-07-04 is a Saturday: Friday 07-03 is off, so Thursday evening waits for Monday 07-06
    assertEquals(
        Instant.parse("2026-07-06T13:00:00Z"), open("2026-07-02T21:30:00Z", "America/New_York"));
  }

  @Test
  void independenceDayOnASundayIsObservedOnMonday() {
    // 2027-07-04 is a Sunday: Monday 07-05 is off, so Friday evening waits for Tuesday
    assertEquals(
        Instant.parse("2027-07-06T13:00:00Z"), open("2027-07-02T22:00:00Z", "America/New_York"));
  }

  @Test
  void newYearOnASaturdayIsObservedOnTheFridayOfTheYearBefore() {
    // 2028-01-01 is a Saturday: Friday 2027-12-31 is off
    assertEquals(
        Instant.parse("2028-01-03T14:00:00Z"), open("2027-12-30T22:30:00Z", "America/New_York"));
  }

  @Test
  void thanksgivingIsOff() {
    // Wednesday 2026-11-25 17:30 EST waits past Thursday 11-26 to Friday 09:00
    assertEquals(
        Instant.parse("2026-11-27T14:00:00Z"), open("2026-11-25T22:30:00Z", "America/New_York"));
  }

  @Test
  void theElevenFederalHolidaysOf2026AndNoOtherDay() {
    List<String> federal =
        List.of(
            "2026-01-01",
            "2026-01-19",
            "2026-02-16",
            "2026-05-25",
            "2026-06-19",
            "2026-07-03",
            "2026-09-07",
            "2026-10-12",
            "2026-11-11",
            "2026-11-26",
            "2026-12-25");
    List<String> observed =
        LocalDate.parse("2026-01-01")
            .datesUntil(LocalDate.parse("2027-01-01"))
            .filter(HOLIDAYS::observedOn)
            .map(LocalDate::toString)
            .toList();
    assertEquals(federal, observed);
  }

  @Test
  void federalHolidaysAreTheirObservedDates() {
    for (String day :
        new String[] {
          "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
          "2026-09-07", "2026-11-11", "2026-11-26", "2026-12-25", "2027-06-18", "2027-07-05",
          "2027-12-24", "2027-12-31", "2028-11-10"
        }) {
      assertTrue(HOLIDAYS.observedOn(LocalDate.parse(day)), day);
    }
    for (String day : new String[] {"2026-07-04", "2027-07-04", "2026-12-02", "2028-01-01"}) {
      assertFalse(HOLIDAYS.observedOn(LocalDate.parse(day)), day);
    }
  }

  @Test
  void quietHoursExtendTheHold() {
    QuietHours morning = new QuietHours(LocalTime.of(8, 0), LocalTime.of(10, 30));
    // 09:15 EST is in the window but quiet until 10:30 EST
    assertEquals(
        Instant.parse("2026-12-02T15:30:00Z"),
        open(WEEKDAYS, "2026-12-02T14:15:00Z", "America/New_York", morning));
    QuietHours evening = new QuietHours(LocalTime.of(16, 0), LocalTime.of(8, 0));
    // 16:30 EST is quiet until 08:00, and the window opens at 09:00
    assertEquals(
        Instant.parse("2026-12-03T14:00:00Z"),
        open(WEEKDAYS, "2026-12-02T21:30:00Z", "America/New_York", evening));
    // 15:00 EST is outside the quiet hours and inside the window
    assertEquals(
        Instant.parse("2026-12-02T20:00:00Z"),
        open(WEEKDAYS, "2026-12-02T20:00:00Z", "America/New_York", evening));
  }

  @Test
  void quietHoursThatCoverTheWholeWindowAreRecognised() {
    assertFalse(
        WEEKDAYS.leavesTimeOutside(new QuietHours(LocalTime.of(8, 0), LocalTime.of(17, 0))));
    assertFalse(
        WEEKDAYS.leavesTimeOutside(new QuietHours(LocalTime.of(20, 0), LocalTime.of(17, 0))));
    assertTrue(
        WEEKDAYS.leavesTimeOutside(new QuietHours(LocalTime.of(8, 0), LocalTime.of(16, 59))));
  }
}
