package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP answer read from a raw socket, for requests the JDK's client would not send (a body cut
 * short, trickled, over the cap): its head, and its body whether delimited by a Content-Length, as
 * one chunk, or by the close (what Undertow sends with Connection: close).
 */
record RawAnswer(String head, String body) {

  static RawAnswer read(Socket socket) throws IOException {
    return read(socket.getInputStream());
  }

  static RawAnswer read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before a response: " + head);
      }
      head.append((char) b);
    }
    String text = head.toString();
    String length = header(text, "content-length");
    boolean chunked = "chunked".equalsIgnoreCase(header(text, "transfer-encoding"));
    byte[] bytes =
        length != null
            ? in.readNBytes(Integer.parseInt(length))
            : chunked ? firstChunk(in) : in.readAllBytes();
    return new RawAnswer(text, new String(bytes, StandardCharsets.UTF_8));
  }

  boolean closesTheConnection() {
    return "close".equalsIgnoreCase(header(head, "connection"));
  }

  /** The documented error shape with this status and code, and no stack trace. */
  JsonObject error(int status, String code) {
    assertTrue(head.startsWith("HTTP/1.1 " + status + " "), head);
    assertTrue(header(head, "content-type").startsWith("application/json"), "JSON answer: " + head);
    JsonObject error;
    try (var reader = Json.createReader(new StringReader(body))) {
      error = reader.readObject();
    }
    assertTrue(code.equals(error.getString("code")), body);
    assertFalse(error.getString("action").isBlank(), body);
    assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace: " + body);
    return error;
  }

  private static String header(String head, String name) {
    return head.lines()
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
        .findFirst()
        .map(line -> line.substring(name.length() + 1).trim())
        .orElse(null);
  }

  private static byte[] firstChunk(InputStream in) throws IOException {
    StringBuilder size = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new AssertionError("connection closed in a chunk size");
      }
      size.append((char) b);
    }
    return in.readNBytes(Integer.parseInt(size.toString().trim(), 16));
  }
}
