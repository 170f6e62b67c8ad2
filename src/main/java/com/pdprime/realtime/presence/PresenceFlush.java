package com.pdprime.realtime.presence;

import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes presence in batches: every flush interval, what {@link PresenceService} queued since the
 * last one (subscriptions made and ended, connections closed) in one transaction. A subscribe or a
 * close then costs its thread no database work, and a reconnect storm's 10,000 closes and 10,000
 * subscriptions are a few hundred transactions instead of 30,000: before, every close removed its
 * rows and counted what was left, and every subscribe counted and inserted, on the HTTP worker that
 * carried it out, and the workers busy with that left new handshakes waiting for their headers to
 * be read (bench/RESULTS.md, the storm's profiles).
 *
 * <p>A user who closes and reconnects within one interval is never seen to leave: the new row is
 * there when the old one goes, so neither a leave nor a join is announced.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceFlush {
  @Inject PresenceService presence;

  @Inject
  @ConfigProperty(name = "realtime.presence.flush-interval-ms")
  long intervalMillis;

  @Inject Timers timers;

  @PostConstruct
  void start() {
    timers.every("presence flush", intervalMillis, presence::flush);
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
    presence.flush();
  }
}
