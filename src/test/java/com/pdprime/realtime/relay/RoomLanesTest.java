package com.pdprime.realtime.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.rooms.RoomName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoomLanesTest {
  private static final ThreadFactory DAEMONS =
      task -> {
        Thread thread = new Thread(task);
        thread.setDaemon(true);
        return thread;
      };

  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private RoomLanes lanes;

  @AfterEach
  void stopLanes() {
    if (lanes != null) {
      lanes.stop();
    }
  }

  private RoomLanes lanes(int count, int capacity) {
    lanes =
        new RoomLanes(
            count, capacity, DAEMONS, "test-lane", (task, e) -> failures.add(task + ": " + e));
    return lanes;
  }

  private static RoomName room(String text) {
    try {
      return RoomName.parse(text);
    } catch (RoomName.InvalidRoomName e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Two rooms on different lanes and a third on the first one's lane. */
  private static List<RoomName> twoLanesAndASharedOne(RoomLanes lanes) {
    List<RoomName> rooms = IntStream.range(0, 100).mapToObj(i -> room("user:u" + i)).toList();
    RoomName first = rooms.get(0);
    RoomName other =
        rooms.stream().filter(r -> lanes.laneOf(r) != lanes.laneOf(first)).findFirst().get();
    RoomName sameLane =
        rooms.stream()
            .filter(r -> !r.equals(first) && lanes.laneOf(r) == lanes.laneOf(first))
            .findFirst()
            .get();
    return List.of(first, other, sameLane);
  }

  @Test
  void eachRoomsTasksRunInTheOrderTheyWereSubmittedWhileRoomsSpreadOverTheLanes()
      throws InterruptedException {
    RoomLanes lanes = lanes(4, 10_000);
    List<RoomName> rooms = IntStream.range(0, 50).mapToObj(i -> room("user:u" + i)).toList();
    Map<RoomName, List<Long>> ran = new ConcurrentHashMap<>();
    Map<String, Boolean> threads = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(50 * 200);
    for (long seq = 1; seq <= 200; seq++) {
      for (RoomName room : rooms) {
        long taken = seq;
        lanes.submit(
            room,
            () -> {
              ran.computeIfAbsent(room, r -> Collections.synchronizedList(new ArrayList<>()))
                  .add(taken);
              threads.put(Thread.currentThread().getName(), true);
              done.countDown();
            });
      }
    }
    assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran");
    List<Long> inOrder = LongStream.rangeClosed(1, 200).boxed().toList();
    for (RoomName room : rooms) {
      assertEquals(inOrder, ran.get(room), room + "'s tasks in submission order");
    }
    assertEquals(4, threads.size(), "50 rooms used all four lanes: " + threads.keySet());
    assertEquals(List.of(), failures);
  }

  @Test
  void aRoomWhoseTaskWaitsHoldsOnlyTheRoomsOfItsOwnLane() throws InterruptedException {
    RoomLanes lanes = lanes(4, 100);
    List<RoomName> rooms = twoLanesAndASharedOne(lanes);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch otherLaneRan = new CountDownLatch(1);
    CountDownLatch sameLaneRan = new CountDownLatch(1);
    lanes.submit(rooms.get(0), () -> awaitQuietly(release));
    lanes.submit(rooms.get(2), sameLaneRan::countDown);
    lanes.submit(rooms.get(1), otherLaneRan::countDown);

    assertTrue(otherLaneRan.await(10, TimeUnit.SECONDS), "the other lane's room was delivered");
    assertFalse(
        sameLaneRan.await(200, TimeUnit.MILLISECONDS), "a room on the waiting lane waits its turn");
    release.countDown();
    assertTrue(sameLaneRan.await(10, TimeUnit.SECONDS), "and runs once the lane is free");
  }

  @Test
  void aTaskThatThrowsIsReportedWithItsDescriptionAndItsLaneGoesOn() throws InterruptedException {
    RoomLanes lanes = lanes(1, 100);
    CountDownLatch next = new CountDownLatch(1);
    lanes.submit(
        room("user:ann"),
        named(
            "user:ann seq=7",
            () -> {
              throw new IllegalStateException("broken channel");
            }));
    lanes.submit(room("user:ann"), next::countDown);

    assertTrue(next.await(10, TimeUnit.SECONDS), "the task after the failed one ran");
    assertEquals(
        List.of("user:ann seq=7: java.lang.IllegalStateException: broken channel"), failures);
  }

  @Test
  void aFullLaneMakesTheSubmitterWaitInsteadOfDroppingATask() throws InterruptedException {
    RoomLanes lanes = lanes(1, 1);
    RoomName room = room("user:ann");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    lanes.submit(
        room,
        () -> {
          started.countDown();
          awaitQuietly(release);
          ran.add("first");
        });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    lanes.submit(room, () -> ran.add("second"));
    AtomicReference<Boolean> thirdAccepted = new AtomicReference<>();
    Thread submitter =
        new Thread(
            () -> {
              try {
                thirdAccepted.set(lanes.submit(room, () -> ran.add("third")));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    submitter.start();
    submitter.join(300);
    assertTrue(submitter.isAlive(), "the third submit waits while the lane is full");

    release.countDown();
    submitter.join(10_000);
    assertEquals(Boolean.TRUE, thirdAccepted.get());
    awaitSize(ran, 3);
    assertEquals(List.of("first", "second", "third"), ran);
  }

  @Test
  void stoppedLanesRefuseTasksAndSaySo() throws InterruptedException {
    RoomLanes lanes = lanes(2, 10);
    lanes.stop();
    assertFalse(lanes.submit(room("user:ann"), () -> failures.add("ran")));
    assertEquals(List.of(), failures);
  }

  @Test
  void aLaneCountBelowOneIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RoomLanes(0, 10, DAEMONS, "test-lane", (task, e) -> {}));
  }

  private static Runnable named(String name, Runnable task) {
    return new Runnable() {
      @Override
      public void run() {
        task.run();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitSize(List<String> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
