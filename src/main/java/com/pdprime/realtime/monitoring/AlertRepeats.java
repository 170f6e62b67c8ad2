package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits {@code alert.repeated} events to one per alert per 10 s on this instance: a monitor that
 * sees its condition every second would otherwise fill {@code admin:alerts} and its history with
 * counts nobody reads. The count itself is stored on every repeat; only the announcement waits.
 */
@ApplicationScoped
public class AlertRepeats {
  static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  private final Clock clock;
  private final Duration minInterval;
  private final Map<Long, Instant> lastAnnounced = new ConcurrentHashMap<>();

  AlertRepeats() {
    this(Clock.systemUTC(), MIN_INTERVAL);
  }

  AlertRepeats(Clock clock, Duration minInterval) {
    this.clock = clock;
    this.minInterval = minInterval;
  }

  /** Entries past this many are pruned: alerts resolved by another instance leave theirs here. */
  static final int PRUNE_ABOVE = 1024;

  /** Whether a repeat of the alert is announced now; true at most once per interval. */
  boolean announce(long alertId) {
    Instant now = clock.instant();
    if (lastAnnounced.size() > PRUNE_ABOVE) {
      lastAnnounced.values().removeIf(last -> !now.isBefore(last.plus(minInterval)));
    }
    boolean[] due = {false};
    lastAnnounced.compute(
        alertId,
        (id, last) -> {
          if (last == null || !now.isBefore(last.plus(minInterval))) {
            due[0] = true;
            return now;
          }
          return last;
        });
    return due[0];
  }

  /** The alert was just raised: {@code alert.raised} counts as its announcement. */
  void raised(long alertId) {
    lastAnnounced.put(alertId, clock.instant());
  }

  /** The alert was resolved: it repeats no more. */
  void resolved(long alertId) {
    lastAnnounced.remove(alertId);
  }
}
