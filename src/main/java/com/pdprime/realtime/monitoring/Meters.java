package com.pdprime.realtime.monitoring;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The application's meters, whichever metrics library the server provides: MicroProfile Metrics on
 * Payara ({@link MicroProfileMeters}), Micrometer on WildFly, which no longer ships MicroProfile
 * Metrics ({@link MicrometerMeters}). Names and tags are the same on both, so {@code /metrics}
 * shows the same series (docs/operations.md, "Metrics"). Each implementation is a bean whose class
 * loads only where its library exists, so exactly one is injected; a server with neither library
 * (or both) fails the deployment on an unsatisfied (or ambiguous) {@code Meters}, never silently.
 *
 * <p>Tags are given as name/value pairs: {@code counter("realtime_closes_total", "code", "1000")}.
 */
public interface Meters {
  Count counter(String name, String... tags);

  Distribution histogram(String name, String... tags);

  /**
   * Registers a gauge read from {@code value} at every scrape; a second one of a name is ignored.
   */
  void gauge(String name, Supplier<Number> value);

  /** The current value of a gauge, or empty if it is not registered. */
  Optional<Number> gaugeValue(String name);

  /** A counter's counts by the value of {@code tag}, over every counter of that name. */
  Map<String, Long> countsBy(String name, String tag);

  /** A counter; the count is what {@code /metrics} shows. */
  interface Count {
    void inc(long n);

    long count();

    default void inc() {
      inc(1);
    }
  }

  /** A distribution of recorded values (milliseconds, recipients), with its percentiles. */
  interface Distribution {
    void update(long value);

    /** The median and 99th percentile as {@code /metrics} shows them; empty before a sample. */
    Optional<Percentiles> percentiles();
  }
}
