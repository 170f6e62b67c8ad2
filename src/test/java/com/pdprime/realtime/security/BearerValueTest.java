package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.testing.MovableClock;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An {@code Authorization} value, as REST headers and publish-queue messages carry it. */
class BearerValueTest {
  private static final KeyPair KEY = TestTokens.newRsaKeyPair();
  private static final String ISSUER = "https://sso.example.com/realms/pdprime";

  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));
  private TokenVerification verification;

  @BeforeEach
  void configure() {
    verification =
        TestTokens.verification(
            Optional.of(TestTokens.pem(KEY.getPublic())), Optional.empty(), ISSUER, clock);
  }

  private String token() {
    return TestTokens.signed(
        KEY.getPrivate(),
        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\"pdprime-realtime\",\"sub\":\"billing\",\"exp\":"
            + clock.instant().plusSeconds(300).getEpochSecond()
            + "}");
  }

  private TokenRejected.Reason refusal(String authorization) {
    return assertThrows(TokenRejected.class, () -> verification.verifyBearer(authorization))
        .reason();
  }

  @Test
  void theBearerSchemeIsTakenInAnyCaseAnythingElseIsMalformedAndNoTokenIsMissing()
      throws TokenRejected {
    String token = token();
    assertEquals("billing", verification.verifyBearer("Bearer " + token).subject());
    assertEquals("billing", verification.verifyBearer("bEARER  " + token + " ").subject());
    assertEquals(TokenRejected.Reason.MALFORMED, refusal(token));
    assertEquals(TokenRejected.Reason.MALFORMED, refusal("Basic YmlsbGluZzpzZWNyZXQ="));
    assertEquals(TokenRejected.Reason.MALFORMED, refusal("Bearer"));
    assertEquals(TokenRejected.Reason.MISSING, refusal("Bearer "));
  }
}
