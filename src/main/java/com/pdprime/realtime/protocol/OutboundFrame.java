package com.pdprime.realtime.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One encoded server frame and its UTF-8 size, measured once. The same instance is queued for every
 * recipient of an event, so the outbound byte limits cost nothing per recipient. An event frame
 * also carries when its event was published, for the publish-to-write metric; other frames carry 0.
 *
 * <p>It also keeps its WebSocket text frame ({@link #textFrame}), made at the first write that asks
 * for it and shared by every later one: a server's frames are not masked, so the same bytes suit
 * every socket, and an event broadcast to 10,000 is encoded once instead of 10,000 times.
 */
public final class OutboundFrame {
  private static final byte FINAL_TEXT = (byte) 0x81;
  private static final int LONGEST_SHORT_LENGTH = 125;
  private static final int TWO_BYTE_LENGTH = 126;
  private static final int EIGHT_BYTE_LENGTH = 127;

  private final String text;
  private final int bytes;
  private final long publishedAtMillis;

  /** Two writers may both make it; each makes the same bytes, so either may win. */
  private volatile byte[] textFrame;

  private OutboundFrame(String text, int bytes, long publishedAtMillis) {
    this.text = text;
    this.bytes = bytes;
    this.publishedAtMillis = publishedAtMillis;
  }

  public static OutboundFrame of(String text) {
    return new OutboundFrame(text, utf8Length(text), 0);
  }

  public static OutboundFrame event(String text, long publishedAtMillis) {
    return new OutboundFrame(text, utf8Length(text), publishedAtMillis);
  }

  public String text() {
    return text;
  }

  /** The text's size in UTF-8. */
  public int bytes() {
    return bytes;
  }

  public long publishedAtMillis() {
    return publishedAtMillis;
  }

  /**
   * The text as one final, unmasked WebSocket text frame (RFC 6455 §5.2): its header, then its
   * UTF-8 bytes, the last {@link #bytes} of the array. Shared: whoever takes it must not change it.
   */
  public byte[] textFrame() {
    byte[] made = textFrame;
    if (made == null) {
      made = emptyTextFrame(bytes);
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(utf8, 0, made, made.length - bytes, bytes);
      textFrame = made;
    }
    return made;
  }

  /**
   * A final, unmasked text frame with room for {@code payloadBytes}: the header is written, the
   * payload (the last {@code payloadBytes} of the array) is left for the caller to fill.
   */
  public static byte[] emptyTextFrame(int payloadBytes) {
    int header = headerBytes(payloadBytes);
    byte[] frame = new byte[header + payloadBytes];
    frame[0] = FINAL_TEXT;
    if (payloadBytes <= LONGEST_SHORT_LENGTH) {
      frame[1] = (byte) payloadBytes;
    } else if (payloadBytes <= 0xFFFF) {
      frame[1] = TWO_BYTE_LENGTH;
      frame[2] = (byte) (payloadBytes >>> 8);
      frame[3] = (byte) payloadBytes;
    } else {
      frame[1] = EIGHT_BYTE_LENGTH;
      // An int's length: the four high bytes of the eight stay 0.
      for (int i = 0; i < 4; i++) {
        frame[6 + i] = (byte) (payloadBytes >>> (24 - 8 * i));
      }
    }
    return frame;
  }

  /** The size of a server's text frame header for a payload of {@code payloadBytes}. */
  public static int headerBytes(int payloadBytes) {
    if (payloadBytes <= LONGEST_SHORT_LENGTH) {
      return 2;
    }
    return payloadBytes <= 0xFFFF ? 4 : 10;
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
