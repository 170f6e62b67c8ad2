package com.pdprime.realtime.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One encoded server frame and its UTF-8 size, measured once. The same instance is queued for every
 * recipient of an event, so the outbound byte limits cost nothing per recipient. An event frame
 * also carries when its event was published, for the publish-to-write metric; other frames carry 0.
 */
public record OutboundFrame(String text, int bytes, long publishedAtMillis) {
  public static OutboundFrame of(String text) {
    return new OutboundFrame(text, utf8Length(text), 0);
  }

  public static OutboundFrame event(String text, long publishedAtMillis) {
    return new OutboundFrame(text, utf8Length(text), publishedAtMillis);
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
