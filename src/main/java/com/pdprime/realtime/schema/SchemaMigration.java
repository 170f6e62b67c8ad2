package com.pdprime.realtime.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
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
 * Brings the schema up to date with Liquibase before anything else touches the database. Liquibase's
 * own lock table keeps several instances starting at once from migrating twice.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {
  static final String CHANGELOG = "liquibase/changelog.yaml";
  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  @Resource(lookup = "jdbc/realtime")
  DataSource dataSource;

  @PostConstruct
  void migrate() {
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      Liquibase liquibase =
          new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(getClass().getClassLoader()), database);
      liquibase.update(new Contexts(), new LabelExpression());
      LOG.info("schema is up to date on " + database.getDatabaseProductName());
    } catch (SQLException | LiquibaseException e) {
      throw new IllegalStateException("schema migration failed; the application cannot start", e);
    }
  }
}
