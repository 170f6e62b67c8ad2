package com.pdprime.realtime.monitoring;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Turns a measured per-minute rate into an observation against its threshold. */
final class RateSpike {
  private RateSpike() {}

  static List<Observation> observe(
      OptionalDouble perMinute,
      double maxPerMinute,
      String source,
      AlertSeverity severity,
      String what) {
    if (perMinute.isEmpty()) {
      return List.of();
    }
    double rate = perMinute.getAsDouble();
    if (rate <= maxPerMinute) {
      return List.of(Observation.healthy(source));
    }
    return List.of(
        Observation.failing(
            source,
            severity,
            String.format(
                Locale.ROOT,
                "instance %s had %.1f %s per minute, above the threshold of %.1f",
                source,
                rate,
                what,
                maxPerMinute),
            String.format(Locale.ROOT, "perMinute=%.1f threshold=%.1f", rate, maxPerMinute)));
  }
}
