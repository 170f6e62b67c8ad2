package com.pdprime.realtime.relay;

import com.pdprime.realtime.rooms.RoomName;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

/**
 * A fixed number of lanes, each one thread running its tasks in the order they were submitted. A
 * room always goes to the same lane, so one room's tasks run one at a time and in order, while
 * rooms on different lanes run in parallel and never wait for each other.
 */
final class RoomLanes {
  private final Lane[] lanes;
  private final BiConsumer<Runnable, RuntimeException> failed;
  private volatile boolean stopped;

  /**
   * @param failed told of a task that threw, with the task's description; the lane goes on with the
   *     next task
   */
  RoomLanes(
      int count,
      int capacityPerLane,
      ThreadFactory threads,
      String threadName,
      BiConsumer<Runnable, RuntimeException> failed) {
    if (count < 1 || capacityPerLane < 1) {
      throw new IllegalArgumentException(
          "lanes and their capacity must be at least 1, not " + count + " and " + capacityPerLane);
    }
    this.failed = failed;
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = new Lane(capacityPerLane);
      lanes[i].thread = threads.newThread(lanes[i]);
      lanes[i].thread.setName(threadName + "-" + i);
    }
    for (Lane lane : lanes) {
      lane.thread.start();
    }
  }

  int laneOf(RoomName room) {
    return Math.floorMod(room.hashCode(), lanes.length);
  }

  /**
   * Queues a task on the room's lane, waiting while that lane is full: a lane that cannot keep up
   * slows whoever submits rather than losing a task.
   *
   * @return false if the lanes are stopped and the task will not run
   */
  boolean submit(RoomName room, Runnable task) throws InterruptedException {
    if (stopped) {
      return false;
    }
    lanes[laneOf(room)].tasks.put(task);
    return true;
  }

  /** Tasks queued and not yet started, on all lanes. */
  int backlog() {
    int backlog = 0;
    for (Lane lane : lanes) {
      backlog += lane.tasks.size();
    }
    return backlog;
  }

  void stop() {
    stopped = true;
    for (Lane lane : lanes) {
      lane.thread.interrupt();
    }
  }

  private final class Lane implements Runnable {
    private final BlockingQueue<Runnable> tasks;
    private Thread thread;

    Lane(int capacity) {
      tasks = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void run() {
      while (!Thread.currentThread().isInterrupted()) {
        Runnable task;
        try {
          task = tasks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          failed.accept(task, e);
        }
      }
    }
  }
}
