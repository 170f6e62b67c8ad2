package com.pdprime.realtime.monitoring;

/** What a {@link Monitor} saw of one source: healthy (severity null) or failing. */
public record Observation(String source, AlertSeverity severity, String message, String details) {
  public static Observation healthy(String source) {
    return new Observation(source, null, null, null);
  }

  public static Observation failing(
      String source, AlertSeverity severity, String message, String details) {
    if (severity == null || message == null) {
      throw new IllegalArgumentException("a failing observation needs a severity and a message");
    }
    return new Observation(source, severity, message, details);
  }

  public boolean failing() {
    return severity != null;
  }
}
