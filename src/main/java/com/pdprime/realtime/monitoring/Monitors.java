package com.pdprime.realtime.monitoring;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.scheduling.Timers;
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
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs every {@link Monitor}, each on its own period: its observations become alerts raised or
 * resolved, and each completed round is a tick the watchdog checks.
 *
 * <p>{@code Timers} starts them; they run on managed threads of their own. {@code Timers} has one
 * thread, shared by heartbeats, catch-up, dashboards and instance liveness: a broker probe that
 * blocks in an outage, or a database round trip waiting for its 2 s timeout, would delay the very
 * catch-up that delivers events during the outage.
 */
@Singleton
@Startup
// Its own locking: the container's write lock would make health checks wait for a whole round.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@DependsOn("SchemaMigration")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Monitors {
  private static final Logger LOG = Logger.getLogger(Monitors.class.getName());

  @Inject @Any Instance<Monitor> monitors;
  @Inject AlertReporter reporter;
  @Inject Ticks ticks;
  @Inject InstanceIdentity instance;
  @Inject Timers timers;

  /**
   * Test only: the monitor of this name is scheduled but never checks, so the integration test can
   * see the watchdog report a stalled monitor. Unset in every shipped configuration; setting it in
   * production is logged at SEVERE at start.
   */
  @Inject
  @ConfigProperty(name = "realtime.monitor.stall-for-test")
  Optional<String> stallForTest;

  /** Two: a probe blocked on the broker leaves the other monitors running. */
  static final int THREADS = 2;

  @Resource ManagedThreadFactory threads;

  private RoundThreads rounds;
  private boolean stopped;

  @PostConstruct
  void start() {
    // Registered and scheduled when the scheduler first runs a task of ours: during a deployment
    // that came seconds after this method (7 s in one AlertsIT run), and a monitor must not count
    // as stalled for time the scheduler was not yet running it.
    timers.once("monitor scheduling", 0, this::scheduleAll);
    stallForTest.ifPresent(
        name ->
            LOG.severe(
                "realtime.monitor.stall-for-test="
                    + name
                    + ": that monitor never checks (a test setting; never set it in production)"));
  }

  private synchronized void scheduleAll() {
    if (stopped) {
      return;
    }
    rounds = new RoundThreads("monitors", THREADS, threads, RoundThreads.STOP_WAIT_MILLIS);
    Instant now = Instant.now();
    List<String> names = new ArrayList<>();
    for (Monitor monitor : monitors) {
      names.add(monitor.name() + " every " + monitor.periodMillis() + " ms");
      ticks.register(monitor.name(), monitor.periodMillis(), now);
      rounds.every(monitor.periodMillis(), () -> round(monitor));
    }
    LOG.info("monitors on instance=" + instance.id() + ": " + names);
  }

  @PreDestroy
  public synchronized void stop() {
    stopped = true;
    if (rounds != null) {
      rounds.stop();
    }
  }

  private void round(Monitor monitor) {
    if (stallForTest.filter(monitor.name()::equals).isPresent()) {
      return;
    }
    List<Observation> observations;
    try {
      observations = monitor.check();
    } catch (RuntimeException e) {
      // No tick: a monitor that cannot check is not watching, and the watchdog says so.
      LOG.log(Level.SEVERE, "monitor " + monitor.name() + " failed to check", e);
      return;
    }
    for (Observation observation : observations) {
      if (observation.failing()) {
        reporter.raise(
            monitor.name(),
            observation.source(),
            observation.severity(),
            observation.message(),
            observation.details());
      } else {
        reporter.clear(monitor.name(), observation.source());
      }
    }
    ticks.tick(monitor.name(), Instant.now());
  }
}
