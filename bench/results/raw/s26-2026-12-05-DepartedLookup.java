
// Scratch micro-benchmark of the second stop of 2026-12-05 (bench/RESULTS.md): a storm's 10,000
// closed connections looked up in room_presence, in flushes of 20-500 connection ids:
// connection_id IN (...) (a new text per count, as the JPQL sent it) against UNNEST of one array.
//   java -cp H2_JAR|PGJDBC_JAR DepartedLookup.java URL [user]
import java.sql.*;
import java.util.*;
public class DepartedLookup {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0], a.length > 1 ? a[1] : "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("drop table if exists pl_presence");
        s.execute("create table pl_presence(connection_id varchar(36), room varchar(200), instance_id varchar(100) not null, subject varchar(200) not null, display_name varchar(200) not null, joined_at timestamp not null, constraint pk_pl primary key(connection_id, room))");
        s.execute("create index ix_pl_room_subject on pl_presence(room, subject)");
      }
      c.setAutoCommit(false);
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("insert into pl_presence values (?,?,?,?,?,?)")) {
        for (int i = 0; i < 10_000; i++) {
          String id = UUID.randomUUID().toString(); ids.add(id);
          ps.setString(1, id); ps.setString(2, "quote:" + (i / 10)); ps.setString(3, "i1"); ps.setString(4, "bench-agent-" + i); ps.setString(5, "A"); ps.setTimestamp(6, new Timestamp(0)); ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      for (String shape : new String[] {"in", "unnest", "in", "unnest"}) {
        Random sizes = new Random(3); Collections.shuffle(ids, new Random(4));
        long t = System.nanoTime(); int found = 0, queries = 0;
        for (int from = 0; from < ids.size(); ) {
          int n = 20 + sizes.nextInt(481);
          List<String> flush = ids.subList(from, Math.min(ids.size(), from + n));
          String sql = shape.equals("in")
              ? "select connection_id, room, instance_id, subject, display_name, joined_at from pl_presence where connection_id in (" + String.join(",", Collections.nCopies(flush.size(), "?")) + ")"
              : "select p.connection_id, p.room, p.instance_id, p.subject, p.display_name, p.joined_at from unnest(cast(? as varchar array)) as gone(connection_id) join pl_presence p on p.connection_id = gone.connection_id";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (shape.equals("in")) for (int i = 0; i < flush.size(); i++) ps.setString(i + 1, flush.get(i));
            else ps.setArray(1, c.createArrayOf("varchar", flush.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) { while (rs.next()) found++; }
          }
          queries++; c.commit(); from += n;
        }
        System.out.printf("%-7s %4d queries: %8.1f ms for %d connections (found %d)%n", shape, queries, (System.nanoTime() - t) / 1e6, ids.size(), found);
      }
      try (Statement s = c.createStatement()) { s.execute("drop table pl_presence"); }
      c.commit();
    }
  }
}
