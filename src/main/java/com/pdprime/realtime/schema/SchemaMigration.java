package com.pdprime.realtime.schema;

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
              "schema migration failed; the application cannot start", e);
        }
        LOG.log(
            Level.WARNING,
            "schema migration attempt "
                + attempt
                + " of "
                + ATTEMPTS
                + " failed ("
                + e
                + "); another instance may be creating the schema; trying again in "
                + PAUSE_MILLIS
                + " ms");
        pause();
      }
    }
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
