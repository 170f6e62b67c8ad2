package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A socket's frames reach the container's stream only while the container holds the socket's
 * request, and a frame written as Tyrus writes it (isReady, write, flush) asks the container once.
 */
class HeldOutputTest {
  private final ConnectionIdRequest fake = new ConnectionIdRequest();
  private final UpgradedRequest upgraded = UpgradedRequest.of(fake.request());
  private final ContainerStream container = new ContainerStream();
  private final HeldOutput output = new HeldOutput(container, upgraded);

  @Test
  void aFrameWrittenAsTyrusWritesItAsksTheContainerOnce() throws IOException {
    fake.asked.set(0);

    sendFrame("one");
    sendFrame("two");

    assertEquals("onetwo", container.written());
    assertEquals(2, fake.asked.get());
  }

  @Test
  void aWriteWithoutIsReadyBeforeItAsksOnItsOwn() throws IOException {
    fake.asked.set(0);

    output.write(bytes("lone"), 0, 4);
    output.flush();

    assertEquals("lone", container.written());
    assertEquals(2, fake.asked.get());
  }

  @Test
  void theCheckOfOneFrameDoesNotCoverTheNext() throws IOException {
    sendFrame("one");
    fake.current.set("18");

    assertTrue(output.isReady(), "a released stream is ready, so the writer fails at once");
    assertThrows(IOException.class, () -> output.write(bytes("two"), 0, 3));
    assertEquals("one", container.written());
  }

  @Test
  void aStreamReleasedAfterAFrameRefusesAWriteThatCameWithoutIsReady() throws IOException {
    sendFrame("one");
    fake.current.set(null);

    assertThrows(IOException.class, () -> output.write(bytes("two"), 0, 3));
    assertThrows(IOException.class, output::flush);
    assertEquals("one", container.written());
  }

  @Test
  void aStreamNotReadyLeavesTheNextWriteToAskAgain() throws IOException {
    container.ready = false;
    assertFalse(output.isReady());
    fake.current.set("18");

    assertThrows(IOException.class, () -> output.write(bytes("late"), 0, 4));
    assertEquals("", container.written());
  }

  @Test
  void aReleasedStreamIsNotClosed() {
    fake.current.set(new IllegalStateException("request object recycled"));

    assertThrows(IOException.class, output::close);
    assertFalse(container.closed);
  }

  private void sendFrame(String text) throws IOException {
    assertTrue(output.isReady());
    byte[] frame = bytes(text);
    output.write(frame, 0, frame.length);
    output.flush();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The container's stream: what reached it, whether it is ready, whether it was closed. */
  private static final class ContainerStream extends ServletOutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean ready = true;
    private boolean closed;

    String written() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("not used by these tests");
    }
  }
}
