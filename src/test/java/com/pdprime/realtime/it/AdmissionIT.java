package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server that is full or busy says so: 503 with {@code Retry-After} and the documented body,
 * never a dropped connection, while a bystander keeps receiving every event in order. The server
 * (admission in arquillian.xml) holds at most 4 sockets and decides one handshake at a time.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdmissionIT {
  private static final int SOCKETS_PER_INSTANCE = 4;

  @Deployment(testable = false)
  @TargetsContainer("admission")
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void aFullServerRefusesTheNextSocketWith503UntilOneOfItsSocketsCloses() throws Exception {
    try (Bystander bystander = new Bystander(base, "bystander")) {
      List<RawSocket> open = new ArrayList<>();
      try {
        for (int i = 1; i < SOCKETS_PER_INSTANCE; i++) {
          String filler = "filler-" + i;
          open.add(Accepted.eventually(() -> RawSocket.connect(base, Tokens.valid(filler))));
        }
        UpgradeRequest.Refusal refusal = refusedWhileNotBusy("one-too-many");
        assertEquals(503, refusal.status());
        assertEquals("30", refusal.headers().get("retry-after"));
        assertEquals("SERVER_FULL", refusal.body().getString("code"));
        assertEquals(
            "this server already holds its maximum of 4 sockets",
            refusal.body().getString("message"));
        assertEquals(
            "Connect again after the Retry-After delay.", refusal.body().getString("action"));
        open.remove(0).close();
        open.add(Accepted.eventually(() -> RawSocket.connect(base, Tokens.valid("one-too-many"))));
      } finally {
        for (RawSocket socket : open) {
          socket.close();
        }
      }
      bystander.receivedEveryEventInOrder();
    }
  }

  @Test
  void handshakesBeyondTheOneInProgressAreAnswered503BusyAndNoneIsDropped() throws Exception {
    Map<String, Integer> answers = new TreeMap<>();
    try (Bystander bystander = new Bystander(base, "bystander")) {
      // Whether a handshake finds the one place taken depends on timing, so bursts are sent until
      // one is refused as busy; every answer of every burst must be explicit either way.
      for (int burst = 0; burst < 5 && !answers.containsKey("503 SERVER_BUSY"); burst++) {
        burst(100, answers);
      }
      bystander.receivedEveryEventInOrder();
    }
    assertTrue(answers.containsKey("503 SERVER_BUSY"), "a burst found the server busy: " + answers);
    assertTrue(answers.containsKey("101"), "some handshakes of a burst were upgraded: " + answers);
    assertEquals(
        Set.of(),
        answers.keySet().stream()
            .filter(a -> !Set.of("101", "503 SERVER_BUSY", "503 SERVER_FULL").contains(a))
            .collect(Collectors.toSet()),
        "only upgrades and documented refusals: " + answers);
  }

  /**
   * Opens {@code size} TCP connections first, then writes every upgrade request at once, so the
   * handshakes reach the server together; reads and checks each answer.
   */
  private void burst(int size, Map<String, Integer> answers) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Socket socket = new Socket("127.0.0.1", base.getPort());
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        sockets.add(socket);
      }
      List<byte[]> requests = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        requests.add(
            UpgradeRequest.of(
                base,
                Map.of(
                    "Sec-WebSocket-Protocol",
                    TestClient.PROTOCOL + ", bearer." + Tokens.valid("burst-" + i))));
      }
      for (int i = 0; i < size; i++) {
        sockets.get(i).getOutputStream().write(requests.get(i));
      }
      for (Socket socket : sockets) {
        UpgradeRequest.Answer answer = UpgradeRequest.answer(socket.getInputStream());
        String key = Integer.toString(answer.status());
        if (answer.status() != 101) {
          JsonObject body = Json.createReader(new StringReader(answer.body())).readObject();
          key += " " + body.getString("code");
          assertNotNull(answer.headers().get("retry-after"), "Retry-After on " + key);
          assertFalse(body.getString("action").isEmpty(), "an action on " + key);
        }
        answers.merge(key, 1, Integer::sum);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /**
   * The refusal of a handshake that did not find the one handshake place taken. A filler's place is
   * given back just after its 101 is written, so the next handshake can still find it taken and be
   * told SERVER_BUSY, which a client retries after its Retry-After (1 s), as this does.
   */
  private UpgradeRequest.Refusal refusedWhileNotBusy(String subject) throws Exception {
    UpgradeRequest.Refusal refusal = refused(subject);
    for (int attempt = 0; attempt < 10 && isBusy(refusal); attempt++) {
      Thread.sleep(Long.parseLong(refusal.headers().get("retry-after")) * 1000);
      refusal = refused(subject);
    }
    return refusal;
  }

  private static boolean isBusy(UpgradeRequest.Refusal refusal) {
    return refusal.status() == 503 && "SERVER_BUSY".equals(refusal.body().getString("code", ""));
  }

  private UpgradeRequest.Refusal refused(String subject) throws IOException {
    return UpgradeRequest.refused(
        base,
        Map.of(
            "Sec-WebSocket-Protocol", TestClient.PROTOCOL + ", bearer." + Tokens.valid(subject)));
  }
}
