package com.pdprime.realtime.it;

import java.util.concurrent.Callable;

/** Connecting where a cap may still be full: a closed socket's place comes back shortly after. */
final class Accepted {
  private Accepted() {}

  /** Tries {@code connect} every 100 ms until it succeeds; after {@link TestClient#WAIT}, fails. */
  static <T> T eventually(Callable<T> connect) throws Exception {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (true) {
      try {
        return connect.call();
      } catch (Exception refused) {
        if (System.nanoTime() > deadline) {
          throw refused;
        }
        Thread.sleep(100);
      }
    }
  }
}
