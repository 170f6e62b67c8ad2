package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  /**
   * A round is spread over its ticks only if connection ids fill the slices evenly: 10,000
   * connections make 400 pings a tick, never a tick with most of them.
   */
  @Test
  void connectionIdsFillEverySliceEvenly() {
    int connections = 10_000;
    int[] perSlice = new int[Heartbeat.SLICES];
    for (int i = 0; i < connections; i++) {
      perSlice[Heartbeat.sliceOf(UUID.randomUUID().toString())]++;
    }
    int expected = connections / Heartbeat.SLICES;
    for (int slice = 0; slice < Heartbeat.SLICES; slice++) {
      // 400 expected, a standard deviation of about 20: a quarter off means a skewed slicing.
      assertTrue(
          Math.abs(perSlice[slice] - expected) < expected / 4,
          "slice " + slice + " holds " + perSlice[slice] + " of " + connections + " connections");
    }
  }
}
