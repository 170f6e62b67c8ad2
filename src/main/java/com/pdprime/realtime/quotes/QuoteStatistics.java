package com.pdprime.realtime.quotes;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts over the quotes table for the dashboards. Aggregates run in the database; only what SQL
 * cannot say portably on H2 and PostgreSQL (hour buckets, medians) is done here over one column.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class QuoteStatistics {
  @PersistenceContext EntityManager em;

  /** Totals of the quotes created in the filter's window. */
  public record Totals(
      long quotes, long customers, BigDecimal averagePremium, Map<String, Long> byStatus) {}

  /** How far the quotes created in the window got. */
  public record Funnel(long created, long quoted, long bound, List<Long> secondsToBind) {}

  public Totals totals(QuoteFilter filter) {
    Object[] row =
        query(
                "SELECT COUNT(q), COUNT(DISTINCT q.customer), AVG(q.premiumTotal) FROM Quote q",
                filter,
                Object[].class)
            .getSingleResult();
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (Object[] status :
        query(
                "SELECT q.status, COUNT(q) FROM Quote q",
                filter,
                " GROUP BY q.status ORDER BY q.status",
                Object[].class)
            .getResultList()) {
      byStatus.put((String) status[0], ((Number) status[1]).longValue());
    }
    Number average = (Number) row[2];
    return new Totals(
        ((Number) row[0]).longValue(),
        ((Number) row[1]).longValue(),
        average == null ? null : new BigDecimal(average.toString()),
        byStatus);
  }

  /** When each quote of the window was created, for the hourly timeline. */
  public List<Instant> createdTimes(QuoteFilter filter) {
    return query("SELECT q.createdAt FROM Quote q", filter, Instant.class).getResultList();
  }

  /** Quotes per US state, most first; quotes without a state yet are left out. */
  public Map<String, Long> byState(QuoteFilter filter, int limit) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Object[] row :
        query(
                "SELECT q.usState, COUNT(q) FROM Quote q",
                filter,
                " AND q.usState IS NOT NULL GROUP BY q.usState ORDER BY COUNT(q) DESC, q.usState",
                Object[].class)
            .setMaxResults(limit)
            .getResultList()) {
      counts.put((String) row[0], ((Number) row[1]).longValue());
    }
    return counts;
  }

  public Funnel funnel(QuoteFilter filter) {
    Object[] row =
        query(
                "SELECT COUNT(q), COUNT(q.firstQuotedAt), COUNT(q.boundAt) FROM Quote q",
                filter,
                Object[].class)
            .getSingleResult();
    List<Long> secondsToBind =
        query(
                "SELECT q.createdAt, q.boundAt FROM Quote q",
                filter,
                " AND q.boundAt IS NOT NULL",
                Object[].class)
            .getResultList()
            .stream()
            .map(
                pair -> ((Instant) pair[1]).getEpochSecond() - ((Instant) pair[0]).getEpochSecond())
            .toList();
    return new Funnel(
        ((Number) row[0]).longValue(),
        ((Number) row[1]).longValue(),
        ((Number) row[2]).longValue(),
        secondsToBind);
  }

  /**
   * How long the calculations priced in the window took. A quote keeps only its latest calculation,
   * so a recalculated quote counts once, with its latest duration.
   */
  public List<Long> calculationMillis(Instant from) {
    return em.createQuery(
            "SELECT q.calculationMillis FROM Quote q WHERE q.premiumCalculatedAt >= :from"
                + " AND q.calculationMillis IS NOT NULL",
            Long.class)
        .setParameter("from", from)
        .getResultList();
  }

  private <T> TypedQuery<T> query(String select, QuoteFilter filter, Class<T> type) {
    return query(select, filter, "", type);
  }

  /**
   * The filter's conditions are appended only when set: a "(:state IS NULL OR ...)" parameter has
   * no type PostgreSQL can infer.
   */
  private <T> TypedQuery<T> query(String select, QuoteFilter filter, String tail, Class<T> type) {
    StringBuilder jpql = new StringBuilder(select).append(" WHERE q.createdAt >= :from");
    if (filter.state() != null) {
      jpql.append(" AND q.usState = :state");
    }
    if (filter.agent() != null) {
      jpql.append(" AND q.agentSubject = :agent");
    }
    TypedQuery<T> query = em.createQuery(jpql.append(tail).toString(), type);
    query.setParameter("from", filter.from());
    if (filter.state() != null) {
      query.setParameter("state", filter.state());
    }
    if (filter.agent() != null) {
      query.setParameter("agent", filter.agent());
    }
    return query;
  }
}
