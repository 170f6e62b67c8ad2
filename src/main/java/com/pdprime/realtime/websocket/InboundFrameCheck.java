package com.pdprime.realtime.websocket;

import com.pdprime.realtime.protocol.CloseCode;

/**
 * Reads a client's byte stream frame header by frame header (RFC 6455 §5.2) and stops it at the
 * first frame the server will not take, before any of that frame's payload is buffered.
 *
 * <p>Why here and not in Tyrus: Tyrus buffers a whole frame (up to 4 MiB) before it looks at its
 * opcode or its length, and it buffers a fragmented binary message without bound; the only limit it
 * applies to a single text frame counts characters after the frame was read. Judging the header
 * costs nothing and bounds what one connection can make the server hold to one allowed frame.
 *
 * <p>Refused: any binary frame (1003: the protocol is JSON text), a text message whose payload
 * bytes, summed over its fragments, exceed the limit (1009), and (1002) an unmasked frame, reserved
 * bits, a reserved opcode, a continuation without a message to continue, a data frame inside a
 * fragmented message, a fragmented control frame, a control frame over 125 bytes and a 64-bit
 * length with its top bit set. Payloads pass through unread: UTF-8 and close payloads stay Tyrus's
 * to judge. One instance per connection, used by its reading thread only.
 */
final class InboundFrameCheck {
  static final String BINARY_REFUSED =
      "binary frames are not part of the protocol; send each command as a JSON text frame";

  /** Why the stream was stopped: the close code and the reason the client is sent. */
  record Violation(CloseCode code, String reason) {}

  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int MAX_CONTROL_PAYLOAD = 125;

  private final long maxTextMessageBytes;

  private int headerByte;
  private int opcode;
  private boolean fin;
  private int extendedLengthBytes;
  private int extendedLengthRead;
  private int maskBytesRead;
  private long length;
  private long payloadLeft;
  private boolean inTextMessage;
  private long textMessageBytes;
  private Violation violation;

  InboundFrameCheck(long maxTextMessageBytes) {
    this.maxTextMessageBytes = maxTextMessageBytes;
  }

  /**
   * How many of {@code bytes[offset, offset + count)} may go on to the WebSocket implementation:
   * all of them, or those before the byte that showed a frame to be refused. After a violation
   * nothing passes.
   */
  int admit(byte[] bytes, int offset, int count) {
    int index = 0;
    while (index < count && violation == null) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, count - index);
        payloadLeft -= skip;
        index += (int) skip;
      } else {
        header(bytes[offset + index] & 0xFF);
        if (violation == null) {
          index++;
        }
      }
    }
    return index;
  }

  /** The reason the stream was stopped, or null while every frame was acceptable. */
  Violation violation() {
    return violation;
  }

  private void header(int value) {
    switch (headerByte) {
      case 0 -> first(value);
      case 1 -> second(value);
      default -> {
        if (extendedLengthRead < extendedLengthBytes) {
          extendedLength(value);
        } else {
          maskByte();
        }
      }
    }
  }

  private void first(int value) {
    fin = (value & 0x80) != 0;
    opcode = value & 0x0F;
    if ((value & 0x70) != 0) {
      refuse(CloseCode.PROTOCOL_ERROR, "reserved bits set; no extension was negotiated");
    } else if (opcode == OPCODE_BINARY) {
      refuse(CloseCode.UNSUPPORTED_DATA, BINARY_REFUSED);
    } else if (opcode > OPCODE_BINARY && opcode < 0x8 || opcode > 0xA) {
      refuse(CloseCode.PROTOCOL_ERROR, "reserved opcode " + opcode);
    } else if (opcode == OPCODE_CONTINUATION && !inTextMessage) {
      refuse(CloseCode.PROTOCOL_ERROR, "continuation frame without a message to continue");
    } else if (opcode == OPCODE_TEXT && inTextMessage) {
      refuse(CloseCode.PROTOCOL_ERROR, "new text message before the fragmented one ended");
    } else if (control() && !fin) {
      refuse(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
    } else {
      headerByte = 1;
    }
  }

  private void second(int value) {
    if ((value & 0x80) == 0) {
      refuse(CloseCode.PROTOCOL_ERROR, "client frames must be masked (RFC 6455 5.1)");
      return;
    }
    int lengthCode = value & 0x7F;
    if (control() && lengthCode > MAX_CONTROL_PAYLOAD) {
      refuse(CloseCode.PROTOCOL_ERROR, "control frame over 125 bytes");
      return;
    }
    extendedLengthBytes = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
    extendedLengthRead = 0;
    length = extendedLengthBytes == 0 ? lengthCode : 0;
    maskBytesRead = 0;
    headerByte = 2;
    if (extendedLengthBytes == 0) {
      lengthKnown();
    }
  }

  private void extendedLength(int value) {
    if (extendedLengthBytes == 8 && extendedLengthRead == 0 && (value & 0x80) != 0) {
      refuse(CloseCode.PROTOCOL_ERROR, "64-bit payload length with its top bit set");
      return;
    }
    length = (length << 8) | value;
    extendedLengthRead++;
    if (extendedLengthRead == extendedLengthBytes) {
      lengthKnown();
    }
  }

  private void lengthKnown() {
    if (!control() && length > maxTextMessageBytes - textMessageBytes) {
      refuse(
          CloseCode.TOO_BIG,
          "text message over " + maxTextMessageBytes + " bytes; commands are small JSON objects");
    }
  }

  private void maskByte() {
    maskBytesRead++;
    if (maskBytesRead < 4) {
      return;
    }
    headerByte = 0;
    payloadLeft = length;
    if (!control()) {
      textMessageBytes = fin ? 0 : textMessageBytes + length;
      inTextMessage = !fin;
    }
  }

  private boolean control() {
    return (opcode & 0x8) != 0;
  }

  private void refuse(CloseCode code, String reason) {
    violation = new Violation(code, reason);
  }
}
