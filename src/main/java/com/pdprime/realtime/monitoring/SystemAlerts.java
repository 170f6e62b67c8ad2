package com.pdprime.realtime.monitoring;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Raises and resolves rows in {@code system_alerts}. Each call is its own transaction, so an alert is
 * recorded even when the work that detected the problem fails.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class SystemAlerts {
  private static final Logger LOG = Logger.getLogger(SystemAlerts.class.getName());

  @PersistenceContext EntityManager em;

  public void raise(String source, String severity, String message, String details) {
    em.persist(new SystemAlert(severity, source, message, details, Instant.now()));
    LOG.severe("alert raised source=" + source + " severity=" + severity + ": " + message);
  }

  /** Resolves every open alert of the source. */
  public void resolve(String source) {
    em.createQuery(
            "UPDATE SystemAlert a SET a.resolvedAt = :now"
                + " WHERE a.source = :source AND a.resolvedAt IS NULL")
        .setParameter("now", Instant.now())
        .setParameter("source", source)
        .executeUpdate();
    LOG.info("alerts resolved source=" + source);
  }
}
