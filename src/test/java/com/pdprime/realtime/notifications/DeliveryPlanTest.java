package com.pdprime.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pdprime.realtime.testing.MovableClock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What becomes of a notification sent at 03:00 EST on Wednesday 2026-12-02. */
class DeliveryPlanTest {
  private static final Instant THREE_AM_EST = Instant.parse("2026-12-02T08:00:00Z");
  private static final ZoneId EASTERN = ZoneId.of("America/New_York");
  private static final BusinessHours HOURS =
      new BusinessHours(
          new BusinessWindow(
              LocalTime.of(9, 0),
              LocalTime.of(17, 0),
              EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)),
          new FederalHolidays(),
          new MovableClock(THREE_AM_EST));
  private static final Preferences MUTES_RATES =
      new Preferences(null, null, Set.of("rates.changed"));

  private static DeliveryPlan plan(
      String type, Priority priority, boolean customer, Preferences p) {
    return DeliveryPlan.of(type, priority, customer, p, EASTERN, HOURS, THREE_AM_EST);
  }

  @Test
  void aCustomersRoutineNotificationWaitsForTheWindow() {
    assertEquals(
        new DeliveryPlan(NotificationState.HELD, Instant.parse("2026-12-02T14:00:00Z")),
        plan("rates.changed", Priority.NORMAL, true, Preferences.NONE));
    assertEquals(
        NotificationState.HELD,
        plan("rates.changed", Priority.LOW, true, Preferences.NONE).state());
  }

  @Test
  void criticalAndSecurityNotificationsGoAtOnce() {
    assertEquals(
        new DeliveryPlan(NotificationState.DELIVERED, null),
        plan("quote.bound", Priority.CRITICAL, true, Preferences.NONE));
    assertEquals(
        new DeliveryPlan(NotificationState.DELIVERED, null),
        plan("security.login", Priority.NORMAL, true, Preferences.NONE));
  }

  @Test
  void aMutedTypeIsMutedUnlessCritical() {
    assertEquals(
        new DeliveryPlan(NotificationState.MUTED, null),
        plan("rates.changed", Priority.NORMAL, true, MUTES_RATES));
    assertEquals(
        NotificationState.DELIVERED,
        plan("rates.changed", Priority.CRITICAL, true, MUTES_RATES).state());
  }

  @Test
  void staffAreHeldOnlyByTheirOwnQuietHours() {
    assertEquals(
        NotificationState.DELIVERED,
        plan("rates.changed", Priority.NORMAL, false, Preferences.NONE).state());
    Preferences nights =
        new Preferences(null, new QuietHours(LocalTime.of(22, 0), LocalTime.of(6, 30)), Set.of());
    assertEquals(
        new DeliveryPlan(NotificationState.HELD, Instant.parse("2026-12-02T11:30:00Z")),
        plan("rates.changed", Priority.NORMAL, false, nights));
  }
}
