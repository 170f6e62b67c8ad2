package com.pdprime.realtime.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each periodic task of this instance (every monitor, the dashboard ticker, each dashboard
 * stream) last completed a round. A task that has not ticked for two of its periods is stalled: its
 * scheduler thread hangs, or its round keeps failing before the end.
 */
@ApplicationScoped
public class Ticks {
  /** Two periods: one late round is jitter or a slow query; two in a row is not. */
  static final int STALLED_AFTER_PERIODS = 2;

  /** One task's period and last tick (its registration until the first tick). */
  public record Tick(String name, long periodMillis, Instant last) {
    public Duration age(Instant now) {
      return Duration.between(last, now);
    }

    public boolean stalled(Instant now) {
      return age(now).toMillis() > STALLED_AFTER_PERIODS * periodMillis;
    }
  }

  private final Map<String, Tick> ticks = new ConcurrentHashMap<>();

  /** The task starts now; it counts as stalled if it never completes a round. */
  public void register(String name, long periodMillis, Instant now) {
    if (periodMillis <= 0) {
      throw new IllegalArgumentException(name + ": period must be positive, not " + periodMillis);
    }
    ticks.put(name, new Tick(name, periodMillis, now));
  }

  public void tick(String name, Instant now) {
    ticks.computeIfPresent(name, (key, tick) -> new Tick(key, tick.periodMillis(), now));
  }

  /** The task stopped on purpose (a stream without viewers): it is no longer watched. */
  public void unregister(String name) {
    ticks.remove(name);
  }

  public List<Tick> all() {
    List<Tick> all = new ArrayList<>(ticks.values());
    all.sort(Comparator.comparing(Tick::name));
    return all;
  }

  public List<Tick> stalled(Instant now) {
    return all().stream().filter(tick -> tick.stalled(now)).toList();
  }
}
