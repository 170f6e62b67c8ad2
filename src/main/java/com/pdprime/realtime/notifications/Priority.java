package com.pdprime.realtime.notifications;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How urgent a notification is. {@code critical} ones are never held and never muted; {@code
 * normal} and {@code low} ones wait for a customer's business window and can be muted by type.
 */
public enum Priority {
  CRITICAL,
  NORMAL,
  LOW;

  /** The name on the wire and in the database: lower case. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Priority> ofWire(String text) {
    return Arrays.stream(values()).filter(p -> p.wire().equals(text)).findFirst();
  }
}
