package com.pdprime.realtime.rooms;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.api.IdempotencyKeys;
import com.pdprime.realtime.security.Caller;
import com.pdprime.realtime.security.Permissions;
import com.pdprime.realtime.security.TokenRejected;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * A message of the publish queue ({@link PublishQueueConsumer}) read into its publisher and its
 * events: the same token check as a REST request, and the body of {@code POST /api/v1/events} with
 * its limits, so the queue and REST answer the same mistake with the same code.
 */
final class QueuedBatch {
  /**
   * The longest message text taken, in characters: REST's body cap ({@code
   * realtime.rest.max-body-bytes}, 256 KiB), so an event that fits one way fits the other.
   */
  static final int MAX_CHARS = 256 * 1024;

  /** What a key made from a message's {@code JMSMessageID} starts with. */
  private static final String MESSAGE_ID_KEY = "JMSMessageID ";

  /** The token check of an {@code Authorization} value: {@code TokenVerification::verifyBearer}. */
  interface Verifier {
    Caller verifyBearer(String authorization) throws TokenRejected;
  }

  private QueuedBatch() {}

  /**
   * The publisher proven by the message's {@code Authorization} property ({@code Bearer <token>}),
   * holding {@code realtime:publish}; a message without one publishes nothing.
   */
  static Caller publisher(String authorization, Verifier tokens) throws PublishRefused {
    if (authorization == null) {
      throw new PublishRefused(
          401,
          "TOKEN_MISSING",
          "the message has no Authorization property",
          "Set the string property Authorization to 'Bearer <token>', a token holding "
              + Permissions.REALTIME_PUBLISH
              + ".");
    }
    Caller caller;
    try {
      caller = tokens.verifyBearer(authorization);
    } catch (TokenRejected rejected) {
      throw new PublishRefused(
          401,
          "TOKEN_" + rejected.reason().name(),
          rejected.getMessage(),
          "Get a fresh token from the identity provider and send the message again with it.");
    }
    if (!caller.has(Permissions.REALTIME_PUBLISH)) {
      throw new PublishRefused(
          403,
          "FORBIDDEN",
          "publishing needs the permission " + Permissions.REALTIME_PUBLISH,
          "Ask an administrator for the permission, or use an account that has it.");
    }
    return caller;
  }

  /**
   * The message's text as a batch's body: null when it is JSON but not an object, which {@link
   * EventBatch#read} refuses as REST does. {@code text} is null when the message has none (it is
   * not a {@code TextMessage}, or its text is null).
   */
  static JsonObject body(String text) throws PublishRefused {
    if (text == null) {
      throw new PublishRefused(
          400,
          "INVALID_FRAME",
          "the message has no text: it must be a TextMessage",
          "Send a TextMessage whose text is {\"events\": [...]}.");
    }
    if (text.length() > MAX_CHARS) {
      throw new PublishRefused(
          413,
          "REQUEST_TOO_LARGE",
          "the message text is longer than " + MAX_CHARS + " characters",
          "Split the events into smaller messages; publish a reference to large content instead"
              + " of the content.");
    }
    JsonValue body;
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      body = reader.readValue();
    } catch (JsonException malformed) {
      throw new PublishRefused(
          400,
          "MALFORMED_JSON",
          "the message text is not JSON: " + malformed.getMessage(),
          "Send {\"events\": [{\"room\", \"name\", \"data\"}, ...]} as the message text.");
    }
    return body.getValueType() == JsonValue.ValueType.OBJECT ? body.asJsonObject() : null;
  }

  /**
   * The key a message is stored once under: {@code own}, its sender's {@code IdempotencyKey}
   * property (JMS property names are Java identifiers, so not REST's {@code Idempotency-Key}), or
   * else one made from its {@code JMSMessageID}, which the broker keeps through every redelivery.
   * Without a key a message the broker delivers again after its events committed would store them
   * twice. A made key holds a space, which no sender's key may, so the two never meet.
   */
  record Key(String value, boolean own) {}

  static Key key(String property, String messageId) throws PublishRefused {
    if (property != null) {
      if (!IdempotencyKeys.valid(property)) {
        throw new PublishRefused(
            400,
            "INVALID_HEADER",
            "property 'IdempotencyKey' must be 1 to 200 printable ASCII characters without spaces",
            "Set a fresh UUID per batch as the IdempotencyKey, and the same one when the batch is"
                + " sent again.");
      }
      return new Key(property, true);
    }
    if (messageId == null) {
      throw new PublishRefused(
          400,
          "INVALID_HEADER",
          "the message has neither an IdempotencyKey nor a JMSMessageID, so a delivery of it again"
              + " could not be told from a new message",
          "Let the producer set message ids (do not disable them), or set an IdempotencyKey.");
    }
    String made = MESSAGE_ID_KEY + messageId;
    return new Key(
        made.length() <= IdempotencyKeys.MAX_LENGTH
            ? made
            : MESSAGE_ID_KEY + "sha256:" + IdempotencyKeys.fingerprint(messageId),
        false);
  }
}
