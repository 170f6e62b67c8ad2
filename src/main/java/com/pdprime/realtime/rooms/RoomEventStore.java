package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.persistence.JdbcBatch;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.io.StringReader;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A room's durable history, and the only source of its sequence numbers. The next {@code seq} comes
 * from incrementing the room's row in {@code room_sequences} inside the publishing transaction: the
 * row lock orders concurrent publishers on every instance, and a publisher commits before the next
 * one can draw a number, so a relayed event's predecessors are always readable from history.
 */
@Stateless
public class RoomEventStore {
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(null);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The heads of the asked rooms, one statement for any number of them: the names go as one array,
   * unnested and joined to the table on its key.
   */
  private static final String HEADS =
      "SELECT s.room, s.epoch, s.last_seq FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS asked(room)"
          + " JOIN room_sequences s ON s.room = asked.room";

  @PersistenceContext EntityManager em;
  @Inject CommittedSequenceRows committedRows;

  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public StoredEvent append(
      RoomName room, String name, JsonObject data, JsonObject guarded, String publishedBy) {
    String key = room.toString();
    Position head = advanceAll(new TreeMap<>(Map.of(key, 1))).get(key);
    Instant now = Instant.now();
    StoredEvent stored =
        new StoredEvent(room, head.epoch(), head.seq(), name, now.toEpochMilli(), data, guarded);
    insert(List.of(new EventRow(stored, publishedBy)), now);
    return stored;
  }

  /**
   * Stores the events of one batch or group in the caller's transaction, in the given order, and
   * returns them in that order. Each room's sequence row is advanced once for all of its events,
   * the rows in {@link SequencePlan}'s order; the events are inserted after every row is advanced,
   * as one JDBC batch.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public List<StoredEvent> appendAll(List<AuthoredEvent> authored) {
    SequencePlan plan =
        new SequencePlan(authored.stream().map(a -> a.event().room().toString()).toList());
    Map<String, Position> heads = advanceAll(plan.countsInLockOrder());
    Map<String, Long> lastSeqs = new HashMap<>();
    heads.forEach((room, head) -> lastSeqs.put(room, head.seq()));
    long[] seqs = plan.seqs(lastSeqs);
    Instant now = Instant.now();
    List<StoredEvent> stored = new ArrayList<>(authored.size());
    List<EventRow> rows = new ArrayList<>(authored.size());
    for (int i = 0; i < seqs.length; i++) {
      PublishRequest event = authored.get(i).event();
      StoredEvent storedEvent =
          new StoredEvent(
              event.room(),
              heads.get(event.room().toString()).epoch(),
              seqs[i],
              event.name(),
              now.toEpochMilli(),
              event.data(),
              JsonValue.EMPTY_JSON_OBJECT);
      stored.add(storedEvent);
      rows.add(new EventRow(storedEvent, authored.get(i).publishedBy()));
    }
    insert(rows, now);
    return stored;
  }

  /** The room's current head: its epoch and the last seq published, or seq 0 in a new epoch. */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public Position head(RoomName room) {
    List<?> rows =
        em.createNativeQuery("SELECT epoch, last_seq FROM room_sequences WHERE room = ?")
            .setParameter(1, room.toString())
            .getResultList();
    if (rows.isEmpty()) {
      return createHead(room);
    }
    Object[] row = (Object[]) rows.get(0);
    return new Position((String) row[0], ((Number) row[1]).longValue());
  }

  /**
   * The heads of many rooms, for the periodic catch-up of locally subscribed rooms, in one
   * statement ({@link #HEADS}).
   *
   * <p>Why not {@code room IN (...)}: H2 finds each row by the key and then checks it against the
   * whole list one value at a time, so a statement's cost grows with the square of its rooms (one
   * statement for the catch-up of 10,000 rooms was 42 % of the server's CPU, bench/RESULTS.md, "The
   * catch-up of many rooms"); in chunks of 100 rooms the catch-up of 1,000 rooms every 2 s and the
   * group commits' reads were still 4.0 % of the server's CPU samples at 1,000 publishes/s, each
   * chunk size a statement text of its own; in one statement 1.9–2.0 % ("Third stop of
   * 2026-12-05").
   *
   * <p>Plain JDBC, as {@link #advanceAll}: EclipseLink's native query around the statement took 36
   * of the 95 samples in reading heads at 1,000 publishes/s, H2 itself 58 (bench/RESULTS.md,
   * "Second stop of 2026-12-02", part 3).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public Map<String, Position> heads(List<String> rooms) {
    Map<String, Position> heads = new HashMap<>();
    if (rooms.isEmpty()) {
      return heads;
    }
    Connection connection = em.unwrap(Connection.class);
    try (PreparedStatement select = connection.prepareStatement(HEADS)) {
      select.setArray(1, connection.createArrayOf("varchar", rooms.toArray(String[]::new)));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          heads.put(rows.getString(1), new Position(rows.getString(2), rows.getLong(3)));
        }
      }
    } catch (SQLException e) {
      throw new PersistenceException(
          "reading the heads of " + rooms.size() + " rooms failed, from " + rooms.get(0), e);
    }
    return heads;
  }

  /** Events after {@code afterSeq} in order, at most {@code limit}. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public List<StoredEvent> readAfter(RoomName room, long afterSeq, int limit) {
    return em.createQuery(
            "SELECT e FROM RoomEvent e WHERE e.room = :room AND e.seq > :after ORDER BY e.seq",
            RoomEvent.class)
        .setParameter("room", room.toString())
        .setParameter("after", afterSeq)
        .setMaxResults(limit)
        .getResultStream()
        .map(e -> toStored(room, e))
        .toList();
  }

  /** The oldest seq still in history, or empty history's next seq. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public long oldestRetained(RoomName room) {
    Number oldest =
        (Number)
            em.createQuery("SELECT MIN(e.seq) FROM RoomEvent e WHERE e.room = :room")
                .setParameter("room", room.toString())
                .getSingleResult();
    return oldest == null ? Long.MAX_VALUE : oldest.longValue();
  }

  private Position createHead(RoomName room) {
    createRows(em.unwrap(Connection.class), List.of(room.toString()));
    Object[] row =
        (Object[])
            em.createNativeQuery("SELECT epoch, last_seq FROM room_sequences WHERE room = ?")
                .setParameter(1, room.toString())
                .getSingleResult();
    return new Position((String) row[0], ((Number) row[1]).longValue());
  }

  /**
   * Deletes history older than the recovery window; a resume from before it gets recovered:false.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public int pruneBefore(Instant cutoff) {
    return em.createQuery("DELETE FROM RoomEvent e WHERE e.publishedAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
  }

  /** A stored event and who published it: one row of {@code room_events}. */
  private record EventRow(StoredEvent event, String publishedBy) {}

  /**
   * Inserts the events' rows as one JDBC batch on the transaction's connection. Not {@code
   * em.persist}: EclipseLink registered, cloned and compared each new {@link RoomEvent} at commit,
   * rows nothing in the transaction reads again (no shared cache holds them). At 1,000 publishes/s
   * its commit of them was 8.4 % of the server's CPU samples, this batch is 7.1 %, nearly all of it
   * H2's inserts (bench/RESULTS.md, "Third stop of 2026-12-05"): one way to write a row, as the
   * sequence rows, at a little less cost.
   */
  private void insert(List<EventRow> rows, Instant at) {
    Timestamp publishedAt = Timestamp.from(at);
    try {
      JdbcBatch.execute(
          em.unwrap(Connection.class),
          "INSERT INTO room_events"
              + " (room, seq, epoch, name, data, guarded, published_at, published_by)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          rows,
          (insert, row) -> {
            StoredEvent event = row.event();
            insert.setString(1, event.room().toString());
            insert.setLong(2, event.seq());
            insert.setString(3, event.epoch());
            insert.setString(4, event.name());
            insert.setString(5, event.data().toString());
            insert.setString(6, event.hasGuarded() ? event.guarded().toString() : null);
            insert.setTimestamp(7, publishedAt);
            insert.setString(8, row.publishedBy());
          });
    } catch (SQLException e) {
      throw new PersistenceException(
          "storing " + rows.size() + " events failed, from " + rows.get(0).event().room(), e);
    }
  }

  /**
   * Advances each room's row by its count, in the map's (name) order, as one JDBC batch of updates
   * on the transaction's connection, and returns each room's head after it: one round trip instead
   * of one statement per room and a read of the heads after them. The update holds each row's lock
   * until commit: that is what orders publishers. The heads come back with the updates (JDBC's
   * generated keys) because on PostgreSQL a publish's answer waits for the group commit's round
   * trips, each a wake-up of a database process competing for the same cores: with a separate
   * {@code SELECT} a transaction took four (bench/RESULTS.md, "Seventh stop of 2026-12-05").
   *
   * <p>Rows not known to be committed are created first, also in name order, and only then is any
   * row locked: a row created after the updates would be locked out of name order, and two batches
   * over the same new rooms deadlocked so on PostgreSQL (EventBatchIT's race, in CI on 2026-12-01).
   * An insert that meets another transaction's uncommitted row waits for it, so every update below
   * finds its row.
   */
  private Map<String, Position> advanceAll(SortedMap<String, Integer> counts) {
    List<String> rooms = List.copyOf(counts.keySet());
    Connection connection = em.unwrap(Connection.class);
    createRows(connection, committedRows.notKnown(rooms));
    List<Map.Entry<String, Position>> advanced;
    try {
      advanced =
          JdbcBatch.executeReturning(
              connection,
              "UPDATE room_sequences SET last_seq = last_seq + ? WHERE room = ?",
              new String[] {"room", "epoch", "last_seq"},
              rooms,
              (update, room) -> {
                update.setInt(1, counts.get(room));
                update.setString(2, room);
              },
              row -> Map.entry(row.getString(1), new Position(row.getString(2), row.getLong(3))));
    } catch (SQLException e) {
      throw new PersistenceException("advancing the sequence rows of " + rooms + " failed", e);
    }
    Map<String, Position> heads = new HashMap<>();
    advanced.forEach(head -> heads.put(head.getKey(), head.getValue()));
    // Never a guessed seq: a room whose row was not advanced fails the transaction.
    for (String room : rooms) {
      if (!heads.containsKey(room)) {
        throw new PersistenceException("room " + room + " has no sequence row to advance");
      }
    }
    return heads;
  }

  /**
   * Inserts a row in a new epoch for each room that has none; a room whose row another transaction
   * committed is remembered, so its next publish skips the attempt.
   */
  private void createRows(Connection connection, List<String> rooms) {
    int[] inserted;
    try {
      inserted =
          JdbcBatch.execute(
              connection,
              "INSERT INTO room_sequences (room, epoch, last_seq) VALUES (?, ?, 0)"
                  + " ON CONFLICT DO NOTHING",
              rooms,
              (insert, room) -> {
                insert.setString(1, room);
                insert.setString(2, newEpoch());
              });
    } catch (SQLException e) {
      throw new PersistenceException("creating the sequence rows of " + rooms + " failed", e);
    }
    for (int i = 0; i < rooms.size(); i++) {
      if (inserted[i] == 0) {
        committedRows.committed(rooms.get(i));
      }
    }
  }

  private static StoredEvent toStored(RoomName room, RoomEvent e) {
    JsonObject guarded =
        e.guarded() == null ? JsonValue.EMPTY_JSON_OBJECT : parseObject(e.guarded());
    return new StoredEvent(
        room,
        e.epoch(),
        e.seq(),
        e.name(),
        e.publishedAt().toEpochMilli(),
        parseObject(e.data()),
        guarded);
  }

  /** Parses JSON this server wrote itself (history rows, events held in memory). */
  static JsonObject parseObject(String text) {
    try (var reader = READERS.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /** A new history's name: random, so a reset history never reuses an old epoch. */
  private static String newEpoch() {
    return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }
}
