package com.pdprime.realtime.presence;

import com.pdprime.realtime.monitoring.RealtimeMetrics;
import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Takes closed connections out of presence in batches: every departure interval it flushes what
 * {@link PresenceService#departed} queued. A socket's close then costs its thread no database work,
 * and a reconnect storm's 10,000 closes are a few transactions instead of 20,000: before, every
 * close removed its rows and counted what was left in two transactions on the HTTP worker that saw
 * the close, and the workers busy with that left new handshakes waiting for their headers to be
 * read (bench/RESULTS.md, the storm's profile).
 *
 * <p>A user who closes and reconnects within one interval is never seen to leave: the new row is
 * there when the old one goes, so neither a leave nor a join is announced.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceDepartures {
  private static final Logger LOG = Logger.getLogger(PresenceDepartures.class.getName());

  @Inject PresenceService presence;
  @Inject RealtimeMetrics metrics;

  @Inject
  @ConfigProperty(name = "realtime.presence.departure-interval-ms")
  long intervalMillis;

  @Inject Timers timers;

  @PostConstruct
  void start() {
    timers.every("presence departure flush", intervalMillis, this::flushSafely);
  }

  /**
   * The last flush. The engine calls it as it stops, after its sockets have closed, while the
   * application's beans still work: no other instance removes the rows of an instance that stopped
   * cleanly. The engine then stops the timer ({@link Timers#stop}): left running, it went on to
   * flush while WildFly was stopping the beans a flush needs ({@code WFLYEE0043}, "Component is
   * stopped"), for a close that completed after the engine's flush; such rows are this instance's
   * to remove at its next start.
   */
  public void flush() {
    flushSafely();
  }

  private void flushSafely() {
    try {
      presence.flushDepartures();
    } catch (DeparturesFailed e) {
      // The rows stay until this instance stops and a live one removes them; say so.
      metrics.presenceFailed();
      LOG.log(Level.SEVERE, e.getMessage(), e.getCause());
    }
  }
}
