package com.pdprime.realtime.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {
  @Test
  void aChangesetTheStatementTimeoutCancelledIsNamedSoWithWhatToDo() {
    LiquibaseException failed =
        new LiquibaseException(
            "Migration failed for changeset 042-add-an-index",
            new DatabaseException(
                new SQLException("ERROR: canceling statement due to user request", "57014")));
    String reason = SchemaMigration.reason(failed);
    assertTrue(reason.startsWith(failed.toString()), reason);
    assertTrue(reason.contains("the connection pool's statement timeout cancelled it"), reason);
    assertTrue(reason.contains("docs/operations.md §3"), reason);
  }

  @Test
  void anyOtherFailureIsReportedAsItIs() {
    SQLException exists = new SQLException("relation databasechangelog already exists", "42P07");
    assertEquals(exists.toString(), SchemaMigration.reason(exists));
  }
}
