import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the connection journal's writes in a reconnect storm cost with random connection ids (UUID
 * version 4, as the server makes them) against time-ordered ones (the first 48 bits the time in
 * milliseconds, as UUID version 7): twenty storms of 10,000 connections, each written as the
 * journal writes it, ten flushes of 1,000 new rows and 1,000 of the previous storm's rows closed,
 * one transaction per flush. Prints each storm's time without the 20 ms waits between flushes.
 */
public class JournalKeyOrder {
  public static void main(String[] args) throws SQLException, InterruptedException {
    boolean ordered = args[0].equals("ordered");
    try (Connection db = DriverManager.getConnection(args[1], "postgres", "")) {
      try (Statement ddl = db.createStatement()) {
        ddl.execute("DROP TABLE IF EXISTS key_order_connections");
        ddl.execute(
            "CREATE TABLE key_order_connections (id varchar(36) PRIMARY KEY, instance_id"
                + " varchar(100) NOT NULL, subject varchar(200) NOT NULL, is_admin boolean NOT"
                + " NULL, ip_address varchar(64), user_agent varchar(512), state varchar(16) NOT"
                + " NULL, connected_at timestamp NOT NULL, last_activity_at timestamp NOT NULL,"
                + " disconnected_at timestamp, close_code int, close_reason varchar(512))");
        ddl.execute("CREATE INDEX ix_key_order ON key_order_connections (instance_id, state)");
      }
      db.setAutoCommit(false);
      PreparedStatement open =
          db.prepareStatement(
              "INSERT INTO key_order_connections (id, instance_id, subject, is_admin, ip_address,"
                  + " user_agent, state, connected_at, last_activity_at) VALUES (?, 'instance-1',"
                  + " ?, false, '127.0.0.1', 'node', 'OPEN', ?, ?)");
      PreparedStatement close =
          db.prepareStatement(
              "UPDATE key_order_connections SET state = 'CLOSED', disconnected_at = ?, close_code"
                  + " = 1006, close_reason = 'went away' WHERE id = ?");
      List<String> previous = new ArrayList<>();
      for (int storm = 0; storm < 20; storm++) {
        long started = System.nanoTime();
        List<String> opened = new ArrayList<>();
        for (int flush = 0; flush < 10; flush++) {
          Timestamp now = new Timestamp(System.currentTimeMillis());
          for (int i = 0; i < 1000; i++) {
            String id = ordered ? ordered() : UUID.randomUUID().toString();
            opened.add(id);
            open.setString(1, id);
            open.setString(2, "user-" + i);
            open.setTimestamp(3, now);
            open.setTimestamp(4, now);
            open.addBatch();
          }
          open.executeBatch();
          for (String id : previous.subList(Math.min(flush * 1000, previous.size()),
              Math.min(flush * 1000 + 1000, previous.size()))) {
            close.setTimestamp(1, now);
            close.setString(2, id);
            close.addBatch();
          }
          close.executeBatch();
          db.commit();
          Thread.sleep(20);
        }
        previous = opened;
        System.out.printf(
            "%s storm %d: %.0f ms%n",
            args[0], storm, (System.nanoTime() - started) / 1e6 - 10 * 20);
      }
    }
  }

  private static String ordered() {
    UUID random = UUID.randomUUID();
    long high =
        (System.currentTimeMillis() << 16) | 0x7000L | (random.getMostSignificantBits() & 0xFFFL);
    return new UUID(high, random.getLeastSignificantBits()).toString();
  }
}
