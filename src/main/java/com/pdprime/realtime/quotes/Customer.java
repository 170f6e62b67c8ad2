package com.pdprime.realtime.quotes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer of the platform, known by the subject of their sign-in token. */
@Entity
@Table(name = "customers")
public class Customer {
  @Id
  @Column(name = "id", length = 36)
  private String id;

  @Column(name = "subject", nullable = false, unique = true)
  private String subject;

  @Column(name = "display_name", nullable = false)
  private String displayName;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Customer() {}

  public Customer(String id, String subject, String displayName, Instant createdAt) {
    this.id = id;
    this.subject = subject;
    this.displayName = displayName;
    this.createdAt = createdAt;
  }

  public String id() {
    return id;
  }

  public String subject() {
    return subject;
  }

  public String displayName() {
    return displayName;
  }
}
