package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.Caller;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code admin_users} rows: one per admin, made from the token on the admin's first action (the
 * identity provider owns who is an admin; this table only gives audit rows and dashboards an
 * owner). Runs inside its caller's transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class AdminUsers {
  @PersistenceContext EntityManager em;

  /** The admin's row id, made now if the admin has none. */
  public String idOf(Caller admin) {
    return existing(admin.subject()).orElseGet(() -> create(admin));
  }

  /**
   * The admin's row id, locked until the transaction ends, so that one admin's writes (a second
   * default dashboard, a taken name) are decided one at a time.
   */
  public String locked(Caller admin) {
    String id = idOf(admin);
    em.createNativeQuery("SELECT id FROM admin_users WHERE id = ? FOR UPDATE")
        .setParameter(1, id)
        .getResultList();
    return id;
  }

  public Optional<String> existing(String subject) {
    List<?> known =
        em.createNativeQuery("SELECT id FROM admin_users WHERE subject = ?")
            .setParameter(1, subject)
            .getResultList();
    return known.isEmpty() ? Optional.empty() : Optional.of((String) known.get(0));
  }

  /**
   * Two first actions of one admin can run at once (two tabs, a retry): the second insert waits for
   * the first and then does nothing, and both read the one row.
   */
  private String create(Caller admin) {
    em.createNativeQuery(
            "INSERT INTO admin_users (id, subject, display_name, role, active, created_at)"
                + " VALUES (?, ?, ?, 'admin', TRUE, ?) ON CONFLICT DO NOTHING")
        .setParameter(1, UUID.randomUUID().toString())
        .setParameter(2, admin.subject())
        .setParameter(3, admin.displayName())
        .setParameter(4, Timestamp.from(Instant.now()))
        .executeUpdate();
    return existing(admin.subject())
        .orElseThrow(
            () -> new IllegalStateException("admin_users has no row for " + admin.subject()));
  }
}
