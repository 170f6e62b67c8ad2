package com.pdprime.realtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
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
  void missingTokenIsRefusedWith401TokenMissing() throws Exception {
    assertTokenRefusal(
        UpgradeRequest.refused(base, Map.of("Sec-WebSocket-Protocol", TestClient.PROTOCOL)),
        "TOKEN_MISSING");
  }

  @Test
  void tokenSignedByAnotherKeyIsRefusedWith401BadSignature() throws Exception {
    PrivateKey forger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
    Instant now = Instant.now();
    String forged =
        Tokens.sign(forger, Tokens.ISSUER, Tokens.AUDIENCE, "eve", now, now.plusSeconds(600));
    assertTokenRefusal(refusedWith(forged), "TOKEN_BAD_SIGNATURE");
  }

  @Test
  void expiredTokenIsRefusedWith401Expired() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    String expired =
        Tokens.sign(
            Tokens.devKey(), Tokens.ISSUER, Tokens.AUDIENCE, "eve", past, past.plusSeconds(60));
    UpgradeRequest.Refusal refusal = refusedWith(expired);
    assertTokenRefusal(refusal, "TOKEN_EXPIRED");
    assertTrue(refusal.body().getString("message").startsWith("EXPIRED: "), refusal::toString);
  }

  @Test
  void tokenFromAnotherIssuerIsRefusedWith401WrongIssuer() throws Exception {
    Instant now = Instant.now();
    String token =
        Tokens.sign(
            Tokens.devKey(),
            "https://evil.example",
            Tokens.AUDIENCE,
            "eve",
            now,
            now.plusSeconds(600));
    assertTokenRefusal(refusedWith(token), "TOKEN_WRONG_ISSUER");
  }

  @Test
  void tokenForAnotherAudienceIsRefusedWith401WrongAudience() throws Exception {
    Instant now = Instant.now();
    String token =
        Tokens.sign(Tokens.devKey(), Tokens.ISSUER, "other-app", "eve", now, now.plusSeconds(600));
    assertTokenRefusal(refusedWith(token), "TOKEN_WRONG_AUDIENCE");
  }

  @Test
  void unsignedAlgNoneTokenIsRefusedWith401UnsupportedAlgorithm() throws Exception {
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
    assertTokenRefusal(refusedWith(header + "." + payload + "."), "TOKEN_UNSUPPORTED_ALGORITHM");
  }

  @Test
  void disallowedOriginIsRefusedWith403OriginNotAllowed() throws Exception {
    UpgradeRequest.Refusal refusal =
        UpgradeRequest.refused(
            base,
            Map.of(
                "Sec-WebSocket-Protocol",
                TestClient.PROTOCOL + ", bearer." + Tokens.valid("eve"),
                "Origin",
                "https://evil.example"));
    assertRefusal(refusal, 403, "ORIGIN_NOT_ALLOWED", "Open the page from an allowed origin.");
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
  void clientWithoutOurProtocolVersionIsRefusedWith400SubprotocolRequired() throws Exception {
    UpgradeRequest.Refusal refusal =
        UpgradeRequest.refused(base, Map.of("Authorization", "Bearer " + Tokens.valid("lee")));
    assertRefusal(
        refusal,
        400,
        "SUBPROTOCOL_REQUIRED",
        "Add pdprime.realtime.v1 to the WebSocket's protocols.");
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

  /** The JDK's own client, as a Java backend would connect, sees the refusal's status. */
  @Test
  void javaClientSeesTheRefusalStatus() {
    CompletionException refused =
        assertThrows(
            CompletionException.class,
            () ->
                TestClient.builder()
                    .subprotocols(TestClient.PROTOCOL)
                    .buildAsync(TestClient.wsUri(base), new WebSocket.Listener() {})
                    .join());
    WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
    assertEquals(401, handshake.getResponse().statusCode());
  }

  private UpgradeRequest.Refusal refusedWith(String token) throws Exception {
    return UpgradeRequest.refused(
        base, Map.of("Sec-WebSocket-Protocol", TestClient.PROTOCOL + ", bearer." + token));
  }

  private static void assertTokenRefusal(UpgradeRequest.Refusal refusal, String code) {
    assertRefusal(
        refusal, 401, code, "Get a fresh token from the identity provider and connect again.");
  }

  /** docs/protocol.md 1.2: a JSON body {code, message, action}, the action verbatim. */
  private static void assertRefusal(
      UpgradeRequest.Refusal refusal, int status, String code, String action) {
    assertEquals(status, refusal.status(), refusal::toString);
    assertTrue(
        refusal.headers().getOrDefault("content-type", "").startsWith("application/json"),
        refusal::toString);
    assertEquals(code, refusal.body().getString("code"), refusal::toString);
    assertFalse(refusal.body().getString("message").isBlank(), refusal::toString);
    assertEquals(action, refusal.body().getString("action"));
  }
}
