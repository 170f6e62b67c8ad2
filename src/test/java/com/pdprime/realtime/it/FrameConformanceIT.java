package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw-frame conformance, in the categories of the Autobahn Testsuite (framing, fragmentation,
 * UTF-8, control frames, close handling, limits): each case opens its own socket, sends frames
 * written by hand and expects the close code docs/protocol.md §8 documents. All cases run against
 * one server while a bystander, subscribed to a room, must receive every event published over REST
 * during the abuse, in order and without a gap.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FrameConformanceIT {
  private static final int LIMIT = 65_536;
  private static final int MIB = 1024 * 1024;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private interface Abuse {
    void send(RawSocket socket) throws Exception;
  }

  @Test
  void everyRefusedFrameGetsItsDocumentedCloseWhileABystanderMissesNothing() throws Exception {
    Map<String, Abuse> cases = new LinkedHashMap<>();
    Map<String, Integer> expected = new LinkedHashMap<>();
    // Framing
    add(cases, expected, "RSV1 set", 1002, s -> s.frame(0xC1, ascii("{}")));
    add(cases, expected, "reserved data opcode 3", 1002, s -> s.frame(0x83, ascii("{}")));
    add(cases, expected, "reserved control opcode 0xB", 1002, s -> s.frame(0x8B, ascii("x")));
    add(
        cases,
        expected,
        "unmasked text frame",
        1002,
        s -> s.header(0x81, 2, false).raw(ascii("{}")));
    // Fragmentation
    add(cases, expected, "continuation without a start", 1002, s -> s.frame(0x80, ascii("{}")));
    add(
        cases,
        expected,
        "text frame inside a fragmented message",
        1002,
        s -> s.frame(0x01, ascii("{")).frame(0x81, ascii("{}")));
    // UTF-8
    add(
        cases,
        expected,
        "invalid UTF-8 text",
        1007,
        s -> s.frame(0x81, new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}));
    add(
        cases,
        expected,
        "invalid UTF-8 across fragments",
        1007,
        s -> s.frame(0x01, new byte[] {'"', (byte) 0xE2}).frame(0x80, new byte[] {0x28, '"'}));
    // Control frames
    add(cases, expected, "ping of 126 bytes", 1002, s -> s.frame(0x89, new byte[126]));
    add(cases, expected, "fragmented ping", 1002, s -> s.frame(0x09, ascii("a")));
    // Close handling
    add(cases, expected, "close 1000 is echoed", 1000, s -> s.frame(0x88, close(1000, "")));
    add(cases, expected, "close code 999", 1002, s -> s.frame(0x88, close(999, "")));
    add(cases, expected, "close code 1005 (reserved)", 1002, s -> s.frame(0x88, close(1005, "")));
    add(cases, expected, "close code 5000", 1002, s -> s.frame(0x88, close(5000, "")));
    add(cases, expected, "close with a 1-byte payload", 1002, s -> s.frame(0x88, new byte[] {3}));
    add(
        cases,
        expected,
        "close reason in invalid UTF-8",
        1007,
        s -> s.frame(0x88, join(close(1000, ""), new byte[] {(byte) 0xC3, 0x28})));
    // Limits
    add(cases, expected, "binary frame", 1003, s -> s.frame(0x82, new byte[] {1, 2, 3}));
    add(
        cases,
        expected,
        "2 GiB binary message in fragments",
        1003,
        s -> offer(s, 0x02, 2048L * MIB, MIB, 0x00));
    add(
        cases,
        expected,
        "text frame of 65,537 bytes",
        1009,
        s -> s.frame(0x81, ascii(command("c", LIMIT + 1))));
    add(cases, expected, "text frame of 4 MiB", 1009, s -> offer(s, 0x81, 4L * MIB, 4L * MIB, 0));
    add(
        cases,
        expected,
        "fragmented text of 2 x 40 KiB",
        1009,
        s -> s.frame(0x01, new byte[40 * 1024]).frame(0x80, new byte[40 * 1024]));
    add(
        cases,
        expected,
        "40,000 two-byte characters (80,000 bytes)",
        1009,
        s -> s.text("\"" + "é".repeat(40_000) + "\""));

    Map<String, Integer> actual = new LinkedHashMap<>();
    try (Bystander bystander = Bystander.watching(base, "bystander")) {
      for (Map.Entry<String, Abuse> entry : cases.entrySet()) {
        actual.put(entry.getKey(), run(entry.getValue()));
      }
      bystander.assertMissedNothing();
    }
    assertEquals(expected.toString().replace(", ", ",\n"), actual.toString().replace(", ", ",\n"));
  }

  @Test
  void acceptedFramesAreCarriedOut() throws Exception {
    try (RawSocket socket = RawSocket.connect(base, Tokens.valid("framer"))) {
      welcome(socket);
      // A command of exactly the limit, in bytes.
      socket.text(command("exact", LIMIT));
      assertEquals("exact", json(socket.readText()).getString("replyTo"));
      // A fragmented command with a ping between its fragments: the pong comes first.
      socket
          .frame(0x01, ascii("{\"id\":\"frag\","))
          .frame(0x89, ascii("hi"))
          .frame(0x80, ascii("\"type\":\"ping\"}"));
      RawSocket.Frame pong = socket.read();
      assertEquals(0xA, pong.opcode());
      assertEquals("hi", pong.text());
      assertEquals("frag", json(socket.readText()).getString("replyTo"));
      // Multi-byte text under the limit in bytes.
      socket.text(command("utf8", 1000).replace("xxxx", "éé"));
      assertEquals("utf8", json(socket.readText()).getString("replyTo"));
    }
  }

  private int run(Abuse abuse) throws Exception {
    try (RawSocket socket = RawSocket.connect(base, Tokens.valid("abuser"))) {
      welcome(socket);
      abuse.send(socket);
      return socket.awaitClose();
    }
  }

  private static void welcome(RawSocket socket) throws IOException {
    assertEquals("welcome", json(socket.readText()).getString("type"));
  }

  /**
   * A message of {@code total} bytes as one frame ({@code fragment == total}) or as fragments,
   * written from another thread while this one waits for the close, as a client that does not read
   * would: the server must close it at the first header, whatever is still being sent.
   */
  private static void offer(RawSocket socket, int first, long total, long fragment, int next)
      throws IOException {
    Thread writer =
        new Thread(
            () -> {
              byte[] chunk = new byte[64 * 1024];
              try {
                long sent = 0;
                int opcode = first;
                while (sent < total) {
                  long size = Math.min(fragment, total - sent);
                  boolean last = sent + size == total;
                  socket.header((last ? 0x80 : 0) | (opcode & 0x0F), size, true);
                  for (long written = 0; written < size; written += chunk.length) {
                    socket.raw(
                        written + chunk.length <= size
                            ? chunk
                            : java.util.Arrays.copyOf(chunk, (int) (size - written)));
                  }
                  sent += size;
                  opcode = next;
                }
              } catch (IOException closedByServer) {
                // The server closed the socket while the abuse was being sent: that is the point.
              }
            });
    writer.setDaemon(true);
    writer.start();
  }

  private static void add(
      Map<String, Abuse> cases, Map<String, Integer> expected, String name, int code, Abuse abuse) {
    cases.put(name, abuse);
    expected.put(name, code);
  }

  /** A ping command padded to exactly {@code bytes} bytes of UTF-8. */
  private static String command(String id, int bytes) {
    String head = "{\"id\":\"" + id + "\",\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  private static byte[] close(int code, String reason) {
    byte[] text = ascii(reason);
    return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
  }

  private static byte[] join(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }
}
