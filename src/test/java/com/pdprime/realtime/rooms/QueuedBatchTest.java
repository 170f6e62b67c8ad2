package com.pdprime.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.TokenRejected;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueuedBatchTest {
  private static final Caller PUBLISHER =
      new Caller(
          "billing-service",
          "Billing",
          Set.of(Permissions.REALTIME_PUBLISH),
          Instant.parse("2030-01-01T00:00:00Z"));

  private static final Caller READER =
      new Caller("reader", "Reader", Set.of(), Instant.parse("2030-01-01T00:00:00Z"));

  /** Knows two Authorization values; every other one has a bad signature. */
  private static final QueuedBatch.Verifier TOKENS =
      authorization ->
          switch (authorization) {
            case "Bearer publisher-token" -> PUBLISHER;
            case "Bearer reader-token" -> READER;
            default -> throw new TokenRejected(TokenRejected.Reason.BAD_SIGNATURE, "forged");
          };

  private static String publisherRefusal(String authorization) {
    return assertThrows(PublishRefused.class, () -> QueuedBatch.publisher(authorization, TOKENS))
        .code();
  }

  /** The message's events as the consumer reads them. */
  private static List<EventBatch.Entry> events(String text) throws PublishRefused {
    return EventBatch.read(QueuedBatch.body(text), room -> false);
  }

  private static String eventsRefusal(String text) {
    return assertThrows(PublishRefused.class, () -> events(text)).code();
  }

  @Test
  void aMessageIsPublishedOnlyWithAVerifiedTokenHoldingThePublishPermission()
      throws PublishRefused {
    assertEquals(PUBLISHER, QueuedBatch.publisher("Bearer publisher-token", TOKENS));
    assertEquals("TOKEN_MISSING", publisherRefusal(null));
    assertEquals("TOKEN_BAD_SIGNATURE", publisherRefusal("Bearer forged.token.here"));
    assertEquals("FORBIDDEN", publisherRefusal("Bearer reader-token"));
  }

  @Test
  void aMessageThatIsNoBatchIsRefusedAsAWholeWithTheBatchApisCodes() {
    assertEquals("INVALID_FRAME", eventsRefusal(null));
    assertEquals("MALFORMED_JSON", eventsRefusal("{\"events\": ["));
    assertEquals("MALFORMED_JSON", eventsRefusal(""));
    assertEquals("INVALID_FRAME", eventsRefusal("[{\"room\":\"user:a\"}]"));
    assertEquals("INVALID_FRAME", eventsRefusal("\"events\""));
    assertEquals("MISSING_FIELD", eventsRefusal("{}"));
    assertEquals("INVALID_FIELD", eventsRefusal("{\"events\": {}}"));
    assertEquals("INVALID_FIELD", eventsRefusal("{\"events\": [], \"extra\": 1}"));
  }

  @Test
  void aMessageLongerThanTheRestBodyCapIsRefusedBeforeItIsParsed() throws PublishRefused {
    String event = "{\"room\":\"user:a\",\"name\":\"blob.sent\",\"data\":{\"b\":\"";
    String tail = "\"}}";
    String prefix = "{\"events\":[" + event;
    String suffix = tail + "]}";
    String fits = prefix + "x".repeat(QueuedBatch.MAX_CHARS - prefix.length() - suffix.length());
    // At the cap the message is read (its one event is then refused as too large on its own).
    assertEquals("EVENT_TOO_LARGE", events(fits + suffix).get(0).refusal().code());
    assertEquals("REQUEST_TOO_LARGE", eventsRefusal(fits + "x" + suffix));
  }

  @Test
  void eachEventOfAMessageIsCheckedInItsPlace() throws PublishRefused {
    List<EventBatch.Entry> entries =
        events(
            "{\"events\":[{\"room\":\"user:a\",\"name\":\"order.shipped\",\"data\":{\"n\":1}},"
                + "{\"room\":\"user:a\",\"name\":\"order.shipped\"},"
                + "{\"room\":\"user:a\",\"name\":\"order.packed\",\"data\":{\"n\":2}}]}");
    assertEquals(3, entries.size());
    assertEquals(1, entries.get(0).request().data().getInt("n"));
    assertEquals("MISSING_FIELD", entries.get(1).refusal().code());
    assertEquals("order.packed", entries.get(2).request().name());
  }

  @Test
  void aMessageIsStoredUnderItsOwnKeyAndRefusedWhenItIsNoKey() throws PublishRefused {
    String messageId = "ID:broker-1-1733000000000-1:1:1:1:7";
    assertEquals(new QueuedBatch.Key("batch-7f3a", true), QueuedBatch.key("batch-7f3a", messageId));
    assertEquals(new QueuedBatch.Key("batch-7f3a", true), QueuedBatch.key("batch-7f3a", null));
    for (String bad : List.of("", "two words", "x".repeat(201), "caf\u00e9")) {
      assertEquals(
          "INVALID_HEADER",
          assertThrows(PublishRefused.class, () -> QueuedBatch.key(bad, messageId)).code(),
          bad);
    }
  }

  /**
   * Without a key of its own, a message is stored under one made from its message id, which the
   * broker keeps through its redeliveries: no sender's key can be that key, and one too long for
   * the column is made from the id's hash.
   */
  @Test
  void aMessageWithoutAKeyIsStoredUnderOneMadeFromItsMessageId() throws PublishRefused {
    String messageId = "ID:broker-1-1733000000000-1:1:1:1:7";
    QueuedBatch.Key key = QueuedBatch.key(null, messageId);
    assertFalse(key.own());
    String made = key.value();
    assertEquals("JMSMessageID " + messageId, made);
    assertFalse(IdempotencyKeys.valid(made), "a sender's key can never be a made one");
    assertNotEquals(made, QueuedBatch.key(null, messageId + "0").value());

    String longId = "ID:" + "h".repeat(300);
    String hashed = QueuedBatch.key(null, longId).value();
    assertTrue(hashed.length() <= IdempotencyKeys.MAX_LENGTH, hashed);
    assertEquals(hashed, QueuedBatch.key(null, longId).value(), "the same id, the same key");
    assertNotEquals(hashed, QueuedBatch.key(null, longId + "x").value());
    assertFalse(IdempotencyKeys.valid(hashed));
  }

  @Test
  void aMessageWithNeitherAKeyNorAMessageIdIsRefused() {
    PublishRefused refused = assertThrows(PublishRefused.class, () -> QueuedBatch.key(null, null));
    assertEquals("INVALID_HEADER", refused.code());
    assertTrue(refused.getMessage().contains("JMSMessageID"), refused::getMessage);
  }
}
