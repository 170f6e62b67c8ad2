package com.pdprime.realtime.admin;

import com.pdprime.realtime.connections.WebSocketConnection;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connections of the whole cluster as the connection journal records them (every instance
 * writes the same table, up to one flush interval late).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class ConnectionDirectory {
  @PersistenceContext EntityManager em;

  /** One page of {@code query}, plus one row more when a next page exists. */
  public List<WebSocketConnection> page(ConnectionQuery query) {
    List<String> where = new ArrayList<>();
    if (query.user() != null) {
      where.add("c.subject = :user");
    }
    if (query.instance() != null) {
      where.add("c.instanceId = :instance");
    }
    if (query.state() != null) {
      where.add("c.state = :state");
    }
    if (query.after() != null) {
      where.add("(c.connectedAt < :at OR (c.connectedAt = :at AND c.id < :id))");
    }
    TypedQuery<WebSocketConnection> select =
        em.createQuery(
                "SELECT c FROM WebSocketConnection c"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY c.connectedAt DESC, c.id DESC",
                WebSocketConnection.class)
            .setMaxResults(query.limit() + 1);
    if (query.user() != null) {
      select.setParameter("user", query.user());
    }
    if (query.instance() != null) {
      select.setParameter("instance", query.instance());
    }
    if (query.state() != null) {
      select.setParameter("state", query.state());
    }
    if (query.after() != null) {
      select.setParameter("at", query.after().connectedAt()).setParameter("id", query.after().id());
    }
    return select.getResultList();
  }

  /** The connection if the journal has it and it is not closed. */
  public Optional<WebSocketConnection> open(String id) {
    WebSocketConnection row = em.find(WebSocketConnection.class, id);
    return row == null || row.disconnectedAt() != null ? Optional.empty() : Optional.of(row);
  }

  public Optional<WebSocketConnection> find(String id) {
    return Optional.ofNullable(em.find(WebSocketConnection.class, id));
  }

  /** How many sockets of the user the journal shows open, on every instance. */
  public long openOf(String subject) {
    return em.createQuery(
            "SELECT COUNT(c) FROM WebSocketConnection c"
                + " WHERE c.subject = :subject AND c.disconnectedAt IS NULL",
            Long.class)
        .setParameter("subject", subject)
        .getSingleResult();
  }
}
