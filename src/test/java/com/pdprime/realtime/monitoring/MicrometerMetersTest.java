package com.pdprime.realtime.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A redeploy on WildFly: the registry outlives the application, the meters must not. */
class MicrometerMetersTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aRedeployedApplicationStartsFromItsOwnCountsAndState() {
    MicrometerMeters first = meters();
    first.counter("realtime_messages_in_total").inc(5);
    first.gauge("realtime_rooms", () -> 7);
    registry.counter("undertow_requests_total").increment();

    first.removeMeters(new Object());
    MicrometerMeters second = meters();
    Meters.Count messages = second.counter("realtime_messages_in_total");
    second.gauge("realtime_rooms", () -> 2);

    assertEquals(0, messages.count());
    assertEquals(Optional.of(2.0), second.gaugeValue("realtime_rooms"));
    assertTrue(
        registry.find("undertow_requests_total").counter() != null,
        "meters that are not the application's stay");
  }

  private MicrometerMeters meters() {
    MicrometerMeters meters = new MicrometerMeters();
    meters.registry = registry;
    return meters;
  }
}
