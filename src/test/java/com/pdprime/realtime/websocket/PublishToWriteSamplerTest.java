package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishToWriteSamplerTest {
  private static final long NOW = 1_764_000_000_000L;

  @Test
  void aChosenWriteRecordsTheTimeSinceItsOldestEventWasPublished() {
    List<Long> recorded = new ArrayList<>();
    Iterator<Boolean> choices = List.of(true, false, true).iterator();
    PublishToWriteSampler sampler =
        new PublishToWriteSampler(choices::next, () -> NOW, recorded::add);

    sampler.eventsWritten(NOW - 12);
    sampler.eventsWritten(NOW - 40);
    sampler.eventsWritten(NOW - 7);

    assertEquals(List.of(12L, 7L), recorded, "the second write was not chosen");
  }

  @Test
  void theEnginesSamplerKeepsAboutOneWriteInEightWithItsLatency() {
    List<Long> recorded = new ArrayList<>();
    PublishToWriteSampler sampler = PublishToWriteSampler.feeding(recorded::add);
    int writes = 80_000;
    for (int i = 0; i < writes; i++) {
      sampler.eventsWritten(System.currentTimeMillis() - 5_000);
    }
    assertTrue(
        recorded.stream().allMatch(millis -> millis >= 5_000 && millis < 60_000),
        "each value is the time since publication: " + recorded.subList(0, 3));
    // 10,000 expected; the binomial's standard deviation is 94, so 9,500-10,500 is over five of
    // them.
    int kept = recorded.size();
    assertEquals(10_000, kept, 500, "writes kept of " + writes);
  }
}
