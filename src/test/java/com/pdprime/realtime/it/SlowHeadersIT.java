package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import jakarta.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request's headers must arrive within the listener's deadline: a client that trickles a header
 * line every second, or sends nothing, is cut off, while a slow client that finishes in time is
 * upgraded and a bystander's socket keeps receiving every event. Also what the listener does with
 * headers over its limit and with an offer of HTTP/2.
 *
 * <p>The listeners differ, and each is held to what it does (docs/operations.md §8): on Payara,
 * container/HeaderDeadlineFilter answers 408 (arquillian.xml sets its deadline to 5 s here, 10 s by
 * default); on WildFly, Undertow's {@code request-parse-timeout} and {@code no-request-timeout} (10
 * s, server-config/wildfly/embedded.cli) close the connection without an answer. Both bound a
 * request's headers at 8,192 bytes (Payara's header-buffer-length-bytes, Undertow's
 * max-header-size) and answer 400 past it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowHeadersIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  private static final boolean WILDFLY = ServerUnderTest.CURRENT == ServerUnderTest.WILDFLY;

  /** What a client whose headers miss the deadline reads: a 408, or the end of the stream. */
  private static final String CUT_OFF = WILDFLY ? "" : "HTTP/1.1 408 Request Timeout";

  @ArquillianResource URL base;

  @Test
  void trickledHeadersAreCutOffWhileASlowClientInTimeAndABystanderAreServed() throws Exception {
    try (Bystander bystander = new Bystander(base, "patient")) {
      String answer;
      try (Socket slowloris = open()) {
        send(slowloris, upgradeRequest(Tokens.valid("slowloris")).split("\r\n", 2)[0] + "\r\n");
        answer = trickleUntilAnswered(slowloris);
      }
      String inTime;
      try (Socket slow = open()) {
        // The same upgrade, a line every 250 ms: its 9 lines take 2 s, within the deadline.
        for (String line : upgradeRequest(Tokens.valid("slow")).split("(?<=\r\n)")) {
          send(slow, line);
          Thread.sleep(250);
        }
        inTime = statusLine(slow);
      }
      assertEquals(CUT_OFF, answer.split("\r\n", 2)[0], "trickler");
      assertEquals("HTTP/1.1 101", inTime.substring(0, 12), "slow client in time");
      bystander.receivedEveryEventInOrder();
    }
  }

  @Test
  void aSocketThatSendsNothingIsCutOff() throws Exception {
    try (Socket silent = open()) {
      assertEquals(CUT_OFF, readToEnd(silent).split("\r\n", 2)[0]);
    }
  }

  @Test
  void headersOverTheListenersLimitAreRefused() throws Exception {
    String request = upgradeRequest(Tokens.valid("bulky"));
    String oversized =
        request.replace("\r\n\r\n", "\r\nX-Padding: " + "x".repeat(8192) + "\r\n\r\n");
    try (Socket bulky = open()) {
      send(bulky, oversized);
      assertEquals("HTTP/1.1 400 Bad Request", readToEnd(bulky).split("\r\n", 2)[0]);
    }
  }

  /**
   * HTTP/2 is off on the listener (port unification turns it off): an offer of the cleartext
   * upgrade, which Java's HttpClient makes on every request, is ignored (RFC 9110 section 7.8) and
   * the request served as HTTP/1.1 with its body, on a connection kept for the next one. Before
   * container/H2cOfferFilter each such POST waited 30 s and got 400. Payara's listener only:
   * WildFly's speaks HTTP/2 and accepts the offer.
   */
  @Test
  void postsOfferingH2cAreServedAsHttp11OneAfterAnotherOnOneConnection() throws Exception {
    assumeFalse(WILDFLY, "WildFly's listener accepts the h2c offer and serves HTTP/2");
    String body = "{\"name\":\"note.created\",\"data\":{\"n\":1}}";
    String post =
        "POST "
            + Local.CONTEXT
            + "api/v1/rooms/user:h2c/events HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + base.getPort()
            + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
            + "Authorization: Bearer "
            + Tokens.valid("backend-service", "realtime:publish")
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    try (Socket client = open()) {
      for (int seq = 1; seq <= 2; seq++) {
        send(client, post);
        UpgradeRequest.Answer answer = UpgradeRequest.answer(client.getInputStream());
        assertEquals(201, answer.status(), "POST " + seq + ": " + answer.body());
        assertEquals(
            seq,
            Json.createReader(new StringReader(answer.body())).readObject().getInt("seq"),
            "POST " + seq);
      }
    }
  }

  private Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", base.getPort());
    socket.setSoTimeout((int) TestClient.WAIT.toMillis());
    return socket;
  }

  private String upgradeRequest(String token) {
    return "GET "
        + Local.CONTEXT
        + "ws HTTP/1.1\r\n"
        + "Host: 127.0.0.1:"
        + base.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: "
        + TestClient.PROTOCOL
        + "\r\nAuthorization: Bearer "
        + token
        + "\r\n\r\n";
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** One header line a second, never the empty line, until the server answers or closes. */
  private static String trickleUntilAnswered(Socket socket) throws IOException {
    socket.setSoTimeout(1000);
    InputStream in = socket.getInputStream();
    for (int line = 0; line < TestClient.WAIT.toSeconds(); line++) {
      try {
        int first = in.read();
        if (first < 0) {
          return "";
        }
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        return (char) first + readToEnd(socket);
      } catch (SocketTimeoutException stillWaiting) {
        send(socket, "X-Trickle-" + line + ": x\r\n");
      }
    }
    return "still open after " + TestClient.WAIT;
  }

  private static String statusLine(Socket socket) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static String readToEnd(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }
}
