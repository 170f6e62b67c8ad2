package com.pdprime.realtime.persistence;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * Recognises a statement the driver cancelled because the database did not answer within the
 * connection pool's statement timeout (docs/operations.md, "Statement timeout"): the database was
 * reached but held the statement (a lock, an overload), so waiting longer is what the timeout
 * forbids, and the same work may succeed a moment later. PostgreSQL and H2 both report a cancelled
 * statement with SQLState {@code 57014}; a driver may also throw {@link SQLTimeoutException}.
 */
public final class StatementTimeout {
  private static final String QUERY_CANCELED = "57014";
  private static final int MAX_DEPTH = 32;

  private StatementTimeout() {}

  /** Whether {@code failure}, or any of its causes, is a statement cancelled by its timeout. */
  public static boolean cancelled(Throwable failure) {
    // Bounded: a cause chain may loop.
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
      if (cause instanceof SQLTimeoutException
          || cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
