package com.pdprime.realtime.quotes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;
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

  @Column(name = "premium_total", precision = 12, scale = 2)
  private BigDecimal premiumTotal;

  @Column(name = "premium_breakdown", length = 20000)
  private String premiumBreakdown;

  @Column(name = "premium_calculated_at")
  private Instant premiumCalculatedAt;

  @Column(name = "bound_at")
  private Instant boundAt;

  @Column(name = "agent_subject", length = 200)
  private String agentSubject;

  @Column(name = "us_state", length = 2)
  private String usState;

  @Column(name = "first_quoted_at")
  private Instant firstQuotedAt;

  @Column(name = "calculation_ms")
  private Long calculationMillis;

  @Column(name = "valid_until")
  private Instant validUntil;

  @Column(name = "expiry_reminders", nullable = false)
  private int expiryReminders;

  protected Quote() {}

  public Quote(
      String id, Customer customer, String status, Instant createdAt, String agentSubject) {
    this.id = id;
    this.customer = customer;
    this.status = status;
    this.createdAt = createdAt;
    this.agentSubject = agentSubject;
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

  BigDecimal premiumTotal() {
    return premiumTotal;
  }

  String premiumBreakdown() {
    return premiumBreakdown;
  }

  Instant premiumCalculatedAt() {
    return premiumCalculatedAt;
  }

  public String agentSubject() {
    return agentSubject;
  }

  Instant validUntil() {
    return validUntil;
  }

  int expiryReminders() {
    return expiryReminders;
  }

  boolean editable() {
    return !QuoteStatus.BOUND.name().equals(status);
  }

  /**
   * A change makes the premium stale: the quote is a draft again until it is recalculated. An
   * EXPIRED quote is revived the same way, so its customer need not start over.
   */
  boolean invalidatePremium() {
    boolean wasQuoted =
        QuoteStatus.QUOTED.name().equals(status) || QuoteStatus.EXPIRED.name().equals(status);
    status = QuoteStatus.DRAFT.name();
    premiumTotal = null;
    premiumBreakdown = null;
    premiumCalculatedAt = null;
    validUntil = null;
    expiryReminders = 0;
    return wasQuoted;
  }

  void quoted(BigDecimal total, String breakdown, Instant at, long tookMillis) {
    status = QuoteStatus.QUOTED.name();
    premiumTotal = total;
    premiumBreakdown = breakdown;
    premiumCalculatedAt = at;
    calculationMillis = tookMillis;
    if (firstQuotedAt == null) {
      firstQuotedAt = at;
    }
  }

  /** A premium holds until {@code until}; the expiry job reminds and then expires the quote. */
  void validUntil(Instant until) {
    validUntil = until;
    expiryReminders = 0;
  }

  /** Counts the expiry reminders sent (1: the 24-hour one, 2: the 1-hour one). */
  void reminded(int reminders) {
    expiryReminders = reminders;
  }

  void expired() {
    status = QuoteStatus.EXPIRED.name();
  }

  /** Kept beside the {@code state} field so dashboards filter by state without reading fields. */
  void locatedIn(String stateCode) {
    usState = stateCode;
  }

  void bound(Instant at) {
    status = QuoteStatus.BOUND.name();
    boundAt = at;
  }
}
