package com.pdprime.realtime.notifications;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The notifications' clock: the system's UTC clock, moved by an offset only through the test-only
 * {@link NotificationClockResource} (realtime.notifications.clock-for-test). An offset rather than
 * a fixed instant, so time still passes for the release job and the rate window while a test runs.
 */
@ApplicationScoped
public class NotificationClock {
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public Clock clock() {
    return Clock.offset(Clock.systemUTC(), offset.get());
  }

  public Instant now() {
    return clock().instant();
  }

  /** Moves this instance's clock so that it reads {@code now} at this moment. */
  void set(Instant now) {
    offset.set(Duration.between(Instant.now(), now));
  }
}
