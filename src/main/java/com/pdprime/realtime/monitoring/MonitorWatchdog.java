package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Watches the watchers: on its own scheduled task it checks every {@link Ticks} entry and raises a
 * CRITICAL {@code stalled} alert for a task that missed two of its periods, resolved when it ticks
 * again. {@link MonitorsHealthCheck} turns readiness down meanwhile; the watchdog's own tick is
 * checked by liveness ({@link MonitorWatchdogHealthCheck}).
 */
@Singleton
@Startup
// Its own locking: the container's write lock would make health checks wait for a whole round.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@DependsOn("Monitors")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MonitorWatchdog {
  private static final Logger LOG = Logger.getLogger(MonitorWatchdog.class.getName());
  public static final String ALERT_TYPE = "stalled";

  @Inject Ticks ticks;
  @Inject AlertReporter reporter;
  @Inject InstanceIdentity instance;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "realtime.monitor.watchdog.period-ms")
  long periodMillis;

  private volatile Instant lastTick = Instant.now();
  private final Set<String> reported = new HashSet<>();
  private boolean firstRound = true;
  private ScheduledFuture<?> task;

  @PostConstruct
  void start() {
    task =
        scheduler.scheduleWithFixedDelay(
            this::roundSafely, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    task.cancel(false);
  }

  public Instant lastTick() {
    return lastTick;
  }

  public long periodMillis() {
    return periodMillis;
  }

  /** The alert source for a task of this instance. */
  public String source(String tick) {
    return tick + "@" + instance.id();
  }

  private void roundSafely() {
    try {
      round(Instant.now());
      lastTick = Instant.now();
    } catch (RuntimeException e) {
      // No tick: liveness fails after five missed rounds rather than the watchdog dying unseen.
      LOG.log(Level.SEVERE, "monitor watchdog round failed", e);
    }
  }

  private synchronized void round(Instant now) {
    for (Ticks.Tick tick : ticks.all()) {
      if (tick.stalled(now)) {
        reporter.raise(
            ALERT_TYPE,
            source(tick.name()),
            AlertSeverity.CRITICAL,
            tick.name()
                + " on instance "
                + instance.id()
                + " has not completed a round for "
                + tick.age(now).toMillis()
                + " ms (period "
                + tick.periodMillis()
                + " ms); what it watches is not watched",
            "lastTick=" + tick.last() + " periodMillis=" + tick.periodMillis());
        reported.add(tick.name());
      } else if (firstRound || reported.contains(tick.name())) {
        // The first round also resolves what this instance's previous run left open.
        if (reporter.clear(ALERT_TYPE, source(tick.name()))) {
          reported.remove(tick.name());
        }
      }
    }
    firstRound = false;
  }
}
