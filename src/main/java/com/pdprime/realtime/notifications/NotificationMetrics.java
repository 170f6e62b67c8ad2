package com.pdprime.realtime.notifications;

import com.pdprime.realtime.monitoring.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The notifications' counters, each by {@code priority}, under the application scope at {@code
 * /metrics} ({@link Meters}): accepted ({@code sent}), held at sending, released by the job,
 * delivered (at once or released), read, muted and refused for the rate ({@code rate_limited}).
 */
@ApplicationScoped
public class NotificationMetrics {
  static final String PREFIX = "realtime_notifications_";

  @Inject Meters registry;

  void sent(Priority priority) {
    count("sent", priority);
  }

  void held(Priority priority) {
    count("held", priority);
  }

  void released(Priority priority) {
    count("released", priority);
  }

  void delivered(Priority priority) {
    count("delivered", priority);
  }

  void read(Priority priority) {
    count("read", priority);
  }

  void muted(Priority priority) {
    count("muted", priority);
  }

  void rateLimited(Priority priority) {
    count("rate_limited", priority);
  }

  private void count(String what, Priority priority) {
    registry.counter(PREFIX + what + "_total", "priority", priority.wire()).inc();
  }
}
