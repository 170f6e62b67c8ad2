package com.pdprime.realtime.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket upgrade request written by hand (RFC 6455 section 4.1), so a test controls every
 * header and reads the server's whole answer: the JDK's client hides a refused handshake's body.
 */
final class UpgradeRequest {
  private UpgradeRequest() {}

  /** The server's answer to an upgrade that it refused: status, lower-cased headers, JSON body. */
  record Refusal(int status, Map<String, String> headers, JsonObject body) {}

  /** The request's bytes: the upgrade headers, then {@code extra} headers as given. */
  static byte[] of(URL base, Map<String, String> extra) {
    return of(base, "ws", extra);
  }

  /** The same, to the socket at {@code path} ({@code ws} or {@code ws/admin}). */
  static byte[] of(URL base, String path, Map<String, String> extra) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    StringBuilder request =
        new StringBuilder("GET " + Local.CONTEXT + path + " HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(base.getPort())
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Version: 13\r\n")
            .append("Sec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(nonce))
            .append("\r\n");
    extra.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the upgrade and reads the refusal; fails the test if the server upgrades instead. */
  static Refusal refused(URL base, Map<String, String> extra) throws IOException {
    return refused(base, "ws", extra);
  }

  /** The same, to the socket at {@code path}. */
  static Refusal refused(URL base, String path, Map<String, String> extra) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      socket.getOutputStream().write(of(base, path, extra));
      socket.getOutputStream().flush();
      Answer answer = answer(socket.getInputStream());
      if (answer.status() == 101) {
        throw new AssertionError("the server upgraded: " + answer.headers());
      }
      try (var reader = Json.createReader(new StringReader(answer.body()))) {
        return new Refusal(answer.status(), answer.headers(), reader.readObject());
      }
    }
  }

  /** The server's answer to an upgrade request: its status, lower-cased headers and body. */
  record Answer(int status, Map<String, String> headers, String body) {}

  /** Reads the answer to an upgrade request; a 101 has no body (frames follow it). */
  static Answer answer(InputStream in) throws IOException {
    String[] head = readHead(in).split("\r\n");
    int status = Integer.parseInt(head[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(
          head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          head[i].substring(colon + 1).trim());
    }
    String body = status == 101 ? "" : new String(readBody(in, headers), StandardCharsets.UTF_8);
    return new Answer(status, headers, body);
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 16_384 && !head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.substring(0, head.length() - 4);
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    if (headers.containsKey("content-length")) {
      return in.readNBytes(Integer.parseInt(headers.get("content-length")));
    }
    if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      throw new AssertionError("a refusal without a length: " + headers);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
      body.write(in.readNBytes(size));
      in.readNBytes(2);
    }
    return body.toByteArray();
  }

  private static int chunkSize(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return Integer.parseInt(line.toString().split(";")[0].trim(), 16);
  }
}
