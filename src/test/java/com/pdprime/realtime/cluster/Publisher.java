package com.pdprime.realtime.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend service publishing into one room through one instance, on its own thread: either a
 * fixed number of events as fast as it can, or until stopped with a pause between events. Each
 * event's data names the publisher and its index, so a receiver can tell every published event
 * apart.
 */
final class Publisher extends Thread {
  /**
   * One publish attempt: the answer, or the exception that stopped it (e.g. its instance died or it
   * was not answered in time), and when it was sent and answered.
   */
  record Outcome(
      String publisher,
      int index,
      int status,
      long seq,
      String failure,
      long sentAtMillis,
      long answeredAtMillis) {
    boolean stored() {
      return status == 201 && seq > 0;
    }

    long tookMillis() {
      return answeredAtMillis - sentAtMillis;
    }

    @Override
    public String toString() {
      return String.format(
          "%s#%d (%s after %d ms)",
          publisher, index, failure == null ? "seq " + seq : failure, tookMillis());
    }
  }

  private final URI node;
  private final String token;
  private final String room;
  private final int count;
  private final Duration pause;
  private final boolean stopOnFailure;
  private final List<Outcome> outcomes = new ArrayList<>();
  private volatile boolean stopping;

  private Publisher(
      String name, URI node, String room, int count, Duration pause, boolean stopOnFailure) {
    super(name);
    setDaemon(true);
    this.node = node;
    this.token = ClusterApi.token("backend-" + name, "realtime:publish");
    this.room = room;
    this.count = count;
    this.pause = pause;
    this.stopOnFailure = stopOnFailure;
  }

  /** Publishes {@code count} events back to back. */
  static Publisher burst(String name, URI node, String room, int count) {
    return new Publisher(name, node, room, count, Duration.ZERO, false);
  }

  /**
   * Publishes until {@link #finish()}, pausing between events; stops by itself at its first failure
   * if asked.
   */
  static Publisher steady(
      String name, URI node, String room, Duration pause, boolean stopOnFailure) {
    return new Publisher(name, node, room, Integer.MAX_VALUE, pause, stopOnFailure);
  }

  @Override
  public void run() {
    for (int i = 0; i < count && !stopping; i++) {
      Outcome outcome;
      long sent = System.currentTimeMillis();
      try {
        ClusterApi.Published answer =
            ClusterApi.publish(node, token, room, "{\"p\":\"" + getName() + "\",\"i\":" + i + "}");
        outcome =
            new Outcome(
                getName(),
                i,
                answer.status(),
                answer.seq(),
                answer.status() == 201 ? null : answer.body(),
                sent,
                System.currentTimeMillis());
      } catch (Exception e) {
        outcome = new Outcome(getName(), i, -1, -1, e.toString(), sent, System.currentTimeMillis());
      }
      synchronized (outcomes) {
        outcomes.add(outcome);
      }
      if (outcome.failure() != null && stopOnFailure) {
        return;
      }
      if (!pause.isZero()) {
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops publishing and waits for the publish in flight. */
  List<Outcome> finish() throws InterruptedException {
    stopping = true;
    join(Duration.ofSeconds(30).toMillis());
    if (isAlive()) {
      throw new AssertionError(getName() + " still publishing 30 s after it was told to stop");
    }
    return outcomes();
  }

  List<Outcome> outcomes() {
    synchronized (outcomes) {
      return new ArrayList<>(outcomes);
    }
  }

  int storedCount() {
    synchronized (outcomes) {
      return (int) outcomes.stream().filter(Outcome::stored).count();
    }
  }
}
