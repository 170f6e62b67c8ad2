package com.pdprime.realtime.schema;

import com.pdprime.realtime.persistence.StatementTimeout;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Brings the schema up to date with Liquibase before anything else touches the database.
 * Liquibase's own lock table keeps several instances starting at once from migrating twice.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {
  static final String CHANGELOG = "liquibase/changelog.yaml";
  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  @Resource(lookup = "jdbc/realtime")
  DataSource dataSource;

  /**
   * Instances started together on an empty database race to create Liquibase's own tables (they
   * exist before its lock does); the loser sees "databasechangelog already exists". A few attempts
   * a few seconds apart let the winner finish, after which the lock serialises everything else.
   */
  static final int ATTEMPTS = 5;

  static final long PAUSE_MILLIS = 3_000;

  @PostConstruct
  void migrate() {
    for (int attempt = 1; ; attempt++) {
      try {
        update();
        return;
      } catch (SQLException | LiquibaseException e) {
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "schema migration failed; the application cannot start: " + reason(e), e);
        }
        LOG.log(
            Level.WARNING,
            "schema migration attempt "
                + attempt
                + " of "
                + ATTEMPTS
                + " failed ("
                + reason(e)
                + "); another instance may be creating the schema, or a lock be held a while;"
                + " trying again in "
                + PAUSE_MILLIS
                + " ms");
        pause();
      }
    }
  }

  /**
   * The failure in the operator's words. A statement the pool's statement timeout cancelled reaches
   * here as the driver's "canceling statement due to user request", which names neither the pool
   * nor what to do; a changeset slower than the timeout fails so on every attempt.
   */
  static String reason(Exception failure) {
    if (!StatementTimeout.cancelled(failure)) {
      return failure.toString();
    }
    return failure
        + " (the connection pool's statement timeout cancelled it: a changeset that runs longer"
        + " than the timeout needs the pool's timeout raised for this start, docs/operations.md"
        + " §3, \"Statement timeout\")";
  }

  private void update() throws SQLException, LiquibaseException {
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      Liquibase liquibase =
          new Liquibase(
              CHANGELOG, new ClassLoaderResourceAccessor(getClass().getClassLoader()), database);
      liquibase.update(new Contexts(), new LabelExpression());
      LOG.info("schema is up to date on " + database.getDatabaseProductName());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting to retry the schema migration", interrupted);
    }
  }
}
