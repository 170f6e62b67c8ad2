package com.pdprime.realtime.instances;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/** Reads and writes {@code realtime_instances}; each method is one transaction. */
@Stateless
public class InstanceRegistry {
  /** The stop reason of an instance that shut down in order; any other was taken over. */
  public static final String SHUTDOWN = "shutdown";

  @PersistenceContext EntityManager em;

  public void started(String id, Instant now) {
    RealtimeInstance instance = em.find(RealtimeInstance.class, id);
    if (instance == null) {
      em.persist(new RealtimeInstance(id, now));
    } else {
      instance.restart(now);
    }
  }

  public void heartbeat(String id, Instant now) {
    em.createQuery("UPDATE RealtimeInstance i SET i.lastHeartbeatAt = :now WHERE i.id = :id")
        .setParameter("now", now)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Instances that have not heartbeated since {@code before} and are not yet marked stopped. */
  public List<String> silentSince(Instant before, String except) {
    return em.createQuery(
            "SELECT i.id FROM RealtimeInstance i WHERE i.stoppedAt IS NULL"
                + " AND i.lastHeartbeatAt < :before AND i.id <> :except",
            String.class)
        .setParameter("before", before)
        .setParameter("except", except)
        .getResultList();
  }

  /**
   * Marks the instance stopped if it still is silent; true for exactly one caller, so only one live
   * instance takes over what a dead one left.
   */
  public boolean markStopped(String id, Instant silentBefore, Instant now, String reason) {
    return em.createQuery(
                "UPDATE RealtimeInstance i SET i.stoppedAt = :now, i.stopReason = :reason"
                    + " WHERE i.id = :id AND i.stoppedAt IS NULL AND i.lastHeartbeatAt < :before")
            .setParameter("now", now)
            .setParameter("reason", reason)
            .setParameter("id", id)
            .setParameter("before", silentBefore)
            .executeUpdate()
        == 1;
  }

  /** Every instance the cluster has known: its id, when it stopped (null: live) and why. */
  public List<InstanceStatus> statuses() {
    return em.createQuery(
            "SELECT NEW com.pdprime.realtime.instances.InstanceStatus(i.id, i.stoppedAt,"
                + " i.stopReason) FROM RealtimeInstance i",
            InstanceStatus.class)
        .getResultList();
  }
}
