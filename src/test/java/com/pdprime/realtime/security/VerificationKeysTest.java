package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.security.TokenRejected.Reason;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerificationKeysTest {
  private static final KeyPair FIRST = TestTokens.newRsaKeyPair();
  private static final KeyPair SECOND = TestTokens.newRsaKeyPair();
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String ISSUER = "https://id.pdprime.example";
  private static final String AUDIENCE = "pdprime-realtime";
  private static final String CLAIMS =
      "{\"iss\":\""
          + ISSUER
          + "\",\"aud\":\""
          + AUDIENCE
          + "\",\"sub\":\"carol\",\"exp\":"
          + NOW.plusSeconds(300).getEpochSecond()
          + "}";

  private static JwtVerifier verifierTrusting(String keyText) {
    return new JwtVerifier(
        VerificationKeys.parse(keyText),
        ISSUER,
        Set.of(AUDIENCE),
        Duration.ofSeconds(30),
        Clock.fixed(NOW, ZoneOffset.UTC),
        PermissionsClaim.GROUPS);
  }

  private static String header(String kid) {
    return kid == null
        ? "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
        : "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
  }

  private static String token(KeyPair signer, String kid) {
    return TestTokens.signed(signer.getPrivate(), header(kid), CLAIMS);
  }

  private static final String TWO_KEY_JWKS =
      TestTokens.jwks(
          TestTokens.jwk("k1", FIRST.getPublic()), TestTokens.jwk("k2", SECOND.getPublic()));

  @Test
  void pemKeyVerifiesTokensWhateverTheirKid() throws TokenRejected {
    JwtVerifier verifier = verifierTrusting(TestTokens.pem(FIRST.getPublic()));
    assertEquals("carol", verifier.verify(token(FIRST, null)).subject());
    assertEquals("carol", verifier.verify(token(FIRST, "anything")).subject());
  }

  @Test
  void pemWithSurroundingWhitespaceIsAccepted() throws TokenRejected {
    JwtVerifier verifier = verifierTrusting("\n\n  " + TestTokens.pem(FIRST.getPublic()) + "  \n");
    assertEquals("carol", verifier.verify(token(FIRST, null)).subject());
  }

  @Test
  void jwksPicksTheKeyNamedByKid() throws TokenRejected {
    JwtVerifier verifier = verifierTrusting(TWO_KEY_JWKS);
    assertEquals("carol", verifier.verify(token(FIRST, "k1")).subject());
    assertEquals("carol", verifier.verify(token(SECOND, "k2")).subject());
  }

  @Test
  void jwksKidNamingADifferentKeyThanTheSignerIsABadSignature() {
    JwtVerifier verifier = verifierTrusting(TWO_KEY_JWKS);
    TokenRejected rejected =
        assertThrows(TokenRejected.class, () -> verifier.verify(token(SECOND, "k1")));
    assertEquals(Reason.BAD_SIGNATURE, rejected.reason());
  }

  @Test
  void jwksUnknownKidIsAnUnknownKey() {
    JwtVerifier verifier = verifierTrusting(TWO_KEY_JWKS);
    TokenRejected rejected =
        assertThrows(TokenRejected.class, () -> verifier.verify(token(FIRST, "k3")));
    assertEquals(Reason.UNKNOWN_KEY, rejected.reason());
  }

  @Test
  void jwksWithSeveralKeysAndATokenWithoutKidIsAnUnknownKey() {
    JwtVerifier verifier = verifierTrusting(TWO_KEY_JWKS);
    TokenRejected rejected =
        assertThrows(TokenRejected.class, () -> verifier.verify(token(FIRST, null)));
    assertEquals(Reason.UNKNOWN_KEY, rejected.reason());
  }

  @Test
  void jwksWithOneUnnamedKeyVerifiesAnyKid() throws TokenRejected {
    JwtVerifier verifier =
        verifierTrusting(TestTokens.jwks(TestTokens.jwk(null, FIRST.getPublic())));
    assertEquals("carol", verifier.verify(token(FIRST, null)).subject());
    assertEquals("carol", verifier.verify(token(FIRST, "k9")).subject());
  }

  @Test
  void jwksSkipsNonRsaKeys() throws TokenRejected {
    String jwks =
        TestTokens.jwks(
            "{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}",
            TestTokens.jwk("k1", FIRST.getPublic()));
    assertEquals("carol", verifierTrusting(jwks).verify(token(FIRST, "k1")).subject());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        "{\"keys\":[]}",
        "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\"}]}"
      })
  void textThatIsNeitherPemNorJwksWithRsaKeysIsAConfigurationError(String text) {
    assertThrows(IllegalStateException.class, () -> VerificationKeys.parse(text));
  }
}
