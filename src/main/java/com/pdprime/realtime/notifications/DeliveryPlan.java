package com.pdprime.realtime.notifications;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What becomes of a new notification, decided from its type and priority, the recipient's
 * preferences and kind, and the clock: {@code delivered} now, {@code held} until {@code
 * deliverAfter}, or {@code muted}.
 *
 * <p>Customers' normal and low notifications wait for the business window (and outside it, for the
 * end of their quiet hours). Anyone else (agents, admins, service accounts: subjects without a
 * {@code customers} row) works in shifts the platform does not know, so only their own quiet hours
 * hold their routine notifications. Critical and {@code security.*} ones go at once to everyone.
 */
public record DeliveryPlan(NotificationState state, Instant deliverAfter) {

  static DeliveryPlan of(
      String type,
      Priority priority,
      boolean customer,
      Preferences preferences,
      ZoneId zone,
      BusinessHours hours,
      Instant now) {
    if (NotificationTypes.alwaysAtOnce(type, priority)) {
      return new DeliveryPlan(NotificationState.DELIVERED, null);
    }
    if (preferences.muted(type)) {
      return new DeliveryPlan(NotificationState.MUTED, null);
    }
    QuietHours quiet = preferences.quietHours();
    Instant open;
    if (customer) {
      open = hours.nextOpen(now, zone, quiet);
    } else if (hours.quiet(now, zone, quiet)) {
      open = BusinessHours.quietEnd(now.atZone(zone), quiet);
    } else {
      open = now;
    }
    return open.isAfter(now)
        ? new DeliveryPlan(NotificationState.HELD, open)
        : new DeliveryPlan(NotificationState.DELIVERED, null);
  }
}
