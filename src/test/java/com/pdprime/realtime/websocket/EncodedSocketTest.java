package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.protocol.OutboundFrame;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodedSocketTest {
  private final List<byte[]> written = new ArrayList<>();
  private final List<SendResult> results = new ArrayList<>();
  private boolean open = true;

  private final EncodedSocket socket =
      new EncodedSocket(
          (frame, done) -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            written.add(bytes);
            done.onResult(new SendResult());
          },
          session());

  @Test
  void anEventGoesToEverySocketAsTheSameEncodedBytes() {
    OutboundFrame event = OutboundFrame.event("{\"type\":\"event\",\"seq\":7}", 1);
    byte[] first = EncodedSocket.frame(List.of(event));
    byte[] second = EncodedSocket.frame(List.of(event));

    assertSame(first, second, "encoded once, shared by every recipient");
    assertEquals("{\"type\":\"event\",\"seq\":7}", textOf(first));
  }

  @Test
  void aBatchIsOneTextFrameOfTheTextsJoinedByNewlines() {
    List<OutboundFrame> batch =
        List.of(
            OutboundFrame.of("{\"a\":\"Jé ü\"}"), OutboundFrame.of("€10"), OutboundFrame.of(""));

    socket.sendText(batch, results::add);

    assertEquals(1, written.size());
    assertEquals("{\"a\":\"Jé ü\"}\n€10\n", textOf(written.get(0)));
    assertTrue(results.get(0).isOK());
  }

  @Test
  void everyPayloadLengthFormIsAValidFrame() {
    for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
      String text = "x".repeat(length);
      assertEquals(text, textOf(OutboundFrame.of(text).textFrame()), "payload of " + length);
    }
  }

  @Test
  void bothSocketsSendTheSameMessageForAnyBatch() {
    Random random = new Random(16);
    String[] pieces = {"a", "é", "€", "😀", "\"", "\n", "x".repeat(200)};
    for (int round = 0; round < 200; round++) {
      List<OutboundFrame> batch = new ArrayList<>();
      int frames = 1 + random.nextInt(5);
      for (int i = 0; i < frames; i++) {
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(400);
        for (int p = 0; p < parts; p++) {
          text.append(pieces[random.nextInt(pieces.length)]);
        }
        batch.add(OutboundFrame.of(text.toString()));
      }
      assertEquals(TextSocket.joined(batch), textOf(EncodedSocket.frame(batch)));
    }
  }

  @Test
  void aClosedSessionIsRefusedAndNothingIsWritten() {
    open = false;

    assertThrows(
        IllegalStateException.class,
        () -> socket.sendText(List.of(OutboundFrame.of("late")), results::add));
    assertEquals(List.of(), written);
    assertEquals(List.of(), results);
  }

  @Test
  void aFailedWriteReachesTheSender() {
    IllegalStateException gone = new IllegalStateException("socket gone");
    EncodedSocket failing =
        new EncodedSocket((frame, done) -> done.onResult(new SendResult(gone)), session());

    failing.sendText(List.of(OutboundFrame.of("one")), results::add);

    assertSame(gone, results.get(0).getException());
  }

  /** Reads one server frame as RFC 6455 §5.2 lays it out: final, text, unmasked, exact length. */
  private static String textOf(byte[] frame) {
    ByteBuffer in = ByteBuffer.wrap(frame);
    assertEquals((byte) 0x81, in.get(), "FIN and the text opcode");
    int second = in.get() & 0xFF;
    assertEquals(0, second & 0x80, "a server's frame is not masked");
    long length = second & 0x7F;
    if (length == 126) {
      length = in.getShort() & 0xFFFF;
      assertTrue(length > 125, "the shortest length form is used");
    } else if (length == 127) {
      length = in.getLong();
      assertTrue(length > 0xFFFF, "the shortest length form is used");
    }
    assertEquals(in.remaining(), length, "the payload is exactly the frame's rest");
    return new String(frame, in.position(), in.remaining(), StandardCharsets.UTF_8);
  }

  private Session session() {
    return (Session)
        Proxy.newProxyInstance(
            Session.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("isOpen")) {
                return open;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
