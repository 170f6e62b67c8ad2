package com.pdprime.realtime.quotes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One field of a quote: its JSON value (null when empty) and its version, bumped by every change.
 */
@Entity
@Table(name = "quote_fields")
@IdClass(QuoteField.Key.class)
public class QuoteField {
  @Id
  @Column(name = "quote_id", length = 36)
  private String quoteId;

  @Id
  @Column(name = "path", length = 100)
  private String path;

  @Column(name = "field_value", length = 4000)
  private String value;

  @Column(name = "version", nullable = false)
  private long version;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Column(name = "updated_by", length = 200)
  private String updatedBy;

  protected QuoteField() {}

  QuoteField(String quoteId, String path) {
    this.quoteId = quoteId;
    this.path = path;
  }

  void set(String newValue, String by, Instant at) {
    value = newValue;
    version++;
    updatedBy = by;
    updatedAt = at;
  }

  String path() {
    return path;
  }

  String value() {
    return value;
  }

  long version() {
    return version;
  }

  /** The composite identity (quote, path). */
  public static class Key implements Serializable {
    private String quoteId;
    private String path;

    public Key() {}

    Key(String quoteId, String path) {
      this.quoteId = quoteId;
      this.path = path;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(key.quoteId, quoteId)
          && Objects.equals(key.path, path);
    }

    @Override
    public int hashCode() {
      return Objects.hash(quoteId, path);
    }
  }
}
