package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.Caller;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * An admin's saved dashboards. Each admin sees only their own: another admin's id is not found,
 * exactly as an id that never existed. Writes of one admin run one at a time (the admin's row is
 * locked), so the name and count checks and the single default hold under concurrent requests.
 */
@Stateless
public class Dashboards {
  /** A console lists them in a menu; fifty is more than anyone curates. */
  static final int MAX_PER_ADMIN = 50;

  @PersistenceContext EntityManager em;
  @Inject AdminUsers admins;

  public List<AdminDashboard> list(Caller admin) {
    Optional<String> owner = admins.existing(admin.subject());
    if (owner.isEmpty()) {
      return List.of();
    }
    return em.createQuery(
            "SELECT d FROM AdminDashboard d WHERE d.adminUserId = :owner ORDER BY d.name",
            AdminDashboard.class)
        .setParameter("owner", owner.get())
        .getResultList();
  }

  public AdminDashboard get(Caller admin, String id) {
    return admins
        .existing(admin.subject())
        .flatMap(owner -> owned(owner, id))
        .orElseThrow(() -> notFound(id));
  }

  public AdminDashboard create(Caller admin, DashboardInput input) {
    String owner = admins.locked(admin);
    long count =
        em.createQuery(
                "SELECT COUNT(d) FROM AdminDashboard d WHERE d.adminUserId = :owner", Long.class)
            .setParameter("owner", owner)
            .getSingleResult();
    if (count >= MAX_PER_ADMIN) {
      throw new Refusal(
          409,
          "TOO_MANY_DASHBOARDS",
          "you have " + count + " dashboards; at most " + MAX_PER_ADMIN + " are kept per admin",
          "Delete a dashboard you no longer use, or replace one (PUT).");
    }
    requireFreeName(owner, input.name(), null);
    AdminDashboard dashboard = new AdminDashboard(owner, input, now());
    if (input.isDefault()) {
      clearDefault(owner, dashboard.id());
    }
    em.persist(dashboard);
    return dashboard;
  }

  public AdminDashboard replace(Caller admin, String id, DashboardInput input) {
    String owner = admins.locked(admin);
    AdminDashboard dashboard = owned(owner, id).orElseThrow(() -> notFound(id));
    requireFreeName(owner, input.name(), id);
    if (input.isDefault()) {
      // Before the row changes: the bulk update runs at once, the row's change at commit.
      clearDefault(owner, id);
    }
    dashboard.change(input, now());
    return dashboard;
  }

  public void delete(Caller admin, String id) {
    String owner = admins.locked(admin);
    em.remove(owned(owner, id).orElseThrow(() -> notFound(id)));
  }

  private Optional<AdminDashboard> owned(String owner, String id) {
    return em.createQuery(
            "SELECT d FROM AdminDashboard d WHERE d.id = :id AND d.adminUserId = :owner",
            AdminDashboard.class)
        .setParameter("id", id)
        .setParameter("owner", owner)
        .getResultStream()
        .findFirst();
  }

  private void requireFreeName(String owner, String name, String exceptId) {
    List<String> holders =
        em.createQuery(
                "SELECT d.id FROM AdminDashboard d WHERE d.adminUserId = :owner AND d.name = :name",
                String.class)
            .setParameter("owner", owner)
            .setParameter("name", name)
            .getResultList();
    if (holders.stream().anyMatch(holder -> !holder.equals(exceptId))) {
      throw new Refusal(
          409,
          "DASHBOARD_NAME_TAKEN",
          "you already have a dashboard named '" + name + "'",
          "Choose another name, or replace that dashboard (PUT with its id).");
    }
  }

  private void clearDefault(String owner, String keepId) {
    em.createQuery(
            "UPDATE AdminDashboard d SET d.defaultFor = NULL"
                + " WHERE d.defaultFor = :owner AND d.id <> :keep")
        .setParameter("owner", owner)
        .setParameter("keep", keepId)
        .executeUpdate();
  }

  /** In the resolution both databases store, so an answer shows what a later read returns. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static Refusal notFound(String id) {
    return Refusal.notFound(
        "you have no dashboard " + id,
        "List your dashboards (GET /api/v1/admin/dashboards) and use an id from there.");
  }
}
