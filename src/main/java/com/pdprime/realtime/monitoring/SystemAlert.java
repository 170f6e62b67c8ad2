package com.pdprime.realtime.monitoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A condition operators must know about, from raised to resolved. */
@Entity
@Table(name = "system_alerts")
public class SystemAlert {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "id")
  private Long id;

  @Column(name = "severity", nullable = false, length = 16)
  private String severity;

  @Column(name = "source", nullable = false, length = 100)
  private String source;

  @Column(name = "message", nullable = false, length = 1000)
  private String message;

  @Column(name = "details", length = 4000)
  private String details;

  @Column(name = "raised_at", nullable = false)
  private Instant raisedAt;

  @Column(name = "resolved_at")
  private Instant resolvedAt;

  protected SystemAlert() {}

  SystemAlert(String severity, String source, String message, String details, Instant raisedAt) {
    this.severity = severity;
    this.source = source;
    this.message = message;
    this.details = details == null || details.length() <= 4000 ? details : details.substring(0, 4000);
    this.raisedAt = raisedAt;
  }
}
