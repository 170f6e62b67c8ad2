package com.pdprime.realtime.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Which failures are the statement timeout's: the ones answered "busy" and kept for a retry, where
 * any other database failure stays an internal error or a refusal.
 */
class StatementTimeoutTest {
  @Test
  void aStatementCancelledDeepInTheCausesIsTheTimeouts() {
    SQLException cancelled =
        new SQLException("ERROR: canceling statement due to user request", "57014");
    assertTrue(
        StatementTimeout.cancelled(
            new IllegalStateException("EJB", new PersistenceException("flush", cancelled))));
    assertTrue(StatementTimeout.cancelled(new SQLTimeoutException("query timed out")));
  }

  @Test
  void otherDatabaseFailuresAreNot() {
    assertFalse(
        StatementTimeout.cancelled(
            new PersistenceException(new SQLException("duplicate key value", "23505"))));
    assertFalse(
        StatementTimeout.cancelled(new SQLException("Connection refused", "08001")),
        "a database that does not answer at all is an outage, not a held statement");
    assertFalse(StatementTimeout.cancelled(new IllegalStateException("no cause")));
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second", first);
    first.initCause(second);
    assertFalse(StatementTimeout.cancelled(second));
  }
}
