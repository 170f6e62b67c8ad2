// Bytes the JVM allocates per row inserted into an in-memory H2 table shaped like room_events (two
// indexes besides the row: the (room, seq) key and published_at), batches of 5 as the group commit
// sends them. Scratch analysis of the first stop of 2026-12-05 (bench/RESULTS.md):
//   java -cp ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar s25-2026-12-05-H2Alloc.java
//   [-Drows=N] [-Dnoix=1: without the published_at index]
import java.lang.management.ManagementFactory;
import java.sql.*;
public class H2Alloc {
  public static void main(String[] a) throws Exception {
    String url = "jdbc:h2:mem:t" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL" + (a.length > 0 ? a[0] : "");
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("create table room_events(room varchar(200), seq bigint, epoch varchar(32) not null, name varchar(100) not null, data varchar(1000000) not null, published_at timestamp not null, published_by varchar(200) not null, constraint pk_room_events primary key(room, seq))");
        if (System.getProperty("noix") == null) s.execute("create index ix_room_events_published_at on room_events(published_at)");
      }
      c.setAutoCommit(false);
      long[] seq = new long[1000];
      int total = Integer.parseInt(System.getProperty("rows", "600000"));
      long t0 = 0, b0 = 0; int counted = 0;
      PreparedStatement ps = c.prepareStatement("insert into room_events(room,seq,epoch,name,data,published_at,published_by) values (?,?,?,?,?,?,?)");
      for (int i = 0; i < total; i++) {
        int r = (int) ((i * 7919L) % 1000);
        ps.setString(1, "quote:q-" + r); ps.setLong(2, ++seq[r]); ps.setString(3, "e1"); ps.setString(4, "quote.updated");
        ps.setString(5, "{\"premium\":1234.5,\"n\":" + i + "}"); ps.setTimestamp(6, new Timestamp(System.currentTimeMillis())); ps.setString(7, "svc");
        ps.addBatch();
        if (i % 5 == 4) { ps.executeBatch(); c.commit(); }
        if (i == total - 100000) { b0 = mx.getCurrentThreadAllocatedBytes(); t0 = System.nanoTime(); counted = 0; }
        counted++;
      }
      long b1 = mx.getCurrentThreadAllocatedBytes();
      System.out.printf("%s: last %d inserts: %.0f bytes/insert, %.1f us/insert%n", a.length > 0 ? a[0] : "(default)", counted, (b1 - b0) / (double) counted, (System.nanoTime() - t0) / 1000.0 / counted);
    }
  }
}
