package com.pdprime.realtime.admin;

import com.pdprime.realtime.security.LogSafe;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;

/**
 * The reason an operator gives for a disconnect, read from {@code {"reason": ...}}. It travels in
 * the close frame, whose reason RFC 6455 caps at 123 bytes of UTF-8; a longer one would not be sent
 * at all, so it is refused here, where the operator can shorten it.
 */
final class DisconnectReason {
  static final int MAX_BYTES = 123;

  private DisconnectReason() {}

  static String of(JsonObject body) {
    JsonValue reason = body == null ? null : body.get("reason");
    if (reason == null) {
      throw Refusal.missingField(
          "reason", "Send {\"reason\": \"...\"}: the user sees it in the close frame.");
    }
    if (!(reason instanceof JsonString text)
        || text.getString().isBlank()
        || LogSafe.hasControlCharacters(text.getString())
        || text.getString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw Refusal.invalidField(
          "reason",
          "must be a non-blank string of at most "
              + MAX_BYTES
              + " UTF-8 bytes without control characters",
          "Shorten the reason: it must fit in a WebSocket close frame.");
    }
    return text.getString();
  }
}
