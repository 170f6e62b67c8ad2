package com.pdprime.realtime.monitoring;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the database answers: history and sequence numbers live there. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {
  /** A database that takes longer than this to validate a connection is not serving publishes. */
  private static final int TIMEOUT_SECONDS = 2;

  @Resource(lookup = "jdbc/realtime")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    try (Connection connection = dataSource.getConnection()) {
      return HealthCheckResponse.named("database")
          .status(connection.isValid(TIMEOUT_SECONDS))
          .build();
    } catch (SQLException e) {
      return HealthCheckResponse.named("database").down().withData("error", e.toString()).build();
    }
  }
}
