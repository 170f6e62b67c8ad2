package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.pdprime.realtime.protocol.CloseCode;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class InboundFrameCheckTest {
  private static final int LIMIT = 1000;

  /** A client frame header with a mask; the payload itself is never looked at. */
  private static byte[] header(int first, long length, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    int mask = masked ? 0x80 : 0;
    if (length <= 125) {
      out.write(mask | (int) length);
    } else if (length <= 0xFFFF) {
      out.write(mask | 126);
      out.write((int) (length >> 8));
      out.write((int) length);
    } else {
      out.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >>> shift));
      }
    }
    if (masked) {
      out.writeBytes(new byte[] {1, 2, 3, 4});
    }
    return out.toByteArray();
  }

  private static byte[] frame(int first, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header(first, length, true));
    out.writeBytes(new byte[length]);
    return out.toByteArray();
  }

  private static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void textAtTheLimitPassesWholeEvenOneByteAtATime() {
    byte[] stream = join(frame(0x81, LIMIT), frame(0x89, 125), frame(0x81, 10));
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    int passed = 0;
    for (int i = 0; i < stream.length; i++) {
      passed += check.admit(stream, i, 1);
    }
    assertEquals(stream.length, passed);
    assertNull(check.violation());
  }

  @Test
  void singleTextFrameOverTheLimitStopsAtItsLengthBeforeItsPayload() {
    byte[] good = frame(0x81, 20);
    byte[] big = header(0x81, 4L * 1024 * 1024, true);
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    byte[] stream = join(good, big);
    // Two header bytes and seven of the eight length bytes pass; the eighth decides.
    assertEquals(good.length + 9, check.admit(stream, 0, stream.length));
    assertEquals(CloseCode.TOO_BIG, check.violation().code());
    assertEquals(0, check.admit(stream, 0, stream.length), "nothing passes after a violation");
  }

  @Test
  void fragmentedTextIsCountedOverItsFragmentsWithControlFramesBetween() {
    byte[] stream =
        join(frame(0x01, 600), frame(0x89, 100), frame(0x00, 400), header(0x80, 1, true));
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    check.admit(stream, 0, stream.length);
    assertEquals(CloseCode.TOO_BIG, check.violation().code());
  }

  @Test
  void aFinishedFragmentedMessageStartsTheCountAgain() {
    byte[] stream = join(frame(0x01, 600), frame(0x80, 400), frame(0x81, 900));
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    assertEquals(stream.length, check.admit(stream, 0, stream.length));
    assertNull(check.violation());
  }

  @Test
  void binaryIsRefusedAtItsFirstByte() {
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    byte[] stream = join(frame(0x81, 5), header(0x02, 1L << 31, true));
    assertEquals(frame(0x81, 5).length, check.admit(stream, 0, stream.length));
    assertEquals(CloseCode.UNSUPPORTED_DATA, check.violation().code());
  }

  @Test
  void protocolErrorsAreRefusedWith1002() {
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x81, 5, false)).code(), "unmasked");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0xC1, 5, true)).code(), "RSV1");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x83, 5, true)).code(), "opcode 3");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x8B, 5, true)).code(), "opcode B");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x80, 5, true)).code(), "lone cont.");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x09, 5, true)).code(), "frag. ping");
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(header(0x89, 126, true)).code(), "big ping");
    assertEquals(
        CloseCode.PROTOCOL_ERROR,
        violation(join(frame(0x01, 5), header(0x81, 5, true))).code(),
        "text inside a fragmented message");
    byte[] topBit = join(new byte[] {(byte) 0x81, (byte) 0xFF, (byte) 0x80}, new byte[11]);
    assertEquals(CloseCode.PROTOCOL_ERROR, violation(topBit).code(), "64-bit length top bit");
  }

  private static InboundFrameCheck.Violation violation(byte[] stream) {
    InboundFrameCheck check = new InboundFrameCheck(LIMIT);
    check.admit(stream, 0, stream.length);
    return check.violation();
  }
}
