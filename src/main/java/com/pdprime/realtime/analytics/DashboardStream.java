package com.pdprime.realtime.analytics;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * A stream this instance computes while it holds its lease: the last state it published, the
 * version of that state, and whether a quote event has made it stale since.
 */
final class DashboardStream {
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  final DashboardFilter filter;
  long version;
  JsonObject last;
  Instant computedAt;
  Instant snapshotAt;

  /**
   * Set by relay threads, read by the tick: volatile, and only ever set to true outside the tick.
   */
  volatile boolean dirty = true;

  DashboardStream(DashboardFilter filter, long version) {
    this.filter = filter;
    this.version = version;
  }

  /**
   * Recompute when nothing was published yet, when a change came in and the last computation is a
   * second old (at most one update per second), or when the window has slid.
   */
  boolean due(Instant now) {
    if (last == null || computedAt == null) {
      return true;
    }
    Duration since = Duration.between(computedAt, now);
    return dirty && since.compareTo(MIN_INTERVAL) >= 0
        || since.compareTo(filter.dashboard().slide()) >= 0;
  }

  /** How long until a change may be published: zero when the last computation is a second old. */
  Duration untilDue(Instant now) {
    if (computedAt == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, computedAt.plus(MIN_INTERVAL));
    return left.isNegative() ? Duration.ZERO : left;
  }

  boolean snapshotDue(Instant now, Duration every) {
    return last == null || snapshotAt == null || !now.isBefore(snapshotAt.plus(every));
  }
}
