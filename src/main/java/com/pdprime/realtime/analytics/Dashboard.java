package com.pdprime.realtime.analytics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The dashboards the server computes, and how often each is recomputed when nothing marks it. */
public enum Dashboard {
  /**
   * Quote counts move only when quotes change (which marks the stream dirty); the hourly timeline
   * slides by a bucket an hour, and quotes leave the window one by one, so once a minute suffices.
   */
  QUOTES("quotes", Duration.ofMinutes(1), true),
  CONVERSION("conversion", Duration.ofMinutes(1), true),
  /** Connections, latencies and closes change without any quote event: polled every 5 s. */
  PERFORMANCE("performance", Duration.ofSeconds(5), false);

  private final String key;
  private final Duration slide;
  private final boolean quoteFilters;

  Dashboard(String key, Duration slide, boolean quoteFilters) {
    this.key = key;
    this.slide = slide;
    this.quoteFilters = quoteFilters;
  }

  public String key() {
    return key;
  }

  /** The longest a stream goes without recomputing, changed or not. */
  Duration slide() {
    return slide;
  }

  /** Whether the state and agent filters apply (they are quote attributes). */
  boolean takesQuoteFilters() {
    return quoteFilters;
  }

  /** Whether quote events change what this dashboard shows. */
  boolean followsQuotes() {
    return quoteFilters;
  }

  static Optional<Dashboard> named(String key) {
    return Arrays.stream(values()).filter(d -> d.key.equals(key)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(Dashboard::key).toList());
  }
}
