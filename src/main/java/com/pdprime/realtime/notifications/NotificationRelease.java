package com.pdprime.realtime.notifications;

import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
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

  @Inject Timers timers;
  @Inject NotificationReleases releases;
  @Inject NotificationClock clock;

  @Inject
  @ConfigProperty(name = "realtime.notifications.release.period-ms")
  long periodMillis;

  @PostConstruct
  void start() {
    timers.every("notification release", periodMillis, this::run);
  }

  private void run() {
    Collapse.Outcome outcome;
    Instant now = clock.now();
    try {
      outcome = Collapse.of(releases.due(now));
    } catch (RuntimeException e) {
      // Retried at the next tick, so a WARNING, not the SEVERE of a run that throws (Timers).
      LOG.log(
          Level.WARNING, "reading due notifications failed; retried in " + periodMillis + " ms", e);
      return;
    }
    for (Notification superseded : outcome.superseded()) {
      attempt(superseded, () -> releases.supersede(superseded.id()));
    }
    for (Notification due : outcome.deliver()) {
      // One row that cannot be published (rolled back, still held) must not hold up the others.
      attempt(due, () -> releases.release(due.id(), now));
    }
  }

  private void attempt(Notification row, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "held notification " + row.id() + " stays held; retried in " + periodMillis + " ms",
          e);
    }
  }
}
