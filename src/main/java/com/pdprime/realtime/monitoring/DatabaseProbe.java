package com.pdprime.realtime.monitoring;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A timed round trip to the database: a pooled connection and {@code SELECT 1}. */
@ApplicationScoped
public class DatabaseProbe {
  /** A query that takes longer than this is as good as down for publishing. */
  static final int TIMEOUT_SECONDS = 2;

  @Resource(lookup = "jdbc/realtime")
  DataSource dataSource;

  /** The outcome of one round trip: how long it took, and the error if it failed. */
  public record Result(boolean up, long millis, String error) {}

  public Result roundTrip() {
    long started = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet result = statement.executeQuery("SELECT 1")) {
        result.next();
      }
      return new Result(true, elapsedMillis(started), null);
    } catch (SQLException e) {
      return new Result(false, elapsedMillis(started), e.toString());
    }
  }

  private static long elapsedMillis(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
