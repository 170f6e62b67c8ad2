package com.pdprime.realtime.notifications;

import java.util.Locale;

/**
 * Where a notification is: {@code held} (waiting for {@code deliverAfter}), {@code delivered}
 * (published on the recipient's room, unread), {@code read}, or {@code muted} (the recipient muted
 * its type; stored, never delivered).
 */
public enum NotificationState {
  HELD,
  DELIVERED,
  READ,
  MUTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static NotificationState ofWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
