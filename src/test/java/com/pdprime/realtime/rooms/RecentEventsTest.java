package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.MovableClock;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The in-memory recent history answers a range whole and in order, or not at all: never a part of
 * it, never across a hole, never another room's or another epoch's events; and it stays within its
 * count, byte and age bounds.
 */
class RecentEventsTest {
  private static final RoomName A = room("user:alice");
  private static final RoomName B = room("user:bob");
  private static final long UNBOUNDED_BYTES = Long.MAX_VALUE;
  private static final long AN_HOUR = Duration.ofHours(1).toMillis();

  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));

  @Test
  void readsBackEveryFieldAsAppendedGuardedFieldsIncluded() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    StoredEvent plain = event(A, "e1", 1);
    StoredEvent guarded =
        new StoredEvent(
            A,
            "e1",
            2,
            "quote.priced",
            1_764_504_000_123L,
            JSON.createObjectBuilder().add("status", "priced").add("fields", 12).build(),
            JSON.createObjectBuilder()
                .add(
                    "premium:view",
                    JSON.createObjectBuilder().add("premium", 1234.5).add("currency", "EUR"))
                .build());
    recent.append(plain);
    recent.append(guarded);

    List<StoredEvent> read = recent.read(A, "e1", 0, 2).orElseThrow();

    assertEquals(List.of(plain, guarded), read);
    assertEquals(
        guarded.dataFor(Set.of("premium:view")), read.get(1).dataFor(Set.of("premium:view")));
  }

  @Test
  void servesTheWholeRangeInOrder() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 10);
    assertEquals(List.of(4L, 5L, 6L, 7L), seqs(recent.read(A, "e1", 3, 7)));
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), seqs(recent.read(A, "e1", 0, 10)));
  }

  @Test
  void aRangeReachingBeforeOrAfterTheTailIsNotServedAtAll() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 5, 10);
    assertEquals(Optional.empty(), recent.read(A, "e1", 3, 10), "seq 4 is not held");
    assertEquals(Optional.empty(), recent.read(A, "e1", 6, 11), "seq 11 is not held");
    assertEquals(List.of(5L, 6L), seqs(recent.read(A, "e1", 4, 6)));
  }

  @Test
  void keepsTheLastEventsOfEachRoomUpToTheCount() {
    RecentEvents recent = recent(3, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 10);
    assertEquals(List.of(8L, 9L, 10L), seqs(recent.read(A, "e1", 7, 10)));
    assertEquals(Optional.empty(), recent.read(A, "e1", 6, 10));
    assertEquals(3, recent.events());
  }

  @Test
  void aSkippedSeqStartsANewTailSoNoRangeSpansTheHole() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 5);
    appendSeqs(recent, A, "e1", 7, 9);
    assertEquals(Optional.empty(), recent.read(A, "e1", 4, 9), "seq 6 was never held");
    assertEquals(Optional.empty(), recent.read(A, "e1", 2, 4), "the tail before the hole is gone");
    assertEquals(List.of(7L, 8L, 9L), seqs(recent.read(A, "e1", 6, 9)));
    assertEquals(3, recent.events());
  }

  @Test
  void anEventAlreadyHeldOrOlderThanTheTailChangesNothing() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 3, 6);
    recent.append(event(A, "e1", 5));
    recent.append(event(A, "e1", 1));
    recent.extend(event(A, "e1", 4));
    assertEquals(List.of(3L, 4L, 5L, 6L), seqs(recent.read(A, "e1", 2, 6)));
    assertEquals(4, recent.events());
  }

  @Test
  void anotherEpochReplacesTheTailAndTheOldEpochIsNotServed() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "old", 1, 5);
    appendSeqs(recent, A, "new", 1, 2);
    assertEquals(Optional.empty(), recent.read(A, "old", 0, 2));
    assertEquals(List.of(1L, 2L), seqs(recent.read(A, "new", 0, 2)));
  }

  @Test
  void eachRoomServesOnlyItsOwnEvents() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 3);
    appendSeqs(recent, B, "e1", 1, 3);
    for (StoredEvent event : recent.read(B, "e1", 0, 3).orElseThrow()) {
      assertEquals(B, event.room());
      assertEquals(B.toString(), event.data().getString("room"));
    }
    assertEquals(Optional.empty(), recent.read(room("user:carol"), "e1", 0, 1));
  }

  @Test
  void relayedEventsOfRoomsWithoutATailAreNotKeptAndAHoleEndsATail() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    recent.extend(event(A, "e1", 1));
    assertEquals(0, recent.rooms());

    appendSeqs(recent, B, "e1", 1, 2);
    recent.extend(event(B, "e1", 3));
    assertEquals(List.of(1L, 2L, 3L), seqs(recent.read(B, "e1", 0, 3)));
    recent.extend(event(B, "e1", 5));
    assertEquals(Optional.empty(), recent.read(B, "e1", 0, 3));
    assertEquals(Optional.empty(), recent.read(B, "e1", 4, 5));
    assertEquals(0, recent.events());
    assertEquals(0, recent.rooms());
  }

  @Test
  void theByteBoundEvictsTheOldestArrivalsWhateverTheirRoom() {
    long perEvent = RecentEvents.ENTRY_BYTES + RecentEvents.estimateBytes(event(A, "e1", 1));
    RecentEvents recent = recent(100, perEvent * 10);
    appendSeqs(recent, A, "e1", 1, 6);
    appendSeqs(recent, B, "e1", 1, 6);
    assertTrue(recent.bytes() <= perEvent * 10, "bytes " + recent.bytes());
    assertEquals(Optional.empty(), recent.read(A, "e1", 0, 6), "A's oldest went first");
    assertEquals(List.of(3L, 4L, 5L, 6L), seqs(recent.read(A, "e1", 2, 6)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(recent.read(B, "e1", 0, 6)));
  }

  @Test
  void eventsOlderThanTheAgeBoundAreDroppedAndTheirBytesReleased() {
    RecentEvents recent = recent(100, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 3);
    clock.advance(Duration.ofMinutes(40));
    appendSeqs(recent, B, "e1", 1, 3);
    clock.advance(Duration.ofMinutes(30));
    recent.evictExpired();
    assertEquals(Optional.empty(), recent.read(A, "e1", 0, 1));
    assertEquals(List.of(1L, 2L, 3L), seqs(recent.read(B, "e1", 0, 3)));
    clock.advance(Duration.ofMinutes(40));
    recent.evictExpired();
    assertEquals(0, recent.bytes());
    assertEquals(0, recent.events());
    assertEquals(0, recent.rooms());
  }

  @Test
  void zeroEventsPerRoomKeepsNothing() {
    RecentEvents recent = recent(0, UNBOUNDED_BYTES);
    appendSeqs(recent, A, "e1", 1, 3);
    assertEquals(Optional.empty(), recent.read(A, "e1", 0, 3));
    assertEquals(0, recent.bytes());
  }

  /**
   * Writers append several rooms in seq order under a byte bound that forces eviction all the time,
   * one of them skipping seqs now and then, another racing with relayed events out of order, while
   * readers ask for random ranges: every answer is the exact range of the room asked for, and
   * afterwards the accounting returns to zero.
   */
  @Test
  void concurrentAppendsAndReadsNeverSeeAPartialOrForeignRange() throws Exception {
    long perEvent = RecentEvents.ENTRY_BYTES + RecentEvents.estimateBytes(event(A, "e1", 1));
    RecentEvents recent = recent(50, perEvent * 120);
    List<RoomName> rooms = List.of(A, B, room("user:carol"), room("user:dave"));
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(rooms.size() + 3);
    AtomicLongArray written = new AtomicLongArray(rooms.size());
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < rooms.size(); w++) {
      RoomName room = rooms.get(w);
      int index = w;
      boolean skips = room.equals(A);
      writers.add(
          threads.submit(
              () -> {
                for (long seq = 1; seq <= 20_000; seq++) {
                  if (skips && seq % 997 == 0) {
                    continue;
                  }
                  recent.append(event(room, "e1", seq));
                  written.set(index, seq);
                }
              }));
    }
    writers.add(
        threads.submit(
            () -> {
              // The relay's path for room B at the same time: events near the head, out of order.
              ThreadLocalRandom random = ThreadLocalRandom.current();
              for (int i = 0; i < 20_000; i++) {
                long seq = Math.max(1, written.get(1) + random.nextLong(-3, 4));
                recent.extend(event(B, "e1", seq));
              }
            }));
    List<Future<Long>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          threads.submit(
              () -> {
                long served = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (writing.get()) {
                  int index = random.nextInt(rooms.size());
                  RoomName room = rooms.get(index);
                  long after = Math.max(0, written.get(index) - random.nextLong(60));
                  long upTo = after + 1 + random.nextLong(30);
                  Optional<List<StoredEvent>> range = recent.read(room, "e1", after, upTo);
                  if (range.isPresent()) {
                    served++;
                    List<StoredEvent> events = range.get();
                    assertEquals(upTo - after, events.size());
                    for (int i = 0; i < events.size(); i++) {
                      StoredEvent event = events.get(i);
                      assertEquals(after + 1 + i, event.seq());
                      assertEquals(room, event.room());
                      assertEquals(event.seq(), event.data().getJsonNumber("seq").longValue());
                    }
                  }
                }
                return served;
              }));
    }
    for (Future<?> writer : writers) {
      writer.get(60, TimeUnit.SECONDS);
    }
    writing.set(false);
    long served = 0;
    for (Future<Long> reader : readers) {
      served += reader.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertTrue(served > 100, "reads served from memory: " + served);
    assertTrue(recent.bytes() <= perEvent * 120, "bytes " + recent.bytes());
    assertTrue(recent.events() <= 120, "events " + recent.events());

    clock.advance(Duration.ofHours(2));
    recent.evictExpired();
    assertEquals(0, recent.bytes());
    assertEquals(0, recent.events());
    assertEquals(0, recent.rooms());
  }

  private RecentEvents recent(int maxEventsPerRoom, long maxBytes) {
    return new RecentEvents(new RecentEvents.Limits(maxEventsPerRoom, maxBytes, AN_HOUR), clock);
  }

  private static void appendSeqs(
      RecentEvents recent, RoomName room, String epoch, long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      recent.append(event(room, epoch, seq));
    }
  }

  private static StoredEvent event(RoomName room, String epoch, long seq) {
    return new StoredEvent(
        room,
        epoch,
        seq,
        "note.created",
        0,
        JSON.createObjectBuilder().add("room", room.toString()).add("seq", seq).build(),
        JsonValue.EMPTY_JSON_OBJECT);
  }

  private static List<Long> seqs(Optional<List<StoredEvent>> range) {
    return range.orElseThrow(() -> new AssertionError("not served from memory")).stream()
        .map(StoredEvent::seq)
        .toList();
  }

  private static RoomName room(String name) {
    try {
      return RoomName.parse(name);
    } catch (RoomName.InvalidRoomName e) {
      throw new AssertionError(e);
    }
  }
}
