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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Watches the watchers: on its own scheduled task it checks every {@link Ticks} entry and raises a
 * CRITICAL {@code stalled} alert for a task that missed two of its periods, resolved when it ticks
 * again. {@link MonitorsHealthCheck} turns readiness down meanwhile; the watchdog's own tick is
 * checked by liveness ({@link MonitorWatchdogHealthCheck}). It runs on a managed thread of its own,
 * not on the monitors' threads or the engine's one scheduler thread ({@link Monitors}), so a
 * monitor that hangs is reported rather than hanging the watchdog with it.
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
  @Inject SystemAlerts alerts;
  @Inject InstanceIdentity instance;
  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "realtime.monitor.watchdog.period-ms")
  long periodMillis;

  private volatile Instant lastTick = Instant.now();
  private final Set<String> reported = new HashSet<>();
  private boolean firstRound = true;
  private RoundThreads rounds;

  @PostConstruct
  void start() {
    // Its own thread from the start: it must not wait for the scheduler it may have to report.
    rounds = new RoundThreads("monitor watchdog", 1, threads, RoundThreads.STOP_WAIT_MILLIS);
    rounds.every(periodMillis, this::roundSafely);
  }

  /** Not synchronized: the round it waits for holds this bean's lock. */
  @PreDestroy
  public void stop() {
    rounds.stop();
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
    if (firstRound) {
      resolveLeftovers(now);
      firstRound = false;
    }
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
      } else if (reported.contains(tick.name())
          && reporter.clear(ALERT_TYPE, source(tick.name()))) {
        reported.remove(tick.name());
      }
    }
  }

  /**
   * Stalls this instance's previous run left open: what ticks now, or no longer runs (a stream
   * without viewers), is resolved; what is still stalled is reported by the round itself.
   */
  private void resolveLeftovers(Instant now) {
    String suffix = "@" + instance.id();
    for (String source : alerts.openSources(ALERT_TYPE)) {
      if (!source.endsWith(suffix)) {
        continue;
      }
      String name = source.substring(0, source.length() - suffix.length());
      boolean stalled = ticks.all().stream().anyMatch(t -> t.name().equals(name) && t.stalled(now));
      if (!stalled) {
        reporter.clear(ALERT_TYPE, source);
      }
    }
  }
}
