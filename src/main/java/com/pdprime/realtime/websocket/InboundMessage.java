package com.pdprime.realtime.websocket;

import java.util.Optional;

/**
 * One client text message, put together from the parts the container hands over, with its size in
 * UTF-8 bytes bounded as it grows.
 *
 * <p>The endpoint takes text in parts because a whole-message handler leaves the bound to the
 * container, and Undertow (WildFly) does not keep it: its buffered text message counts only the
 * bytes of its first read, so a message that arrives over several network reads is buffered whole,
 * however large. Parts arrive as they are read, and no more than {@code maxBytes} plus one part is
 * ever held. On Payara, {@link InboundFrameCheck} refuses an oversized message before Tyrus reads
 * it, and Tyrus hands each message over as one last part; this bound is then met in passing.
 *
 * <p>One instance per connection; the container delivers a connection's parts one at a time.
 */
final class InboundMessage {
  private final int maxBytes;

  /** Only a message in several parts needs it; most connections never hold one. */
  private StringBuilder held;

  private long bytes;
  private boolean refused;

  InboundMessage(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A message past the bound; the rest of its parts are dropped as they come. */
  static final class TooBig extends Exception {
    TooBig(int maxBytes) {
      super("text message over " + maxBytes + " bytes; commands are small JSON objects", null);
    }
  }

  /**
   * Adds a part; gives the whole message once its last part has come.
   *
   * @throws TooBig once, at the part that takes the message past the bound
   */
  Optional<String> add(String part, boolean last) throws TooBig {
    if (refused) {
      refused = !last;
      return Optional.empty();
    }
    bytes += utf8Length(part);
    if (bytes > maxBytes) {
      held = null;
      bytes = 0;
      refused = !last;
      throw new TooBig(maxBytes);
    }
    if (!last) {
      if (held == null) {
        held = new StringBuilder();
      }
      held.append(part);
      return Optional.empty();
    }
    bytes = 0;
    if (held == null) {
      return Optional.of(part);
    }
    String whole = held.append(part).toString();
    held = null;
    return Optional.of(whole);
  }

  /**
   * A surrogate pair is four bytes, counted at its high half, so a pair split between two parts
   * counts the same as a whole one.
   */
  static long utf8Length(String text) {
    long length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
      } else if (!Character.isLowSurrogate(c)) {
        length += 3;
      }
    }
    return length;
  }
}
