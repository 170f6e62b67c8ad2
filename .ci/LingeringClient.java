import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The README smoke test's second socket, a client slow to let go: it subscribes to the room in ROOM
 * with the token in TOKEN (READY), answers the server's close frame only after ANSWER_DELAY_MS, and
 * never closes its side of the TCP connection, as a busy client behind a stalled proxy does. The
 * server's stop has to wait for the answer, or end the socket itself: a socket still open when
 * Payara stopped its network threads was ended from a thread Payara had interrupted, and Payara
 * logged SEVERE (the CI run of 2 Dec 2026 failed on one). Exits 0 when the close was 1001 and the
 * server ended the socket (or its process ended) within 30 s of the answer. A plain socket because
 * the JDK's WebSocket client always answers at once and closes its side. Every wait is bounded.
 */
public class LingeringClient {
  private static final SecureRandom RANDOM = new SecureRandom();

  public static void main(String[] args) throws Exception {
    String token = System.getenv("TOKEN");
    String room = System.getenv("ROOM");
    try (Socket socket = new Socket("localhost", 8080)) {
      socket.setSoTimeout(180_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: localhost:8080\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                  + Base64.getEncoder().encodeToString(key)
                  + "\r\nSec-WebSocket-Protocol: pdprime.realtime.v1, bearer."
                  + token
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String status = readHead(in);
      if (!status.startsWith("HTTP/1.1 101")) {
        System.out.println("UPGRADE REFUSED " + status);
        System.exit(1);
      }
      send(out, 0x1, ("{\"id\":\"1\",\"type\":\"subscribe\",\"room\":\"" + room + "\"}").getBytes(StandardCharsets.UTF_8));
      while (true) {
        int first = in.readUnsignedByte();
        byte[] payload = readPayload(in);
        int opcode = first & 0x0F;
        if (opcode == 0x1) {
          String text = new String(payload, StandardCharsets.UTF_8);
          if (text.contains("\"replyTo\":\"1\"") && text.contains("\"ok\"")) {
            System.out.println("READY");
          }
        } else if (opcode == 0x9) {
          send(out, 0xA, payload);
        } else if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
          System.out.println("CLOSED " + code);
          Thread.sleep(Long.parseLong(System.getenv("ANSWER_DELAY_MS")));
          send(out, 0x8, new byte[] {payload[0], payload[1]});
          System.out.println("ANSWERED the close; keeping the TCP connection open");
          long answered = System.nanoTime();
          socket.setSoTimeout(30_000);
          boolean ended = awaitEnd(in);
          long millis = (System.nanoTime() - answered) / 1_000_000;
          System.out.println(ended ? "ENDED BY THE SERVER after " + millis + " ms" : "STILL OPEN after 30 s");
          System.exit(code == 1001 && ended ? 0 : 1);
        }
      }
    }
  }

  private static boolean awaitEnd(DataInputStream in) throws IOException {
    try {
      while (in.read() >= 0) {
        // Nothing may follow a close frame; whatever comes is read until the end.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      System.out.println("the connection ended with " + e);
      return true;
    }
  }

  private static String readHead(DataInputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static byte[] readPayload(DataInputStream in) throws IOException {
    int second = in.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if (length > 1 << 24) {
      throw new EOFException("a frame of " + length + " bytes");
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return payload;
  }

  /** One final frame, masked as a client's must be (RFC 6455 §5.3). */
  private static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }
}
