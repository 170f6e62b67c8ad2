package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The server's answer to a body over realtime.rest.max-body-bytes, read from a raw socket (the
 * JDK's client would insist on sending the whole body first): 413 with a JSON REQUEST_TOO_LARGE.
 */
final class TooLargeAnswer {
  private TooLargeAnswer() {}

  /**
   * Reads the response head and its JSON body: with a Content-Length, as one chunk, or up to the
   * close. A body cut off mid-stream ({@code cutOff}) is answered with Connection: close, as the
   * rest of it is not read.
   */
  static void assertRead(Socket socket, boolean cutOff) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before a response: " + head);
      }
      head.append((char) b);
    }
    String text = head.toString();
    assertTrue(text.startsWith("HTTP/1.1 413"), text);
    assertTrue(text.toLowerCase(Locale.ROOT).contains("content-type: application/json"), text);
    if (cutOff) {
      assertTrue(text.toLowerCase(Locale.ROOT).contains("connection: close"), text);
    }
    String length =
        text.lines()
            .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .findFirst()
            .map(l -> l.substring("content-length:".length()).trim())
            .orElse(null);
    // A close-delimited body (no length, not chunked) is what Undertow sends with Connection:
    // close.
    boolean chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    byte[] bytes =
        length != null
            ? in.readNBytes(Integer.parseInt(length))
            : chunked ? firstChunk(in) : in.readAllBytes();
    String body = new String(bytes, StandardCharsets.UTF_8);
    JsonObject error;
    try (var reader = Json.createReader(new StringReader(body))) {
      error = reader.readObject();
    }
    assertEquals("REQUEST_TOO_LARGE", error.getString("code"), body);
    assertFalse(error.getString("action").isBlank(), body);
    assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace: " + body);
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
