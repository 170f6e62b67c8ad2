package com.pdprime.realtime.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * With {@code -Ddb=postgres}, gives the integration tests a fresh database {@code realtime_it} on
 * 127.0.0.1:5432 before the first server starts; Liquibase then builds the schema in it.
 */
public class PostgresTestDatabase implements LauncherSessionListener {
  static final String DATABASE = "realtime_it";

  /** A connection to the servers' database, for a test that acts on it behind their back. */
  static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty("realtime.it.postgres.url") + DATABASE, "postgres", "");
  }

  /** An outage of the servers' database, until it is closed. */
  interface Outage extends AutoCloseable {
    @Override
    void close() throws SQLException;
  }

  /**
   * Takes the servers' database away as a failover or a restart does: PostgreSQL refuses new
   * connections to it and ends the open ones, until the outage is closed.
   */
  static Outage outage() throws SQLException {
    try (Connection admin = administration();
        Statement sql = admin.createStatement()) {
      sql.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS false");
      sql.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + DATABASE
              + "'");
    }
    return () -> {
      try (Connection admin = administration();
          Statement sql = admin.createStatement()) {
        sql.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true");
      }
    };
  }

  private static Connection administration() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty("realtime.it.postgres.url") + "postgres", "postgres", "");
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!"postgres".equals(System.getProperty("realtime.it.db"))) {
      return;
    }
    try (Connection admin = administration();
        Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      sql.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the test database on " + System.getProperty("realtime.it.postgres.url"),
          e);
    }
  }
}
