package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.persistence.TransactionOutcomes.OutcomeUnknown;
import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatchResourceTest {
  private static final String BATCH =
      "{\"events\":["
          + "{\"room\":\"user:a\",\"name\":\"order.created\",\"data\":{}},"
          + "{\"room\":\"user:a\",\"name\":\"quote.created\",\"data\":{}},"
          + "{\"room\":\"user:b\",\"name\":\"order.created\",\"data\":{}}"
          + "]}";

  private static List<EventBatch.Entry> entries() throws Exception {
    try (var reader = Json.createReader(new StringReader(BATCH))) {
      return EventBatch.read(reader.readObject(), room -> false);
    }
  }

  private static List<String> codes(JsonObject answer) {
    return answer.getJsonArray("results").getValuesAs(JsonObject.class).stream()
        .map(r -> r.containsKey("seq") ? "seq " + r.getInt("seq") : errorOf(r))
        .toList();
  }

  private static String errorOf(JsonObject result) {
    JsonObject error = result.getJsonObject("error");
    return error.getInt("status") + " " + error.getString("code");
  }

  @Test
  void storedEventsGetTheirPlacesAndRefusedOnesTheirErrorsInRequestOrder() throws Exception {
    List<List<PublishRequest>> stored = new ArrayList<>();
    JsonObject answer =
        EventBatchResource.answer(
                entries(),
                accepted -> {
                  stored.add(accepted);
                  return BatchPlaces.stored(
                      List.of(
                          new StoredEvent(
                              accepted.get(0).room(),
                              "e1",
                              7,
                              "order.created",
                              0,
                              JsonValue.EMPTY_JSON_OBJECT,
                              JsonValue.EMPTY_JSON_OBJECT),
                          new StoredEvent(
                              accepted.get(1).room(),
                              "e2",
                              1,
                              "order.created",
                              0,
                              JsonValue.EMPTY_JSON_OBJECT,
                              JsonValue.EMPTY_JSON_OBJECT)));
                },
                false)
            .body();

    assertEquals(1, stored.size(), "one store, one transaction");
    assertEquals(2, stored.get(0).size(), "only the valid events are stored");
    assertEquals(List.of("seq 7", "403 RESERVED_EVENT_NAME", "seq 1"), codes(answer));
    assertEquals(2, answer.getInt("stored"));
    assertEquals(1, answer.getInt("refused"));
  }

  @Test
  void aFailedTransactionAnswersEveryValidEventNotStoredAndKeepsTheRefusals() throws Exception {
    JsonObject answer =
        EventBatchResource.answer(
                entries(),
                accepted -> {
                  throw new EJBException("the database went away");
                },
                false)
            .body();

    assertEquals(
        List.of("503 BATCH_NOT_STORED", "403 RESERVED_EVENT_NAME", "503 BATCH_NOT_STORED"),
        codes(answer));
    assertEquals(0, answer.getInt("stored"));
    assertEquals(3, answer.getInt("refused"));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAnswersEveryValidEventSoAndKeepsTheRefusals() throws Exception {
    JsonObject answer =
        EventBatchResource.answer(
                entries(),
                accepted -> {
                  throw new OutcomeUnknown("the database does not answer", null);
                },
                false)
            .body();

    assertEquals(
        List.of(
            "503 BATCH_OUTCOME_UNKNOWN", "403 RESERVED_EVENT_NAME", "503 BATCH_OUTCOME_UNKNOWN"),
        codes(answer));
    assertEquals(0, answer.getInt("stored"));
  }

  @Test
  void aBatchWithoutOneValidEventStoresNothing() throws Exception {
    List<EventBatch.Entry> onlyRefused = entries().subList(1, 2);
    JsonObject answer =
        EventBatchResource.answer(
                onlyRefused,
                accepted -> {
                  throw new AssertionError("nothing to store, no transaction");
                },
                false)
            .body();

    assertEquals(List.of("403 RESERVED_EVENT_NAME"), codes(answer));
  }

  @Test
  void aKeyedBatchSentAgainIsAnsweredWithTheFirstPlacesAndSaysSo() throws Exception {
    JsonObject first =
        Json.createObjectBuilder().add("room", "user:a").add("epoch", "e1").add("seq", 4).build();
    JsonObject second =
        Json.createObjectBuilder().add("room", "user:b").add("epoch", "e2").add("seq", 9).build();
    BatchAnswer answer =
        EventBatchResource.answer(
            entries(), accepted -> new BatchPlaces(List.of(first, second), true), true);

    assertTrue(answer.replayed());
    assertEquals(List.of("seq 4", "403 RESERVED_EVENT_NAME", "seq 9"), codes(answer.body()));
  }

  @Test
  void aKeyedBatchWhoseOutcomeIsUnknownIsToldToSendItAgainWithItsKey() throws Exception {
    BatchAnswer keyed =
        EventBatchResource.answer(
            entries(),
            accepted -> {
              throw new OutcomeUnknown("the database does not answer", null);
            },
            true);
    BatchAnswer unkeyed =
        EventBatchResource.answer(
            entries(),
            accepted -> {
              throw new OutcomeUnknown("the database does not answer", null);
            },
            false);

    assertTrue(actionOf(keyed).contains("again with the same Idempotency-Key"), actionOf(keyed));
    assertTrue(actionOf(unkeyed).contains("may store them twice"), actionOf(unkeyed));
    assertFalse(keyed.replayed());
  }

  private static String actionOf(BatchAnswer answer) {
    return answer
        .body()
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("error")
        .getString("action");
  }
}
