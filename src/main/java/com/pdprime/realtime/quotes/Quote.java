package com.pdprime.realtime.quotes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** An insurance quote owned by one customer. */
@Entity
@Table(name = "quotes")
public class Quote {
  @Id
  @Column(name = "id", length = 36)
  private String id;

  @ManyToOne(optional = false)
  @JoinColumn(name = "customer_id", nullable = false)
  private Customer customer;

  @Column(name = "status", nullable = false, length = 16)
  private String status;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Quote() {}

  public Quote(String id, Customer customer, String status, Instant createdAt) {
    this.id = id;
    this.customer = customer;
    this.status = status;
    this.createdAt = createdAt;
  }

  public String id() {
    return id;
  }

  public Customer customer() {
    return customer;
  }

  public String status() {
    return status;
  }
}
