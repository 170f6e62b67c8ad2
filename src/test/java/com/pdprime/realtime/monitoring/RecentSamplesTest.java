package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentSamplesTest {
  @Test
  void noSampleHasNoPercentiles() {
    assertTrue(new RecentSamples().percentiles(0).isEmpty());
  }

  @Test
  void medianAndP99AreTheNearestRanksOfTheSamples() {
    RecentSamples samples = new RecentSamples();
    for (int value = 100; value >= 1; value--) {
      samples.add(value);
    }
    Percentiles percentiles = samples.percentiles(100).orElseThrow();
    assertEquals(new Percentiles(100, 50, 99), percentiles);
  }

  @Test
  void onlyTheLastCapacitySamplesCount() {
    RecentSamples samples = new RecentSamples();
    for (int i = 0; i < RecentSamples.CAPACITY; i++) {
      samples.add(1_000_000);
    }
    for (int i = 0; i < RecentSamples.CAPACITY; i++) {
      samples.add(7);
    }
    Percentiles percentiles = samples.percentiles(2L * RecentSamples.CAPACITY).orElseThrow();
    assertEquals(7, percentiles.p99());
    assertEquals(2L * RecentSamples.CAPACITY, percentiles.count());
  }
}
