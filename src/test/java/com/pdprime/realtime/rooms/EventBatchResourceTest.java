package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static List<EventBatch.Entry> entries() throws PublishRefused {
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
  void storedEventsGetTheirPlacesAndRefusedOnesTheirErrorsInRequestOrder() throws PublishRefused {
    List<List<PublishRequest>> stored = new ArrayList<>();
    JsonObject answer =
        EventBatchResource.answer(
            entries(),
            accepted -> {
              stored.add(accepted);
              return List.of(
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
                      JsonValue.EMPTY_JSON_OBJECT));
            });

    assertEquals(1, stored.size(), "one store, one transaction");
    assertEquals(2, stored.get(0).size(), "only the valid events are stored");
    assertEquals(List.of("seq 7", "403 RESERVED_EVENT_NAME", "seq 1"), codes(answer));
    assertEquals(2, answer.getInt("stored"));
    assertEquals(1, answer.getInt("refused"));
  }

  @Test
  void aFailedTransactionAnswersEveryValidEventNotStoredAndKeepsTheRefusals()
      throws PublishRefused {
    JsonObject answer =
        EventBatchResource.answer(
            entries(),
            accepted -> {
              throw new EJBException("the database went away");
            });

    assertEquals(
        List.of("503 BATCH_NOT_STORED", "403 RESERVED_EVENT_NAME", "503 BATCH_NOT_STORED"),
        codes(answer));
    assertEquals(0, answer.getInt("stored"));
    assertEquals(3, answer.getInt("refused"));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAnswersEveryValidEventSoAndKeepsTheRefusals()
      throws PublishRefused {
    JsonObject answer =
        EventBatchResource.answer(
            entries(),
            accepted -> {
              throw new OutcomeUnknown("the database does not answer", null);
            });

    assertEquals(
        List.of(
            "503 BATCH_OUTCOME_UNKNOWN", "403 RESERVED_EVENT_NAME", "503 BATCH_OUTCOME_UNKNOWN"),
        codes(answer));
    assertEquals(0, answer.getInt("stored"));
  }

  @Test
  void aBatchWithoutOneValidEventStoresNothing() throws PublishRefused {
    List<EventBatch.Entry> onlyRefused = entries().subList(1, 2);
    JsonObject answer =
        EventBatchResource.answer(
            onlyRefused,
            accepted -> {
              throw new AssertionError("nothing to store, no transaction");
            });

    assertEquals(List.of("403 RESERVED_EVENT_NAME"), codes(answer));
  }
}
