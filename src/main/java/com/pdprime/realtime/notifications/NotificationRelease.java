package com.pdprime.realtime.notifications;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every instance, every {@code realtime.notifications.release.period-ms}: delivers the held
 * notifications whose time has come, the newest of each collapse key only. Instances race for the
 * same rows on purpose (no leader to lose); each row is claimed once ({@link
 * NotificationReleases}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NotificationRelease {
  private static final Logger LOG = Logger.getLogger(NotificationRelease.class.getName());

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject NotificationReleases releases;
  @Inject NotificationClock clock;

  @Inject
  @ConfigProperty(name = "realtime.notifications.release.period-ms")
  long periodMillis;

  private ScheduledFuture<?> task;

  @PostConstruct
  void start() {
    task =
        scheduler.scheduleWithFixedDelay(
            this::run, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    task.cancel(false);
  }

  private void run() {
    try {
      Instant now = clock.now();
      Collapse.Outcome outcome = Collapse.of(releases.due(now));
      for (Notification superseded : outcome.superseded()) {
        releases.supersede(superseded.id());
      }
      int released = 0;
      for (Notification due : outcome.deliver()) {
        if (releases.release(due.id(), now)) {
          released++;
        }
      }
      if (released > 0) {
        LOG.fine("released " + released + " held notifications");
      }
    } catch (RuntimeException e) {
      // A failed run is retried at the next tick; the scheduler would drop a task that threw.
      LOG.log(
          Level.WARNING,
          "releasing held notifications failed; retried in " + periodMillis + " ms",
          e);
    }
  }
}
