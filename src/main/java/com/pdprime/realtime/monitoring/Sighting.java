package com.pdprime.realtime.monitoring;

import java.time.Instant;

/**
 * A condition seen {@code count} times between {@code firstSeen} and {@code lastSeen}, with the
 * severity and wording of its latest sighting: one check's observation, or several a monitor made
 * while their alert could not be written (the database was down).
 */
public record Sighting(
    AlertSeverity severity,
    String message,
    String details,
    Instant firstSeen,
    Instant lastSeen,
    int count) {

  /** One observation, now. */
  public static Sighting once(AlertSeverity severity, String message, String details, Instant at) {
    return new Sighting(severity, message, details, at, at, 1);
  }

  /**
   * Both sightings as one: counted together, from the earlier first to the later last, worded as
   * the later (as this one when both were last seen at the same instant). Count and times come out
   * the same in either order, so sightings merged from two threads add up.
   */
  Sighting and(Sighting other) {
    Sighting later = other.lastSeen.isAfter(lastSeen) ? other : this;
    return new Sighting(
        later.severity,
        later.message,
        later.details,
        firstSeen.isBefore(other.firstSeen) ? firstSeen : other.firstSeen,
        later.lastSeen,
        count + other.count);
  }
}
