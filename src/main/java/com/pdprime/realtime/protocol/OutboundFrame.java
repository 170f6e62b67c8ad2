package com.pdprime.realtime.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One encoded server frame and its UTF-8 size, measured once. The same instance is queued for every
 * recipient of an event, so the outbound byte limits cost nothing per recipient.
 */
public record OutboundFrame(String text, int bytes) {
  public static OutboundFrame of(String text) {
    return new OutboundFrame(text, utf8Length(text));
  }

  private static int utf8Length(String text) {
    int length = text.length();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return text.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return length;
  }
}
