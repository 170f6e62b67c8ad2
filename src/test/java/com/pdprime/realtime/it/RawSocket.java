package com.pdprime.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket client written by hand over a plain TCP socket: it does the upgrade itself and writes
 * frames byte by byte, so a test can send what no WebSocket library would (unmasked frames,
 * reserved bits, over-long control frames, a 4 MiB frame). Server frames are read as they come.
 */
final class RawSocket implements AutoCloseable {
  static final int ABNORMAL = 1006;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** One frame from the server. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private RawSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Upgrades to the protocol with the token as a Bearer header; fails unless the answer is 101. */
  static RawSocket connect(URL base, String token) throws IOException {
    return connect(base, token, 0);
  }

  /**
   * The same, with the socket's receive buffer set to {@code receiveBufferBytes} before it connects
   * (0 leaves the kernel's default, which grows to megabytes): a client that stops reading then
   * stops taking bytes after a few kilobytes, and the server's writes to it stall soon.
   */
  static RawSocket connect(URL base, String token, int receiveBufferBytes) throws IOException {
    RawSocket raw = upgrade(base, token, receiveBufferBytes);
    String head = raw.responseHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      raw.close();
      throw new IOException("upgrade refused: " + head);
    }
    return raw;
  }

  /** A refused upgrade: the status line and the JSON body the server answered with. */
  record Refusal(int status, String body) {}

  static Refusal refusal(URL base, String token) throws IOException {
    try (RawSocket raw = upgrade(base, token, 0)) {
      String head = raw.responseHead();
      int status = Integer.parseInt(head.substring(9, 12));
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      byte[] body;
      if (length.find()) {
        body = new byte[Integer.parseInt(length.group(1))];
        raw.in.readFully(body);
      } else {
        body = raw.chunkedBody();
      }
      return new Refusal(status, new String(body, StandardCharsets.UTF_8));
    }
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line().trim(), 16);
      if (size == 0) {
        return body.toByteArray();
      }
      byte[] chunk = new byte[size];
      in.readFully(chunk);
      body.writeBytes(chunk);
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed in a chunked body");
      }
      line.append((char) b);
    }
    return line.toString();
  }

  private static RawSocket upgrade(URL base, String token, int receiveBufferBytes)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()));
    socket.setSoTimeout((int) TestClient.WAIT.toMillis());
    RawSocket raw = new RawSocket(socket);
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    String request =
        "GET "
            + Local.CONTEXT
            + "ws HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + base.getPort()
            + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: "
            + TestClient.PROTOCOL
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
    raw.out.flush();
    return raw;
  }

  private String responseHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** A complete masked frame; {@code first} is the first header byte (FIN, RSV, opcode). */
  RawSocket frame(int first, byte[] payload) throws IOException {
    header(first, payload.length, true);
    out.write(payload);
    out.flush();
    return this;
  }

  RawSocket text(String text) throws IOException {
    return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Only the header of a frame: the mask is all zero bytes, so a payload written after it with
   * {@link #raw} goes unchanged.
   */
  RawSocket header(int first, long length, boolean masked) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(first);
    int mask = masked ? 0x80 : 0;
    if (length <= 125) {
      header.write(mask | (int) length);
    } else if (length <= 0xFFFF) {
      header.write(mask | 126);
      header.write((int) (length >> 8));
      header.write((int) length);
    } else {
      header.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        header.write((int) (length >>> shift));
      }
    }
    if (masked) {
      header.writeBytes(new byte[4]);
    }
    out.write(header.toByteArray());
    out.flush();
    return this;
  }

  RawSocket raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /**
   * The next frame from the server other than its heartbeat pings, which are answered with a pong
   * as any client would.
   */
  Frame read() throws IOException {
    while (true) {
      Frame frame = readAny();
      if (frame.opcode() != 0x9) {
        return frame;
      }
      frame(0x8A, frame.payload());
    }
  }

  private Frame readAny() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame((first & 0x80) != 0, first & 0x0F, payload);
  }

  /** The next text frame: anything else but a heartbeat ping here is a failure. */
  String readText() throws IOException {
    Frame frame = read();
    if (frame.opcode() != 0x1) {
      throw new IOException("expected a text frame, got opcode " + frame.opcode());
    }
    return frame.text();
  }

  /**
   * Reads until the server's close frame and returns its code: 1005 for a close without one, 1006
   * if the connection ended without a close frame.
   */
  int awaitClose() {
    try {
      while (true) {
        Frame frame = read();
        if (frame.opcode() == 0x8) {
          byte[] p = frame.payload();
          return p.length < 2 ? 1005 : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
        }
      }
    } catch (IOException ended) {
      return ABNORMAL;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
