package com.pdprime.realtime.monitoring;

import java.util.Locale;

/** How urgently an operator must act on an alert; shown in lower case on the wire. */
public enum AlertSeverity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
