package com.pdprime.realtime.it;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Connecting where a cap may still be full: a closed socket's place comes back shortly after. */
final class Accepted {
  private Accepted() {}

  /**
   * Opens {@code count} connections of users {@code prefix0}, {@code prefix1}, …, each subscribed
   * to its user's room; if one cannot be opened, closes those that were and fails.
   */
  static List<TestClient> subscribedToTheirOwnRooms(URL base, String prefix, int count)
      throws Exception {
    List<TestClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        String subject = prefix + i;
        TestClient client = eventually(() -> TestClient.connect(base, Tokens.valid(subject)));
        clients.add(client);
        client.subscribe("user:" + subject);
      }
    } catch (Exception | AssertionError failed) {
      clients.forEach(TestClient::close);
      throw failed;
    }
    return clients;
  }

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
