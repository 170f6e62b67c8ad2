package com.pdprime.realtime.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

  /** Reads one row the statements returned. */
  @FunctionalInterface
  public interface Row<R> {
    R read(ResultSet row) throws SQLException;
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

  /**
   * As {@link #execute}, for an {@code UPDATE} or {@code INSERT} whose rows' {@code columns} are
   * wanted back after the change (JDBC's generated keys: PostgreSQL's {@code RETURNING}, H2's delta
   * table), in the same round trip instead of a {@code SELECT} after it; returns one read row per
   * row the statements changed (the caller keys them by a column, not by their order). With no
   * items, runs nothing.
   */
  public static <T, R> List<R> executeReturning(
      Connection connection,
      String sql,
      String[] columns,
      Collection<T> items,
      Parameters<? super T> parameters,
      Row<R> row)
      throws SQLException {
    List<R> rows = new ArrayList<>(items.size());
    if (items.isEmpty()) {
      return rows;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql, columns)) {
      for (T item : items) {
        parameters.set(statement, item);
        statement.addBatch();
      }
      statement.executeBatch();
      try (ResultSet changed = statement.getGeneratedKeys()) {
        while (changed.next()) {
          rows.add(row.read(changed));
        }
      }
    }
    return rows;
  }
}
