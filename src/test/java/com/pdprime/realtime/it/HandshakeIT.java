package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No socket opens without a valid token from an allowed origin; each refusal says why. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HandshakeIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void validTokenInSubprotocolOpensTheSocket() throws Exception {
    try (TestClient client = TestClient.connect(base, Tokens.valid("ivan"))) {
      assertEquals("ivan", client.welcome.getString("subject"));
      assertEquals(TestClient.PROTOCOL, client.socket.getSubprotocol());
    }
  }

  @Test
  void validTokenInAuthorizationHeaderOpensTheSocket() throws Exception {
    WebSocket socket =
        TestClient.builder()
            .subprotocols(TestClient.PROTOCOL)
            .header("Authorization", "Bearer " + Tokens.valid("judy"))
            .buildAsync(TestClient.wsUri(base), new WebSocket.Listener() {})
            .join();
    assertEquals(TestClient.PROTOCOL, socket.getSubprotocol());
    socket.abort();
  }

  @Test
  void missingTokenIsRefusedWith401() {
    assertEquals(401, refusedStatus(TestClient.builder().subprotocols(TestClient.PROTOCOL)));
  }

  @Test
  void tokenSignedByAnotherKeyIsRefusedWith401() throws Exception {
    PrivateKey forger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
    Instant now = Instant.now();
    String forged =
        Tokens.sign(forger, Tokens.ISSUER, Tokens.AUDIENCE, "eve", now, now.plusSeconds(600));
    assertEquals(401, refusedStatusWith(forged));
  }

  @Test
  void expiredTokenIsRefusedWith401() {
    Instant past = Instant.now().minusSeconds(3600);
    String expired =
        Tokens.sign(
            Tokens.devKey(), Tokens.ISSUER, Tokens.AUDIENCE, "eve", past, past.plusSeconds(60));
    assertEquals(401, refusedStatusWith(expired));
  }

  @Test
  void tokenFromAnotherIssuerIsRefusedWith401() {
    Instant now = Instant.now();
    String token =
        Tokens.sign(
            Tokens.devKey(),
            "https://evil.example",
            Tokens.AUDIENCE,
            "eve",
            now,
            now.plusSeconds(600));
    assertEquals(401, refusedStatusWith(token));
  }

  @Test
  void tokenForAnotherAudienceIsRefusedWith401() {
    Instant now = Instant.now();
    String token =
        Tokens.sign(Tokens.devKey(), Tokens.ISSUER, "other-app", "eve", now, now.plusSeconds(600));
    assertEquals(401, refusedStatusWith(token));
  }

  @Test
  void unsignedAlgNoneTokenIsRefusedWith401() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plusSeconds(600).getEpochSecond();
    String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            ("{\"iss\":\""
                    + Tokens.ISSUER
                    + "\",\"aud\":\""
                    + Tokens.AUDIENCE
                    + "\",\"sub\":\"eve\",\"exp\":"
                    + exp
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(401, refusedStatusWith(header + "." + payload + "."));
  }

  @Test
  void disallowedOriginIsRefusedWith403() {
    assertEquals(
        403,
        refusedStatus(
            TestClient.builder()
                .subprotocols(TestClient.PROTOCOL, "bearer." + Tokens.valid("eve"))
                .header("Origin", "https://evil.example")));
  }

  @Test
  void allowedOriginIsAccepted() {
    WebSocket socket =
        TestClient.builder()
            .subprotocols(TestClient.PROTOCOL, "bearer." + Tokens.valid("kim"))
            .header("Origin", "http://localhost:8080")
            .buildAsync(TestClient.wsUri(base), new WebSocket.Listener() {})
            .join();
    socket.abort();
  }

  @Test
  void clientWithoutOurProtocolVersionIsRefusedWith400() {
    assertEquals(
        400,
        refusedStatus(
            TestClient.builder().header("Authorization", "Bearer " + Tokens.valid("lee"))));
  }

  @Test
  void eleventhSocketOfOneUserIsRefusedWith429BeforeTheUpgradeUntilOneCloses() throws Exception {
    List<RawSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        open.add(RawSocket.connect(base, Tokens.valid("tabby")));
      }
      RawSocket.Refusal refusal = RawSocket.refusal(base, Tokens.valid("tabby"));
      assertEquals(429, refusal.status());
      JsonObject body = Json.createReader(new StringReader(refusal.body())).readObject();
      assertEquals("TOO_MANY_CONNECTIONS_PER_USER", body.getString("code"));
      assertEquals("tabby already holds 10 sockets on this server", body.getString("message"));
      assertFalse(body.getString("action").isEmpty());
      open.remove(0).close();
      // The closed socket's place comes back when the server has seen the close.
      long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
      RawSocket again = null;
      while (again == null && System.nanoTime() < deadline) {
        try {
          again = RawSocket.connect(base, Tokens.valid("tabby"));
        } catch (IOException stillFull) {
          Thread.sleep(100);
        }
      }
      assertNotNull(again, "a place came back after a socket closed");
      open.add(again);
    } finally {
      for (RawSocket socket : open) {
        socket.close();
      }
    }
  }

  @Test
  void expiryNearTheEndOfTimeIsAMalformedTokenNotAServerError() throws Exception {
    Instant now = Instant.now();
    for (Instant exp :
        List.of(
            Instant.MAX, Instant.MAX.minusSeconds(10), Instant.MAX.minusSeconds(86_400 * 365L))) {
      String token = Tokens.sign(Tokens.devKey(), Tokens.ISSUER, Tokens.AUDIENCE, "eve", now, exp);
      RawSocket.Refusal refusal = RawSocket.refusal(base, token);
      assertEquals(401, refusal.status(), exp::toString);
      JsonObject body = Json.createReader(new StringReader(refusal.body())).readObject();
      assertEquals("TOKEN_MALFORMED", body.getString("code"), exp::toString);
    }
  }

  private int refusedStatusWith(String token) {
    return refusedStatus(TestClient.builder().subprotocols(TestClient.PROTOCOL, "bearer." + token));
  }

  private int refusedStatus(WebSocket.Builder builder) {
    CompletionException refused =
        assertThrows(
            CompletionException.class,
            () -> builder.buildAsync(TestClient.wsUri(base), new WebSocket.Listener() {}).join());
    WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
    return handshake.getResponse().statusCode();
  }
}
