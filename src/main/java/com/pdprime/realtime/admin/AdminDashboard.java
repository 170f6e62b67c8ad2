package com.pdprime.realtime.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A named dashboard layout an admin saved ({@code admin_dashboards}). The default one carries its
 * owner's id in {@code default_for}, a unique column: one default per admin, held by the database.
 */
@Entity
@Table(name = "admin_dashboards")
public class AdminDashboard {
  @Id
  @Column(name = "id", length = 36)
  private String id;

  @Column(name = "admin_user_id", nullable = false, length = 36)
  private String adminUserId;

  @Column(name = "name", nullable = false, length = 200)
  private String name;

  @Column(name = "layout", nullable = false, length = 20000)
  private String layout;

  @Column(name = "default_for", length = 36)
  private String defaultFor;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected AdminDashboard() {}

  AdminDashboard(String adminUserId, DashboardInput input, Instant now) {
    this.id = UUID.randomUUID().toString();
    this.adminUserId = adminUserId;
    this.createdAt = now;
    change(input, now);
  }

  void change(DashboardInput input, Instant now) {
    this.name = input.name();
    this.layout = input.layout();
    this.defaultFor = input.isDefault() ? adminUserId : null;
    this.updatedAt = now;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String layout() {
    return layout;
  }

  public boolean isDefault() {
    return defaultFor != null;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }
}
