package com.pdprime.realtime.instances;

import com.pdprime.realtime.connections.InstanceIdentity;
import com.pdprime.realtime.connections.JournalWriter;
import com.pdprime.realtime.presence.PresenceService;
import com.pdprime.realtime.scheduling.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Heartbeats this instance in {@code realtime_instances} and closes out instances that stopped
 * heartbeating (crash, kill -9): their connection rows are closed with 1006 and their presence is
 * removed with leave events. Exactly one live instance takes over each dead one.
 */
@Singleton
@Startup
@DependsOn("ConnectionJournal")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class InstanceLiveness {
  private static final Logger LOG = Logger.getLogger(InstanceLiveness.class.getName());

  @Inject InstanceRegistry registry;
  @Inject InstanceIdentity instance;
  @Inject JournalWriter journal;
  @Inject PresenceService presence;

  @Inject
  @ConfigProperty(name = "realtime.instance.heartbeat-interval-ms")
  long heartbeatMillis;

  @Inject
  @ConfigProperty(name = "realtime.instance.dead-after-ms")
  long deadAfterMillis;

  @Inject Timers timers;
  @PersistenceContext EntityManager em;

  @PostConstruct
  void start() {
    registry.started(instance.id(), Instant.now());
    presence.instanceStopped(instance.id());
    timers.every("instance heartbeat", heartbeatMillis, this::beatSafely);
  }

  /**
   * Records the clean stop with this bean's own persistence context, in a transaction of its own:
   * WildFly may stop the registry's bean before it destroys this one (WFLYEE0043, "Component is
   * stopped"), and the stop was then not recorded, so that other instances took it for a crash.
   */
  @PreDestroy
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  void stop() {
    em.createQuery(
            "UPDATE RealtimeInstance i SET i.stoppedAt = :now, i.stopReason = :reason"
                + " WHERE i.id = :id")
        .setParameter("now", Instant.now())
        .setParameter("reason", InstanceRegistry.SHUTDOWN)
        .setParameter("id", instance.id())
        .executeUpdate();
  }

  private void beatSafely() {
    try {
      Instant now = Instant.now();
      registry.heartbeat(instance.id(), now);
      Instant silentBefore = now.minus(Duration.ofMillis(deadAfterMillis));
      for (String dead : registry.silentSince(silentBefore, instance.id())) {
        if (registry.markStopped(
            dead, silentBefore, now, "no heartbeat for " + deadAfterMillis + " ms")) {
          takeOver(dead, now);
        }
      }
    } catch (RuntimeException e) {
      // The next beat tries again; a database outage must not end the heartbeat for good.
      LOG.log(Level.SEVERE, "instance=" + instance.id() + " heartbeat failed", e);
    }
  }

  private void takeOver(String dead, Instant now) {
    int rows = journal.closeGhosts(dead, now);
    presence.instanceStopped(dead);
    LOG.warning(
        "instance="
            + dead
            + " stopped heartbeating; instance="
            + instance.id()
            + " closed out its "
            + rows
            + " connection rows and its presence");
  }
}
