package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.testing.MovableClock;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An identity provider rotates its signing key: tokens signed with the new key are accepted once
 * the JWKS is re-read, and forged key ids cannot make the server fetch the JWKS more than once a
 * minute.
 */
class KeyRotationTest {
  private static final KeyPair OLD = TestTokens.newRsaKeyPair();
  private static final KeyPair NEW = TestTokens.newRsaKeyPair();
  private static final String ISSUER = "https://sso.example.com/realms/pdprime";

  private final AtomicInteger fetches = new AtomicInteger();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));
  private volatile String jwks = TestTokens.jwks(TestTokens.jwk("old", OLD.getPublic()));
  private HttpServer sso;
  private TokenVerification verification;

  @BeforeEach
  void start() throws IOException {
    sso = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sso.createContext(
        "/certs",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    sso.start();
    verification =
        TestTokens.verification(
            Optional.empty(),
            Optional.of("http://127.0.0.1:" + sso.getAddress().getPort() + "/certs"),
            ISSUER,
            clock);
  }

  @AfterEach
  void stop() {
    sso.stop(0);
  }

  private String token(KeyPair key, String kid) {
    String payload =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\"pdprime-realtime\",\"sub\":\"liz\",\"exp\":"
            + clock.instant().plusSeconds(300).getEpochSecond()
            + "}";
    return TestTokens.signed(
        key.getPrivate(), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", payload);
  }

  @Test
  void aRotatedInKeyIsTrustedAfterTheJwksIsReread() throws Exception {
    assertEquals("liz", verification.verify(token(OLD, "old")).subject());
    jwks =
        TestTokens.jwks(
            TestTokens.jwk("old", OLD.getPublic()), TestTokens.jwk("new", NEW.getPublic()));
    clock.advance(TokenVerification.KEY_RELOAD_INTERVAL);

    assertEquals("liz", verification.verify(token(NEW, "new")).subject());
    assertEquals(2, fetches.get());
  }

  @Test
  void aTokenAcceptedBeforeItsKeyWasRemovedIsRefusedAfterTheJwksIsReread() throws Exception {
    String old = token(OLD, "old");
    assertEquals("liz", verification.verify(old).subject());
    jwks = TestTokens.jwks(TestTokens.jwk("new", NEW.getPublic()));
    clock.advance(TokenVerification.KEY_RELOAD_INTERVAL);
    assertEquals("liz", verification.verify(token(NEW, "new")).subject());

    assertEquals(
        TokenRejected.Reason.UNKNOWN_KEY,
        assertThrows(TokenRejected.class, () -> verification.verify(old)).reason());
  }

  @Test
  void unknownKeyIdsFetchTheJwksAtMostOncePerInterval() throws Exception {
    clock.advance(TokenVerification.KEY_RELOAD_INTERVAL);
    for (int i = 0; i < 20; i++) {
      String forged = token(NEW, "forged-" + i);
      assertEquals(
          TokenRejected.Reason.UNKNOWN_KEY,
          assertThrows(TokenRejected.class, () -> verification.verify(forged)).reason());
    }
    assertEquals(2, fetches.get(), "one fetch at start, one reload for twenty unknown kids");
  }

  @Test
  void anUnreachableProviderKeepsTheCurrentKeys() throws Exception {
    sso.stop(0);
    clock.advance(TokenVerification.KEY_RELOAD_INTERVAL);
    assertEquals(
        TokenRejected.Reason.UNKNOWN_KEY,
        assertThrows(TokenRejected.class, () -> verification.verify(token(NEW, "new"))).reason());
    assertEquals("liz", verification.verify(token(OLD, "old")).subject());
  }
}
