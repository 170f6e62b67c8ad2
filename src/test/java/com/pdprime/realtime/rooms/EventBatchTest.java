package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class EventBatchTest {
  /** The dashboards' rooms are the server's; here, every analytics room. */
  private static final Predicate<RoomName> SERVER_ONLY = room -> room.type() == RoomType.ANALYTICS;

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static List<EventBatch.Entry> read(String body) throws PublishRefused {
    return EventBatch.read(json(body), SERVER_ONLY);
  }

  private static String refusedCode(String body) {
    return assertThrows(PublishRefused.class, () -> read(body)).code();
  }

  private static String event(String room, String name, String data) {
    return "{\"room\":\"" + room + "\",\"name\":\"" + name + "\",\"data\":" + data + "}";
  }

  @Test
  void eachEventIsAnsweredInItsPlaceAndOnlyTheFaultyOnesAreRefused() throws PublishRefused {
    List<EventBatch.Entry> entries =
        read(
            "{\"events\":["
                + event("user:a", "order.shipped", "{\"n\":1}")
                + ","
                + event("nope:a", "order.shipped", "{}")
                + ","
                + event("user:b", "quote.premium.calculated", "{}")
                + ","
                + event("analytics:sales", "order.shipped", "{}")
                + ","
                + "{\"room\":\"user:c\",\"name\":\"order.shipped\"}"
                + ","
                + "42"
                + ","
                + event("user:a", "order.packed", "{\"n\":2}")
                + "]}");

    assertEquals(
        List.of(
            "stored",
            "UNKNOWN_ROOM_TYPE",
            "RESERVED_EVENT_NAME",
            "SERVER_ONLY_ROOM",
            "MISSING_FIELD",
            "INVALID_FIELD",
            "stored"),
        entries.stream().map(e -> e.accepted() ? "stored" : e.refusal().code()).toList());
    PublishRequest last = entries.get(6).request();
    assertEquals("user:a", last.room().toString());
    assertEquals("order.packed", last.name());
    assertEquals(2, last.data().getInt("n"));
  }

  @Test
  void eventsAreCheckedAsASinglePublishIs() throws PublishRefused {
    String tooLarge = "{\"blob\":\"" + "x".repeat(PublishChecks.MAX_DATA_CHARS) + "\"}";
    List<EventBatch.Entry> entries =
        read(
            "{\"events\":["
                + event("user:a", "Order Shipped", "{}")
                + ","
                + event("user:a", "order.shipped", "[]")
                + ","
                + event("user:a", "order.shipped", tooLarge)
                + ","
                + "{\"room\":7,\"name\":\"order.shipped\",\"data\":{}}"
                + ","
                + "{\"name\":\"order.shipped\",\"data\":{}}"
                + "]}");

    assertEquals(
        List.of(
            "INVALID_FIELD", "INVALID_FIELD", "EVENT_TOO_LARGE", "INVALID_FIELD", "MISSING_FIELD"),
        entries.stream().map(e -> e.refusal().code()).toList());
  }

  @Test
  void unknownFieldsAreRefusedNotIgnored() throws PublishRefused {
    List<EventBatch.Entry> entries =
        read(
            "{\"events\":["
                + "{\"room\":\"user:a\",\"name\":\"a.b\",\"data\":{},\"guarded\":{}},"
                + "{\"room\":\"user:a\",\"name\":\"a.b\",\"data\":{},\"idempotencyKey\":\"k1\"}"
                + "]}");

    assertEquals("INVALID_FIELD", entries.get(0).refusal().code());
    assertEquals("IDEMPOTENCY_KEY_UNSUPPORTED", entries.get(1).refusal().code());
    assertEquals("INVALID_FIELD", refusedCode("{\"events\":[],\"atomic\":true}"));
  }

  @Test
  void aBodyThatIsNoBatchRefusesTheWholeRequest() {
    assertEquals("MISSING_FIELD", refusedCode("{}"));
    assertEquals("INVALID_FIELD", refusedCode("{\"events\":{}}"));
    assertEquals("INVALID_FIELD", refusedCode("{\"events\":[]}"));
    assertEquals(
        "INVALID_FRAME",
        assertThrows(PublishRefused.class, () -> EventBatch.read(null, SERVER_ONLY)).code());
  }

  @Test
  void theEventLimitIsInclusiveAndOneMoreIsBatchTooLarge() throws PublishRefused {
    String one = event("user:a", "a.b", "{}");
    String full = "{\"events\":[" + String.join(",", nCopies(one, EventBatch.MAX_EVENTS)) + "]}";
    String over =
        "{\"events\":[" + String.join(",", nCopies(one, EventBatch.MAX_EVENTS + 1)) + "]}";

    assertTrue(read(full).stream().allMatch(EventBatch.Entry::accepted));
    assertEquals("BATCH_TOO_LARGE", refusedCode(over));
  }

  private static List<String> nCopies(String text, int n) {
    return java.util.Collections.nCopies(n, text);
  }
}
