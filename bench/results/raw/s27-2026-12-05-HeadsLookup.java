// Scratch micro-benchmark of the third stop of 2026-12-05 (bench/RESULTS.md): how long reading the
// heads of 1,000 rooms takes, by query shape, on a table shaped like room_sequences (10,000 rows):
// in-100 (room IN (...) in statements of 100 rooms, as RoomEventStore.heads asked before) and
// unnest (one array unnested and joined on the key, the shipped one), each 2,000 times, twice.
//   java -cp H2_JAR HeadsLookup.java 'jdbc:h2:mem:hl;DB_CLOSE_DELAY=-1;MODE=PostgreSQL'
//   java -cp PGJDBC_JAR HeadsLookup.java jdbc:postgresql://127.0.0.1:5432/test postgres
import java.sql.*;
import java.util.*;
public class HeadsLookup {
  static final int ROWS = 10_000, ASK = 1_000, REPEAT = 2_000;
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0], a.length > 1 ? a[1] : "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("drop table if exists hl_sequences");
        s.execute("create table hl_sequences(room varchar(200) primary key, epoch varchar(32) not null, last_seq bigint not null)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("insert into hl_sequences values (?,?,?)")) {
        for (int i = 0; i < ROWS; i++) { ps.setString(1, "quote:q-" + i); ps.setString(2, "e" + i); ps.setLong(3, i); ps.addBatch(); }
        ps.executeBatch();
      }
      c.commit();
      if (a[0].startsWith("jdbc:postgresql")) try (Statement s = c.createStatement()) { s.execute("analyze hl_sequences"); }
      c.commit();
      List<String> ask = new ArrayList<>();
      for (int i = 0; i < ASK; i++) ask.add("quote:q-" + (i * 7 % ROWS));
      for (String shape : new String[] {"in-100", "unnest", "in-100", "unnest"}) {
        long t = System.nanoTime(); long found = 0;
        for (int r = 0; r < REPEAT; r++) { found += shape.equals("unnest") ? unnest(c, ask) : in(c, ask); c.commit(); }
        System.out.printf("%-7s %,d lookups of %d rooms: %.3f ms each (found %d)%n", shape, REPEAT, ASK, (System.nanoTime() - t) / 1e6 / REPEAT, found / REPEAT);
      }
    }
  }
  static int in(Connection c, List<String> rooms) throws SQLException {
    int found = 0;
    for (int from = 0; from < rooms.size(); from += 100) {
      List<String> chunk = rooms.subList(from, Math.min(rooms.size(), from + 100));
      try (PreparedStatement ps = c.prepareStatement("SELECT room, epoch, last_seq FROM hl_sequences WHERE room IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
        for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
        try (ResultSet rs = ps.executeQuery()) { while (rs.next()) found++; }
      }
    }
    return found;
  }
  static int unnest(Connection c, List<String> rooms) throws SQLException {
    int found = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT s.room, s.epoch, s.last_seq FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS asked(room) JOIN hl_sequences s ON s.room = asked.room")) {
      ps.setArray(1, c.createArrayOf("varchar", rooms.toArray(String[]::new)));
      try (ResultSet rs = ps.executeQuery()) { while (rs.next()) found++; }
    }
    return found;
  }
}
