// Scratch micro-benchmark of the second stop of 2026-12-05 (bench/RESULTS.md): how long presence's
// "which of these (room, subject) pairs still have a row" takes, by query shape, for a storm's
// 20,000 touched pairs asked in flushes of 20-500 (each flush one statement, or chunks of -Dcap),
// on a table shaped like room_presence (changesets 002 + 011): 10,000 rows, rooms of 10.
// Shapes: in-in (room IN (...) AND subject IN (...), as PresenceStore asked before; run twice),
// unnest (two arrays unnested side by side joined on the index, the shipped one; twice), any-any.
//   java -cp H2_JAR PresenceLookup.java 'jdbc:h2:mem:pl;DB_CLOSE_DELAY=-1;MODE=PostgreSQL'
//   java -cp PGJDBC_JAR PresenceLookup.java jdbc:postgresql://127.0.0.1:5432/test postgres
import java.sql.*;
import java.util.*;
public class PresenceLookup {
  static final int ROWS = 10_000, ASK = 500;
  public static void main(String[] a) throws Exception {
    boolean big = System.getProperty("big") != null;
    try (Connection c = DriverManager.getConnection(a[0], a.length > 1 ? a[1] : "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("drop table if exists pl_presence");
        s.execute("create table pl_presence(connection_id varchar(36), room varchar(200), instance_id varchar(100) not null, subject varchar(200) not null, display_name varchar(200) not null, joined_at timestamp not null, constraint pk_pl primary key(connection_id, room))");
        s.execute("create index ix_pl_instance on pl_presence(instance_id)");
        s.execute("create index ix_pl_room_subject on pl_presence(room, subject)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("insert into pl_presence values (?,?,?,?,?,?)")) {
        for (int i = 0; i < ROWS; i++) {
          add(ps, "c-" + i, "quote:q-" + (i / 10), "bench-agent-" + i);
          if (big) add(ps, "c-" + i, "analytics:bench", "bench-agent-" + i);
        }
        ps.executeBatch();
      }
      c.commit();
      if (a[0].startsWith("jdbc:postgresql")) try (Statement s = c.createStatement()) { s.execute("analyze pl_presence"); }
      c.commit();
      Random r = new Random(1);
      List<String[]> ask = new ArrayList<>();
      for (int k = 0; k < ASK; k++) {
        int i = r.nextInt(ROWS);
        ask.add(new String[] {big && k % 2 == 0 ? "analytics:bench" : "quote:q-" + (i / 10), "bench-agent-" + i});
      }
      Random sizes = new Random(2);
      List<String[]> all = new ArrayList<>();
      for (int k = 0; k < 20_000; k++) { int i = r.nextInt(ROWS); all.add(new String[] {"quote:q-" + (i / 10), "bench-agent-" + i}); }
      for (String shape : new String[] {"in-in", "unnest", "unnest", "any-any"}) {
        int cap = Integer.getInteger("cap", 500);
        long t = System.nanoTime(); int found = 0, queries = 0;
        for (int from = 0; from < all.size(); ) {
          int n = 20 + sizes.nextInt(cap - 19);
          List<String[]> flush = all.subList(from, Math.min(all.size(), from + n));
          int chunk = shape.equals("in-in") ? cap : 100000;
          for (int f = 0; f < flush.size(); f += chunk) { found += query(c, shape, flush.subList(f, Math.min(flush.size(), f + chunk))); queries++; }
          c.commit();
          from += n;
        }
        System.out.printf("%-12s %5d queries: %8.1f ms for %d pairs (found %d)%n", shape, queries, (System.nanoTime() - t) / 1e6, all.size(), found);
      }
      try (Statement s = c.createStatement()) { s.execute("drop table pl_presence"); }
      c.commit();
    }
  }
  static void add(PreparedStatement ps, String conn, String room, String subject) throws SQLException {
    ps.setString(1, conn); ps.setString(2, room); ps.setString(3, "i1"); ps.setString(4, subject); ps.setString(5, subject); ps.setTimestamp(6, new Timestamp(0)); ps.addBatch();
  }
  static int query(Connection c, String shape, List<String[]> pairs) throws SQLException {
    StringBuilder sql = new StringBuilder();
    List<String> params = new ArrayList<>();
    switch (shape) {
      case "in-in" -> {
        List<String> rooms = pairs.stream().map(p -> p[0]).distinct().toList();
        List<String> subjects = pairs.stream().map(p -> p[1]).distinct().toList();
        sql.append("select distinct room, subject from pl_presence where room in (").append(marks(rooms.size())).append(") and subject in (").append(marks(subjects.size())).append(")");
        params.addAll(rooms); params.addAll(subjects);
      }
      case "pairs-union" -> {
        for (int i = 0; i < pairs.size(); i++) {
          if (i > 0) sql.append(" union ");
          sql.append("select room, subject from pl_presence where room = ? and subject = ?");
          params.add(pairs.get(i)[0]); params.add(pairs.get(i)[1]);
        }
      }
      case "pairs-or" -> {
        sql.append("select distinct room, subject from pl_presence where ");
        for (int i = 0; i < pairs.size(); i++) {
          if (i > 0) sql.append(" or ");
          sql.append("(room = ? and subject = ?)");
          params.add(pairs.get(i)[0]); params.add(pairs.get(i)[1]);
        }
      }
      case "row-in" -> {
        sql.append("select distinct room, subject from pl_presence where (room, subject) in (");
        for (int i = 0; i < pairs.size(); i++) {
          sql.append(i > 0 ? ", (?, ?)" : "(?, ?)");
          params.add(pairs.get(i)[0]); params.add(pairs.get(i)[1]);
        }
        sql.append(")");
      }
    }
    boolean pg = c.getMetaData().getURL().startsWith("jdbc:postgresql");
    if (shape.equals("unnest") || shape.equals("any-any")) {
      String[] rooms = pairs.stream().map(p -> p[0]).toArray(String[]::new);
      String[] subjects = pairs.stream().map(p -> p[1]).toArray(String[]::new);
      String q = shape.equals("unnest")
          ? (false ? ""
                : "select distinct p.room, p.subject from unnest(cast(? as varchar array), cast(? as varchar array)) as t(room, subject) join pl_presence p on p.room = t.room and p.subject = t.subject")
          : "select distinct room, subject from pl_presence where room = any(?) and subject = any(?)";
      int n = 0;
      try (PreparedStatement ps = c.prepareStatement(q)) {
        ps.setArray(1, c.createArrayOf("varchar", rooms)); ps.setArray(2, c.createArrayOf("varchar", subjects));
        try (ResultSet rs = ps.executeQuery()) { while (rs.next()) n++; }
      }
      return n;
    }
    int n = 0;
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) ps.setString(i + 1, params.get(i));
      try (ResultSet rs = ps.executeQuery()) { while (rs.next()) n++; }
    }
    return n;
  }
  static String marks(int n) { return String.join(",", Collections.nCopies(n, "?")); }
}
