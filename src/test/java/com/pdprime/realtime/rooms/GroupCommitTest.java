package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private static final RoomName ANN = room("user:ann");
  private static final RoomName BOB = room("user:bob");

  private static RoomName room(String text) {
    try {
      return RoomName.parse(text);
    } catch (RoomName.InvalidRoomName e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A history in memory: one transaction per call, all or nothing, seqs per room from 1. */
  private static final class History {
    final Map<String, Long> lastSeqs = new HashMap<>();
    final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
    Predicate<List<AuthoredEvent>> refuses = group -> false;

    synchronized List<StoredEvent> store(List<AuthoredEvent> group) {
      groups.add(group.size());
      if (refuses.test(group)) {
        throw new IllegalStateException("rolled back");
      }
      List<StoredEvent> stored = new ArrayList<>();
      for (AuthoredEvent authored : group) {
        PublishRequest event = authored.event();
        long seq = lastSeqs.merge(event.room().toString(), 1L, Long::sum);
        stored.add(
            new StoredEvent(
                event.room(),
                "e1",
                seq,
                event.name(),
                0,
                event.data(),
                JsonValue.EMPTY_JSON_OBJECT));
      }
      return stored;
    }
  }

  private final History history = new History();
  private final AtomicInteger retries = new AtomicInteger();

  private GroupCommit groupCommit(int capacity, int maxGroup) {
    return new GroupCommit(
        capacity,
        maxGroup,
        Duration.ZERO,
        GroupCommit.Clock.SYSTEM,
        history::store,
        size -> {},
        retries::incrementAndGet);
  }

  /** A group commit of 10 events at most, 10 queued, no linger, storing through {@code store}. */
  private GroupCommit storingThrough(GroupCommit.Store store) {
    return new GroupCommit(
        10,
        10,
        Duration.ZERO,
        GroupCommit.Clock.SYSTEM,
        store,
        size -> {},
        retries::incrementAndGet);
  }

  private static AuthoredEvent event(RoomName room, String name, int n) {
    JsonObject data = Json.createObjectBuilder().add("n", n).build();
    return new AuthoredEvent(new PublishRequest(room, name, data), "backend");
  }

  private static String refusal(CompletableFuture<StoredEvent> answer) {
    CompletionException failed = assertThrows(CompletionException.class, answer::join);
    return ((PublishRefused) failed.getCause()).code();
  }

  @Test
  void aLoneEventIsStoredAtOnceInAGroupOfItsOwn() throws Exception {
    GroupCommit commit = groupCommit(10, 10);
    CompletableFuture<StoredEvent> answer = commit.submit(event(ANN, "order.created", 1));

    assertEquals(1, commit.commitNext(0));
    assertEquals(1, answer.join().seq());
    assertEquals(List.of(1), history.groups);
    assertEquals(0, commit.commitNext(0), "nothing left, nothing stored");
  }

  @Test
  void queuedEventsGoInOneTransactionAndEachPublisherGetsItsOwnEvent() throws Exception {
    GroupCommit commit = groupCommit(10, 10);
    List<CompletableFuture<StoredEvent>> answers = new ArrayList<>();
    List<RoomName> rooms = List.of(BOB, ANN, BOB, ANN, BOB);
    for (int i = 0; i < rooms.size(); i++) {
      answers.add(commit.submit(event(rooms.get(i), "order.step", i)));
    }

    assertEquals(5, commit.commitNext(0));
    assertEquals(List.of(5), history.groups);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      StoredEvent stored = answers.get(i).join();
      assertEquals(rooms.get(i), stored.room());
      assertEquals(i, stored.data().getInt("n"), "each waiter gets its own event");
      seqs.add(stored.seq());
    }
    assertEquals(List.of(1L, 1L, 2L, 2L, 3L), seqs, "a room's seqs in queue order");
  }

  @Test
  void eventsArrivingWhileACommitIsInFlightGoTogetherInTheNextOne() throws Exception {
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit commit =
        storingThrough(
            group -> {
              inFlight.countDown();
              awaitQuietly(release);
              return history.store(group);
            });
    CompletableFuture<StoredEvent> first = commit.submit(event(ANN, "order.step", 0));
    ExecutorService committer = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> firstGroup = committer.submit(() -> commit.commitNext(0));
      inFlight.await();
      List<CompletableFuture<StoredEvent>> later = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        later.add(commit.submit(event(i == 2 ? BOB : ANN, "order.step", i)));
      }
      release.countDown();

      assertEquals(1, firstGroup.get(10, TimeUnit.SECONDS), "the first event went alone, at once");
      assertEquals(1, first.join().seq());
      assertEquals(3, commit.commitNext(0), "the three that came meanwhile go together");
      assertEquals(List.of(2L, 1L, 3L), later.stream().map(a -> a.join().seq()).toList());
      assertEquals(List.of(1, 3), history.groups);
    } finally {
      committer.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aGroupTakesAtMostTheGroupSizeAndTheRestGoesNext() throws Exception {
    GroupCommit commit = groupCommit(10, 2);
    List<CompletableFuture<StoredEvent>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(commit.submit(event(ANN, "order.step", i)));
    }

    assertEquals(2, commit.commitNext(0));
    assertEquals(3, commit.depth());
    assertEquals(2, commit.commitNext(0));
    assertEquals(1, commit.commitNext(0));
    assertEquals(List.of(2, 2, 1), history.groups);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), answers.stream().map(a -> a.join().seq()).toList());
  }

  /**
   * A clock the test moves: a sleep advances it and first runs what the test says arrives
   * meanwhile. Records every sleep.
   */
  private static final class TestClock implements GroupCommit.Clock {
    long now = TimeUnit.HOURS.toNanos(5);
    final List<Long> sleeps = new ArrayList<>();
    Runnable duringSleep = () -> {};

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps.add(nanos);
      duringSleep.run();
      now += nanos;
    }

    void advanceMillis(long millis) {
      now += TimeUnit.MILLISECONDS.toNanos(millis);
    }
  }

  /**
   * A group commit whose transactions take 3 ms on the test's clock; while its first one commits,
   * {@code duringFirstCommit} runs (publishes arriving meanwhile).
   */
  private GroupCommit lingering(
      TestClock clock, Duration linger, int maxGroup, Consumer<GroupCommit> duringFirstCommit) {
    AtomicReference<GroupCommit> self = new AtomicReference<>();
    GroupCommit commit =
        new GroupCommit(
            10,
            maxGroup,
            linger,
            clock,
            group -> {
              boolean first = history.groups.isEmpty();
              clock.advanceMillis(1);
              if (first) {
                duringFirstCommit.accept(self.get());
              }
              clock.advanceMillis(2);
              return history.store(group);
            },
            size -> {},
            retries::incrementAndGet);
    self.set(commit);
    return commit;
  }

  private static CompletableFuture<StoredEvent> submitQuietly(
      GroupCommit commit, AuthoredEvent event) {
    try {
      return commit.submit(event);
    } catch (PublishRefused refused) {
      throw new IllegalStateException(refused);
    }
  }

  @Test
  void aLoneEventAfterAQuietSpellGoesAtOnceWhateverTheLinger() throws Exception {
    TestClock clock = new TestClock();
    GroupCommit commit = lingering(clock, Duration.ofHours(1), 10, self -> {});
    clock.advanceMillis(1);
    CompletableFuture<StoredEvent> first = commit.submit(event(ANN, "order.step", 1));

    assertEquals(1, commit.commitNext(0));
    assertEquals(1, first.join().seq());
    clock.advanceMillis(TimeUnit.MINUTES.toMillis(90));
    commit.submit(event(ANN, "order.step", 2));
    assertEquals(1, commit.commitNext(0));
    assertEquals(List.of(), clock.sleeps, "an idle committer does not wait for company");
  }

  @Test
  void aPublisherWhoWaitsForEachAnswerNeverWaitsForCompany() throws Exception {
    TestClock clock = new TestClock();
    GroupCommit commit = lingering(clock, Duration.ofHours(1), 10, self -> {});
    for (int i = 1; i <= 3; i++) {
      CompletableFuture<StoredEvent> answer = commit.submit(event(ANN, "order.step", i));
      assertEquals(1, commit.commitNext(0));
      assertEquals(i, answer.join().seq());
    }

    assertEquals(List.of(), clock.sleeps, "each publish came after its predecessor's commit");
    assertEquals(List.of(1, 1, 1), history.groups);
  }

  @Test
  void anEventQueuedWhileAGroupCommitsLetsItsGroupFillForWhatIsLeftOfTheLinger() throws Exception {
    TestClock clock = new TestClock();
    List<CompletableFuture<StoredEvent>> later = new ArrayList<>();
    GroupCommit commit =
        lingering(
            clock,
            Duration.ofMillis(5),
            10,
            self -> later.add(submitQuietly(self, event(BOB, "order.step", 2))));
    commit.submit(event(ANN, "order.step", 1));
    assertEquals(1, commit.commitNext(0));
    clock.duringSleep =
        () -> {
          later.add(submitQuietly(commit, event(ANN, "order.step", 3)));
          later.add(submitQuietly(commit, event(BOB, "order.step", 4)));
        };

    assertEquals(3, commit.commitNext(0), "the two that came during the linger went along");
    assertEquals(
        List.of(TimeUnit.MILLISECONDS.toNanos(3)),
        clock.sleeps,
        "queued 2 ms before its committer was free: 3 ms of the 5 left");
    assertEquals(List.of(1, 3), history.groups);
    assertEquals(List.of(1L, 2L, 2L), later.stream().map(a -> a.join().seq()).toList());
  }

  @Test
  void aGroupAlreadyFullDoesNotWait() throws Exception {
    TestClock clock = new TestClock();
    GroupCommit commit =
        lingering(
            clock,
            Duration.ofMillis(5),
            2,
            self -> {
              submitQuietly(self, event(ANN, "order.step", 2));
              submitQuietly(self, event(ANN, "order.step", 3));
            });
    commit.submit(event(ANN, "order.step", 1));
    commit.commitNext(0);

    assertEquals(2, commit.commitNext(0));
    assertEquals(List.of(), clock.sleeps, "nothing more could join the group");
  }

  @Test
  void aCommitLongerThanTheLingerLeavesNothingToWait() throws Exception {
    TestClock clock = new TestClock();
    GroupCommit commit =
        lingering(
            clock,
            Duration.ofMillis(1),
            10,
            self -> submitQuietly(self, event(ANN, "order.step", 2)));
    commit.submit(event(ANN, "order.step", 1));
    commit.commitNext(0);

    assertEquals(1, commit.commitNext(0));
    assertEquals(List.of(), clock.sleeps, "queued 2 ms before the committer was free");
  }

  @Test
  void aFailedGroupIsStoredAgainOneAtATimeSoOnlyTheRefusedEventFails() throws Exception {
    history.refuses = group -> group.stream().anyMatch(e -> e.event().name().equals("bad.one"));
    GroupCommit commit = groupCommit(10, 10);
    CompletableFuture<StoredEvent> first = commit.submit(event(ANN, "order.step", 1));
    CompletableFuture<StoredEvent> bad = commit.submit(event(BOB, "bad.one", 2));
    CompletableFuture<StoredEvent> last = commit.submit(event(ANN, "order.step", 3));

    commit.commitNext(0);

    assertEquals(List.of(3, 1, 1, 1), history.groups, "the group, then each alone");
    assertEquals(1, retries.get());
    assertEquals(1, first.join().seq());
    assertEquals(2, last.join().seq(), "the rolled-back group drew no seq");
    assertEquals("PUBLISH_NOT_STORED", refusal(bad));
  }

  /** A store that the database holds past the statement timeout, whatever it is given. */
  private GroupCommit timingOut() {
    return storingThrough(
        group -> {
          history.groups.add(group.size());
          throw new IllegalStateException(
              "flush failed",
              new SQLException("canceling statement due to statement timeout", "57014"));
        });
  }

  private static void assertTimedOut(CompletableFuture<StoredEvent> answer) {
    CompletionException failed = assertThrows(CompletionException.class, answer::join);
    PublishRefused refused = (PublishRefused) failed.getCause();
    assertEquals("PUBLISH_NOT_STORED", refused.code());
    assertTrue(refused.getMessage().contains("statement timeout"), refused.getMessage());
  }

  @Test
  void aGroupTheStatementTimeoutCancelledIsRefusedWholeWithoutStoringEachAlone() throws Exception {
    GroupCommit commit = timingOut();
    List<CompletableFuture<StoredEvent>> answers =
        List.of(
            commit.submit(event(ANN, "order.step", 1)),
            commit.submit(event(BOB, "order.step", 2)),
            commit.submit(event(ANN, "order.step", 3)));

    commit.commitNext(0);

    assertEquals(List.of(3), history.groups, "each alone would wait out the timeout again");
    assertEquals(0, retries.get());
    answers.forEach(GroupCommitTest::assertTimedOut);
  }

  @Test
  void aLoneEventTheStatementTimeoutCancelledIsToldSo() throws Exception {
    GroupCommit commit = timingOut();
    CompletableFuture<StoredEvent> answer = commit.submit(event(ANN, "order.step", 1));

    commit.commitNext(0);

    assertTimedOut(answer);
  }

  @Test
  void aLoneEventThatFailsIsAnsweredNotStoredWithoutARetry() throws Exception {
    history.refuses = group -> true;
    GroupCommit commit = groupCommit(10, 10);
    CompletableFuture<StoredEvent> answer = commit.submit(event(ANN, "order.step", 1));

    commit.commitNext(0);

    assertEquals("PUBLISH_NOT_STORED", refusal(answer));
    assertEquals(List.of(1), history.groups);
    assertEquals(0, retries.get());
  }

  @Test
  void whenTheDatabaseCannotSayHowACommitEndedEachPublisherIsToldSoAndNothingIsStoredAgain()
      throws Exception {
    List<Integer> tries = new ArrayList<>();
    GroupCommit commit =
        storingThrough(
            group -> {
              tries.add(group.size());
              throw new OutcomeUnknown("the database does not answer", null);
            });
    CompletableFuture<StoredEvent> one = commit.submit(event(ANN, "order.step", 1));
    CompletableFuture<StoredEvent> two = commit.submit(event(BOB, "order.step", 2));

    commit.commitNext(0);

    assertEquals("PUBLISH_OUTCOME_UNKNOWN", refusal(one));
    assertEquals("PUBLISH_OUTCOME_UNKNOWN", refusal(two));
    assertEquals(List.of(2), tries, "not stored again, alone or together");
    assertEquals(0, retries.get());
  }

  @Test
  void anErrorEscapingTheStoreStillAnswersEveryWaiter() throws Exception {
    GroupCommit commit =
        storingThrough(
            group -> {
              throw new AssertionError("out of memory, say");
            });
    CompletableFuture<StoredEvent> one = commit.submit(event(ANN, "order.step", 1));
    CompletableFuture<StoredEvent> two = commit.submit(event(BOB, "order.step", 2));

    assertThrows(AssertionError.class, () -> commit.commitNext(0));

    assertEquals("PUBLISH_NOT_STORED", refusal(one));
    assertEquals("PUBLISH_NOT_STORED", refusal(two));
  }

  @Test
  void aFullQueueRefusesTheNextPublishAndStoresNothingOfIt() throws Exception {
    GroupCommit commit = groupCommit(2, 10);
    commit.submit(event(ANN, "order.step", 1));
    commit.submit(event(ANN, "order.step", 2));

    PublishRefused refused =
        assertThrows(PublishRefused.class, () -> commit.submit(event(ANN, "order.step", 3)));
    assertEquals("PUBLISH_QUEUE_FULL", refused.code());
    assertEquals(2, commit.commitNext(0));
    assertEquals(2L, history.lastSeqs.get("user:ann"));
  }

  @Test
  void stoppingAnswersTheQueuedPublishesAndRefusesNewOnes() throws Exception {
    GroupCommit commit = groupCommit(10, 10);
    CompletableFuture<StoredEvent> queued = commit.submit(event(ANN, "order.step", 1));

    commit.stop();

    assertEquals("SERVER_STOPPING", refusal(queued));
    PublishRefused refused =
        assertThrows(PublishRefused.class, () -> commit.submit(event(ANN, "order.step", 2)));
    assertEquals("SERVER_STOPPING", refused.code());
    assertEquals(0, commit.commitNext(0));
    assertEquals(List.of(), history.groups, "nothing was stored");
  }

  @Test
  void concurrentPublishersWhoWaitForTheirAnswerKeepTheirOrderAndSeqsHaveNoGap() throws Exception {
    GroupCommit commit = groupCommit(64, 500);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread committer =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  commit.commitNext(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    committer.start();
    int publishers = 8;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<List<StoredEvent>>> sent = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        sent.add(
            pool.submit(
                () -> {
                  List<StoredEvent> mine = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    RoomName room = (publisher + i) % 2 == 0 ? ANN : BOB;
                    mine.add(commit.submit(event(room, "order.step", i)).join());
                  }
                  return mine;
                }));
      }
      Map<RoomName, List<Long>> seqsByRoom = new HashMap<>();
      for (Future<List<StoredEvent>> publisher : sent) {
        Map<RoomName, Long> lastOfMine = new HashMap<>();
        for (StoredEvent stored : publisher.get(30, TimeUnit.SECONDS)) {
          Long before = lastOfMine.put(stored.room(), stored.seq());
          assertTrue(before == null || before < stored.seq(), "a publisher's order is kept");
          seqsByRoom.computeIfAbsent(stored.room(), r -> new ArrayList<>()).add(stored.seq());
        }
      }
      for (List<Long> seqs : seqsByRoom.values()) {
        Collections.sort(seqs);
        assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs);
      }
      assertEquals(publishers * each, history.groups.stream().mapToInt(i -> i).sum());
    } finally {
      running.set(false);
      committer.join();
      pool.shutdownNow();
    }
  }
}
