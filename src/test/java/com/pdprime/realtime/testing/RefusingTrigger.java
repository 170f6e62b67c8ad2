package com.pdprime.realtime.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL trigger that makes the database refuse the rows of a table matching a condition, as
 * a full disk, a constraint or a lock timeout would: for tests of what a failed transaction leaves
 * behind, on servers that know nothing of it. Closing it drops it.
 */
public final class RefusingTrigger implements AutoCloseable {
  /** Where the trigger goes: a connection to the servers' database. */
  public interface Database {
    Connection connect() throws SQLException;
  }

  private final Database database;
  private final String table;

  private RefusingTrigger(Database database, String table) {
    this.database = database;
    this.table = table;
  }

  /**
   * Installs the trigger: from now on an insert into {@code table} whose new row matches {@code
   * condition} (SQL over {@code NEW}, e.g. {@code NEW.room = 'user:x'}) fails.
   */
  public static RefusingTrigger on(Database database, String table, String condition)
      throws SQLException {
    try (Connection db = database.connect();
        Statement ddl = db.createStatement()) {
      ddl.execute(
          "CREATE FUNCTION "
              + function(table)
              + "() RETURNS trigger AS $$ BEGIN IF "
              + condition
              + " THEN RAISE EXCEPTION 'test: the database refuses this row of "
              + table
              + "'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
      ddl.execute(
          "CREATE TRIGGER "
              + function(table)
              + " BEFORE INSERT ON "
              + table
              + " FOR EACH ROW EXECUTE FUNCTION "
              + function(table)
              + "()");
    }
    return new RefusingTrigger(database, table);
  }

  @Override
  public void close() throws SQLException {
    try (Connection db = database.connect();
        Statement ddl = db.createStatement()) {
      ddl.execute("DROP TRIGGER IF EXISTS " + function(table) + " ON " + table);
      ddl.execute("DROP FUNCTION IF EXISTS " + function(table) + "()");
    }
  }

  private static String function(String table) {
    return "test_refuse_" + table;
  }
}
