package com.pdprime.realtime.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * How a transaction ended when its commit failed on the way back. A commit the database carried out
 * whose answer was lost (the connection broke between the two) throws like a commit that failed;
 * PostgreSQL keeps each transaction's outcome by its id ({@code pg_xact_status}), so a caller that
 * noted the id inside the transaction can ask afterwards, on another connection. Other databases
 * give no id: the embedded H2 runs in the server's own process, where no answer travels a network.
 */
@ApplicationScoped
public class TransactionOutcomes {
  /** What the database says of a transaction it knows. */
  public enum Outcome {
    COMMITTED,
    ROLLED_BACK
  }

  /** The database could not say within the wait (it does not answer, or still commits). */
  public static final class OutcomeUnknown extends Exception {
    public OutcomeUnknown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** How long to keep asking: a commit still in progress, or a database briefly away. */
  static final Duration WAIT = Duration.ofSeconds(3);

  private static final long PAUSE_MILLIS = 100;

  @Resource(lookup = "jdbc/realtime")
  DataSource dataSource;

  /**
   * The id of the transaction {@code connection} is in, assigning one if it has none yet (it is
   * about to write anyway); empty on a database that cannot report outcomes by id.
   */
  public static OptionalLong currentId(Connection connection) throws SQLException {
    if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
      return OptionalLong.empty();
    }
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT CAST(pg_current_xact_id() AS TEXT)")) {
      row.next();
      return OptionalLong.of(Long.parseLong(row.getString(1)));
    }
  }

  /**
   * The outcome of the transaction {@code id} (from {@link #currentId}), asked on a connection of
   * its own and outside any transaction; asked again while the database says it is still in
   * progress or does not answer, up to {@link #WAIT}.
   */
  public Outcome outcomeOf(long id) throws OutcomeUnknown, InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    String last;
    Exception cause = null;
    do {
      try {
        last = status(id);
        if ("committed".equals(last)) {
          return Outcome.COMMITTED;
        }
        if ("aborted".equals(last)) {
          return Outcome.ROLLED_BACK;
        }
        if (last == null) {
          throw new OutcomeUnknown(
              "transaction " + id + " is too old for its outcome to be kept", null);
        }
      } catch (SQLException e) {
        last = "not asked: " + e;
        cause = e;
      }
      Thread.sleep(PAUSE_MILLIS);
    } while (Instant.now().isBefore(deadline));
    throw new OutcomeUnknown(
        "the outcome of transaction " + id + " is unknown after " + WAIT + " (" + last + ")",
        cause);
  }

  private String status(long id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT pg_xact_status(CAST(? AS xid8))")) {
      select.setQueryTimeout(1);
      select.setString(1, Long.toString(id));
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
