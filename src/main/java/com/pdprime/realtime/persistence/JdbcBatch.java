package com.pdprime.realtime.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * One statement run for each of many items as a single JDBC batch on the caller's connection: one
 * round trip instead of one per item. The engine's hot writes (events, sequence rows, the
 * connection journal, presence) go this way rather than through {@code em.persist}, whose
 * registering and cloning of each new entity at commit cost more than the rows themselves
 * (bench/RESULTS.md, "Third stop of 2026-12-05").
 */
public final class JdbcBatch {
  /** Sets one item's parameters on the statement. */
  @FunctionalInterface
  public interface Parameters<T> {
    void set(PreparedStatement statement, T item) throws SQLException;
  }

  private JdbcBatch() {}

  /**
   * Runs {@code sql} once for each item, in the collection's order, and returns each run's update
   * count in that order; with no items, runs nothing and returns an empty array. The caller turns
   * an {@link SQLException} into an error that names what it was writing.
   */
  public static <T> int[] execute(
      Connection connection, String sql, Collection<T> items, Parameters<? super T> parameters)
      throws SQLException {
    if (items.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (T item : items) {
        parameters.set(statement, item);
        statement.addBatch();
      }
      return statement.executeBatch();
    }
  }
}
