package com.pdprime.realtime.connections;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Cluster-wide counts from the connection journal: every instance writes the same table. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class ConnectionStatistics {
  @PersistenceContext EntityManager em;

  public long open() {
    return em.createQuery(
            "SELECT COUNT(c) FROM WebSocketConnection c WHERE c.disconnectedAt IS NULL", Long.class)
        .getSingleResult();
  }

  /** Connections closed since {@code from}, by close code. */
  public Map<Integer, Long> closesByCode(Instant from) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (Object[] row :
        em.createQuery(
                "SELECT c.closeCode, COUNT(c) FROM WebSocketConnection c"
                    + " WHERE c.disconnectedAt >= :from AND c.closeCode IS NOT NULL"
                    + " GROUP BY c.closeCode",
                Object[].class)
            .setParameter("from", from)
            .getResultList()) {
      counts.put(((Number) row[0]).intValue(), ((Number) row[1]).longValue());
    }
    return counts;
  }
}
