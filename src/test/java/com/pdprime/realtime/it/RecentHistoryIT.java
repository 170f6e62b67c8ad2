package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that reconnects gets every event it missed, in order, whether the server still holds
 * them in memory or has to read them from the database. The test server keeps 3 events per room in
 * memory (realtime.history.memory.max-events-per-room in arquillian.xml), so a resume missing 2
 * events is served from memory and one missing 4 is not; the metrics tell which happened.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecentHistoryIT {
  private static final String HITS = "realtime_history_memory_hits_total";
  private static final String MISSES = "realtime_history_memory_misses_total";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aShortDisconnectIsResumedCompleteAndInOrderFromMemory() throws Exception {
    long hits = metric(HITS);
    long misses = metric(MISSES);
    disconnectMissAndResume("ivy-recent", 2, 2);
    assertEquals(hits + 1, metric(HITS), "served from memory");
    assertEquals(misses, metric(MISSES), "the database was not read");
    assertTrue(metric("realtime_history_memory_bytes") > 0, "the recent events take memory");
  }

  @Test
  void aResumeReachingBeyondMemoryIsServedCompleteFromTheDatabase() throws Exception {
    long hits = metric(HITS);
    long misses = metric(MISSES);
    disconnectMissAndResume("jack-recent", 1, 4);
    assertEquals(misses + 1, metric(MISSES), "memory held only the last 3 of the 4 missed");
    assertEquals(hits, metric(HITS));
  }

  /**
   * Missed events older than realtime.recovery.max-age-seconds are not replayed, even where the
   * database still holds them: the resume answers recovered:false HISTORY_EXPIRED with the room's
   * position, and live events continue from it. PostgreSQL only: the test ages the rows itself.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void missedEventsOlderThanTheMaximumAgeAreNotReplayed() throws Exception {
    resumeRefusedAsExpired(
        "kim-expired",
        "UPDATE room_events SET published_at = published_at - INTERVAL '2 days' WHERE room = ?");
  }

  /**
   * History the pruning job deleted cannot be replayed: a resume that reaches into it answers
   * HISTORY_EXPIRED, never a replay with a hole. PostgreSQL only: the test deletes the rows as the
   * pruning job would.
   */
  @Test
  @EnabledIfSystemProperty(named = "realtime.it.db", matches = "postgres")
  void missedEventsAlreadyPrunedAreNotReplayedWithAHole() throws Exception {
    resumeRefusedAsExpired("lea-pruned", "DELETE FROM room_events WHERE room = ? AND seq <= 3");
  }

  /**
   * Receives event 1, misses 2..5 (memory holds only the last 3, so the resume reads the database),
   * lets {@code aging} act on the room's rows, and resumes from 1.
   */
  private void resumeRefusedAsExpired(String subject, String aging) throws Exception {
    String room = "user:" + subject;
    String epoch;
    try (TestClient client = TestClient.connect(base, Tokens.valid(subject))) {
      epoch = client.subscribe(room).getJsonObject("data").getString("epoch");
      publish(room, 1, 1);
      assertEquals(seqs(1, 1), numbers(client.events(room, 1)));
    }
    publish(room, 2, 5);
    try (Connection database = PostgresTestDatabase.connect();
        PreparedStatement age = database.prepareStatement(aging)) {
      age.setString(1, room);
      assertTrue(age.executeUpdate() > 0, aging);
    }
    try (TestClient again = TestClient.connect(base, Tokens.valid(subject))) {
      JsonObject reply = again.resume(room, epoch, 1).getJsonObject("data");
      assertFalse(reply.getBoolean("recovered"), reply.toString());
      assertEquals("HISTORY_EXPIRED", reply.getString("reason"), reply.toString());
      assertEquals(5, reply.getJsonNumber("seq").longValue(), reply.toString());
      publish(room, 6, 6);
      assertEquals(
          seqs(6, 6), numbers(again.events(room, 1)), "live events follow, nothing replayed");
    }
  }

  /**
   * In the subject's own room: receives events 1..{@code received}, disconnects while {@code
   * missed} more are published, reconnects and resumes; the missed events and then a live one
   * arrive, each once, in order.
   */
  private void disconnectMissAndResume(String subject, int received, int missed) throws Exception {
    String room = "user:" + subject;
    String epoch;
    try (TestClient client = TestClient.connect(base, Tokens.valid(subject))) {
      epoch = client.subscribe(room).getJsonObject("data").getString("epoch");
      publish(room, 1, received);
      assertEquals(seqs(1, received), numbers(client.events(room, received)));
    }
    publish(room, received + 1, received + missed);

    try (TestClient again = TestClient.connect(base, Tokens.valid(subject))) {
      JsonObject reply = again.resume(room, epoch, received).getJsonObject("data");
      assertTrue(reply.getBoolean("recovered"), reply.toString());
      assertEquals(missed, reply.getInt("replayed"));
      publish(room, received + missed + 1, received + missed + 1);
      assertEquals(
          seqs(received + 1, received + missed + 1), numbers(again.events(room, missed + 1)));
    }
  }

  /** Publishes events numbered {@code from..to} into a room whose seqs they match. */
  private void publish(String room, int from, int to) throws Exception {
    for (int n = from; n <= to; n++) {
      Api.Answer published = Api.publish(base, room, "note.created", "{\"n\":" + n + "}");
      assertEquals(201, published.status(), published.toString());
      assertEquals(
          n, published.body().getJsonNumber("seq").longValue(), "a new room counts from 1");
    }
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** Each event's seq, after checking that its data is the event published with that number. */
  private static List<Long> numbers(List<JsonObject> events) {
    for (JsonObject event : events) {
      assertEquals(
          event.getJsonNumber("seq").longValue(),
          event.getJsonObject("data").getJsonNumber("n").longValue(),
          "the event's body belongs to its seq");
    }
    return events.stream().map(e -> e.getJsonNumber("seq").longValue()).toList();
  }

  /** A counter or gauge from /metrics; 0 while a counter has never fired (it is then absent). */
  private long metric(String name) throws Exception {
    return Api.serverText(base, "/metrics")
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
