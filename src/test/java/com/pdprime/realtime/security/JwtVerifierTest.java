package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.devtokens.TokenSigner;
import com.pdprime.realtime.security.TokenRejected.Reason;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtVerifierTest {
  private static final KeyPair TRUSTED = TestTokens.newRsaKeyPair();
  private static final KeyPair STRANGER = TestTokens.newRsaKeyPair();
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(60);
  private static final String ISSUER = "https://id.pdprime.example";
  private static final String AUDIENCE = "pdprime-realtime";
  private static final String RS256 = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private final JwtVerifier verifier =
      new JwtVerifier(
          VerificationKeys.parse(TestTokens.pem(TRUSTED.getPublic())),
          ISSUER,
          Set.of(AUDIENCE, "pdprime-admin"),
          SKEW,
          Clock.fixed(NOW, ZoneOffset.UTC),
          PermissionsClaim.GROUPS);

  private static TokenSigner.Claims claims(Instant issuedAt, Instant expiresAt) {
    return new TokenSigner.Claims(
        ISSUER,
        AUDIENCE,
        "alice",
        "Alice Agent",
        List.of("quote:read", "quote:write"),
        issuedAt,
        expiresAt);
  }

  private static String token(TokenSigner.Claims claims) throws Exception {
    return TokenSigner.sign(TRUSTED.getPrivate(), claims);
  }

  private static String validToken() throws Exception {
    return token(claims(NOW.minusSeconds(30), NOW.plusSeconds(300)));
  }

  /**
   * A payload signed by the trusted key: iss, sub, exp valid unless {@code extra} overrides them.
   */
  private static String payloadToken(String extraClaims) {
    String payload =
        "{"
            + extraClaims
            + (extraClaims.isEmpty() ? "" : ",")
            + "\"iss\":\""
            + ISSUER
            + "\",\"sub\":\"bob\",\"exp\":"
            + NOW.plusSeconds(300).getEpochSecond()
            + "}";
    return TestTokens.signed(TRUSTED.getPrivate(), RS256, payload);
  }

  private Reason rejection(String token) {
    return assertThrows(TokenRejected.class, () -> verifier.verify(token)).reason();
  }

  @Test
  void validTokenYieldsTheCaller() throws Exception {
    Instant expiresAt = NOW.plusSeconds(300);
    Caller caller = verifier.verify(token(claims(NOW.minusSeconds(30), expiresAt)));
    assertEquals("alice", caller.subject());
    assertEquals("alice", caller.getName());
    assertEquals("Alice Agent", caller.displayName());
    assertEquals(Set.of("quote:read", "quote:write"), caller.permissions());
    assertEquals(expiresAt, caller.expiresAt());
  }

  /** Every open connection keeps its caller: a permission's name is held once, not per token. */
  @Test
  void callersOfDifferentTokensShareOneCopyOfEachPermissionName() throws Exception {
    Caller first = verifier.verify(validToken());
    Caller second = verifier.verify(token(claims(NOW.minusSeconds(10), NOW.plusSeconds(200))));
    String firstRead =
        first.permissions().stream().filter("quote:read"::equals).findFirst().orElseThrow();
    String secondRead =
        second.permissions().stream().filter("quote:read"::equals).findFirst().orElseThrow();
    assertSame(firstRead, secondRead);
  }

  @Test
  void tokenWithoutNameOrGroupsFallsBackToSubjectAndNoPermissions() throws Exception {
    Caller caller = verifier.verify(payloadToken("\"aud\":\"" + AUDIENCE + "\""));
    assertEquals("bob", caller.subject());
    assertEquals("bob", caller.displayName());
    assertEquals(Set.of(), caller.permissions());
  }

  // --- time ---

  @Test
  void expiredTokenBeyondSkewIsRejected() throws Exception {
    String token = token(claims(NOW.minusSeconds(3600), NOW.minus(SKEW).minusSeconds(1)));
    assertEquals(Reason.EXPIRED, rejection(token));
  }

  @Test
  void tokenExpiringExactlySkewAgoIsRejected() throws Exception {
    assertEquals(Reason.EXPIRED, rejection(token(claims(NOW.minusSeconds(3600), NOW.minus(SKEW)))));
  }

  @Test
  void expiredTokenWithinSkewIsAccepted() throws Exception {
    Instant expiresAt = NOW.minus(SKEW).plusSeconds(1);
    Caller caller = verifier.verify(token(claims(NOW.minusSeconds(3600), expiresAt)));
    assertEquals(expiresAt, caller.expiresAt());
  }

  @Test
  void notYetValidTokenBeyondSkewIsRejected() throws Exception {
    // TokenSigner sets nbf = iat
    String token = token(claims(NOW.plus(SKEW).plusSeconds(1), NOW.plusSeconds(3600)));
    assertEquals(Reason.NOT_YET_VALID, rejection(token));
  }

  @Test
  void notYetValidTokenWithinSkewIsAccepted() throws Exception {
    String token = token(claims(NOW.plus(SKEW), NOW.plusSeconds(3600)));
    assertEquals("alice", verifier.verify(token).subject());
  }

  @Test
  void tokenWithoutExpiryIsRejected() {
    String token =
        TestTokens.signed(
            TRUSTED.getPrivate(),
            RS256,
            "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"bob\"}");
    assertEquals(Reason.MISSING_CLAIM, rejection(token));
  }

  // --- issuer and audience ---

  @Test
  void wrongIssuerIsRejected() throws Exception {
    String token =
        token(
            new TokenSigner.Claims(
                "https://evil.example",
                AUDIENCE,
                "alice",
                "Alice",
                List.of(),
                NOW.minusSeconds(30),
                NOW.plusSeconds(300)));
    assertEquals(Reason.WRONG_ISSUER, rejection(token));
  }

  @Test
  void wrongStringAudienceIsRejected() throws Exception {
    String token =
        token(
            new TokenSigner.Claims(
                ISSUER,
                "some-other-service",
                "alice",
                "Alice",
                List.of(),
                NOW.minusSeconds(30),
                NOW.plusSeconds(300)));
    assertEquals(Reason.WRONG_AUDIENCE, rejection(token));
  }

  @Test
  void anyTrustedAudienceIsAccepted() throws Exception {
    assertEquals("bob", verifier.verify(payloadToken("\"aud\":\"pdprime-admin\"")).subject());
  }

  @Test
  void audienceArrayWithoutATrustedEntryIsRejected() {
    assertEquals(Reason.WRONG_AUDIENCE, rejection(payloadToken("\"aud\":[\"billing\",\"crm\"]")));
    assertEquals(Reason.WRONG_AUDIENCE, rejection(payloadToken("\"aud\":[]")));
  }

  @Test
  void audienceArrayContainingATrustedEntryIsAccepted() throws Exception {
    Caller caller = verifier.verify(payloadToken("\"aud\":[\"billing\",\"" + AUDIENCE + "\"]"));
    assertEquals("bob", caller.subject());
  }

  @Test
  void missingAudienceIsRejected() {
    assertEquals(Reason.MISSING_CLAIM, rejection(payloadToken("")));
  }

  // --- algorithm and signature ---

  @Test
  void algNoneIsAnUnsupportedAlgorithm() {
    String payload =
        TestTokens.encode(
            "{\"iss\":\""
                + ISSUER
                + "\",\"aud\":\""
                + AUDIENCE
                + "\",\"sub\":\"mallory\",\"exp\":"
                + NOW.plusSeconds(300).getEpochSecond()
                + "}");
    String token = TestTokens.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, rejection(token));
  }

  @Test
  void hs256HeaderIsAnUnsupportedAlgorithm() throws Exception {
    // An algorithm-confusion attempt: same payload, header claims HMAC.
    String[] parts = validToken().split("\\.");
    String token =
        TestTokens.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, rejection(token));
  }

  @Test
  void headerWithoutAlgIsAnUnsupportedAlgorithm() throws Exception {
    String[] parts = validToken().split("\\.");
    String token = TestTokens.encode("{\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, rejection(token));
  }

  @Test
  void tokenSignedByAnotherKeyHasABadSignature() throws Exception {
    String token =
        TokenSigner.sign(STRANGER.getPrivate(), claims(NOW.minusSeconds(30), NOW.plusSeconds(300)));
    assertEquals(Reason.BAD_SIGNATURE, rejection(token));
  }

  @Test
  void tamperedPayloadHasABadSignature() throws Exception {
    String[] parts = validToken().split("\\.");
    String forged =
        TestTokens.encode(
            "{\"iss\":\""
                + ISSUER
                + "\",\"aud\":\""
                + AUDIENCE
                + "\",\"sub\":\"alice\",\"groups\":[\"realtime:publish\"],\"exp\":"
                + NOW.plusSeconds(300).getEpochSecond()
                + "}");
    assertEquals(Reason.BAD_SIGNATURE, rejection(parts[0] + "." + forged + "." + parts[2]));
  }

  @Test
  void emptySignatureIsABadSignature() throws Exception {
    String[] parts = validToken().split("\\.");
    assertEquals(Reason.BAD_SIGNATURE, rejection(parts[0] + "." + parts[1] + "."));
  }

  // --- shape ---

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "a.b", "a.b.c.d", "...", "not base64!.e30.e30"})
  void tokenThatIsNotThreeBase64UrlPartsIsMalformed(String token) {
    assertEquals(Reason.MALFORMED, rejection(token));
  }

  @Test
  void twoPartTokenCutFromAValidOneIsMalformed() throws Exception {
    String token = validToken();
    assertEquals(Reason.MALFORMED, rejection(token.substring(0, token.lastIndexOf('.'))));
  }

  @Test
  void headerThatIsNotAJsonObjectIsMalformed() throws Exception {
    String[] parts = validToken().split("\\.");
    assertEquals(
        Reason.MALFORMED, rejection(TestTokens.encode("[1]") + "." + parts[1] + "." + parts[2]));
    assertEquals(
        Reason.MALFORMED, rejection(TestTokens.encode("nope") + "." + parts[1] + "." + parts[2]));
  }

  @Test
  void groupsThatAreNotStringsAreMalformed() {
    assertEquals(
        Reason.MALFORMED, rejection(payloadToken("\"aud\":\"" + AUDIENCE + "\",\"groups\":[1]")));
    assertEquals(
        Reason.MALFORMED,
        rejection(payloadToken("\"aud\":\"" + AUDIENCE + "\",\"groups\":\"quote:read\"")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void missingTokenIsMissing(String token) {
    assertEquals(Reason.MISSING, rejection(token));
  }

  @Test
  void nullTokenIsMissing() {
    assertEquals(Reason.MISSING, rejection(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775807", "1e30", "-9223372036854775808"})
  void expiryOutsideTheRepresentableTimeRangeIsMalformedNotAServerError(String exp) {
    String payload =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":\"bob\",\"exp\":"
            + exp
            + "}";
    assertEquals(
        Reason.MALFORMED, rejection(TestTokens.signed(TRUSTED.getPrivate(), RS256, payload)));
  }

  @Test
  void expiryJustBelowInstantMaxIsMalformedInsteadOfOverflowing() {
    String payload =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":\"bob\",\"exp\":"
            + Instant.MAX.getEpochSecond()
            + "}";
    assertEquals(
        Reason.MALFORMED, rejection(TestTokens.signed(TRUSTED.getPrivate(), RS256, payload)));
  }

  @Test
  void notBeforeAYearAheadIsRefused() {
    long nextYear = NOW.plus(Duration.ofDays(365)).getEpochSecond();
    assertEquals(
        Reason.NOT_YET_VALID,
        rejection(payloadToken("\"aud\":\"" + AUDIENCE + "\",\"nbf\":" + nextYear)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"eve\\n[SEVERE] forged", "eve\\r", "eve\\u2028x", "eve\\u0085"})
  void subjectWithControlCharactersIsMalformed(String jsonEscapedSubject) {
    String payload =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":\""
            + jsonEscapedSubject
            + "\",\"exp\":"
            + NOW.plusSeconds(300).getEpochSecond()
            + "}";
    assertEquals(
        Reason.MALFORMED, rejection(TestTokens.signed(TRUSTED.getPrivate(), RS256, payload)));
  }

  @Test
  void forgedAlgorithmIsQuotedAndEscapedInTheReason() {
    String token =
        TestTokens.encode("{\"alg\":\"none\\n[SEVERE] forged\"}")
            + "."
            + TestTokens.encode("{}")
            + ".";
    TokenRejected rejected = assertThrows(TokenRejected.class, () -> verifier.verify(token));
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, rejected.reason());
    assertFalse(rejected.getMessage().contains("\n"), rejected.getMessage());
  }

  private static JwtVerifier verifierReading(String claimPath, String format) {
    return new JwtVerifier(
        VerificationKeys.parse(TestTokens.pem(TRUSTED.getPublic())),
        ISSUER,
        Set.of(AUDIENCE),
        SKEW,
        Clock.fixed(NOW, ZoneOffset.UTC),
        PermissionsClaim.parse(claimPath, format));
  }

  /** A token shaped as Keycloak issues it: realm roles nested under realm_access. */
  private static String keycloakToken(String realmAccess) {
    return payloadToken(
        "\"aud\":\""
            + AUDIENCE
            + "\",\"preferred_username\":\"bob.agent\",\"realm_access\":"
            + realmAccess);
  }

  @Test
  void keycloakRealmRolesArePermissionsWhenConfigured() throws Exception {
    Caller caller =
        verifierReading("realm_access.roles", "array")
            .verify(keycloakToken("{\"roles\":[\"quote:read\",\"offline_access\"]}"));
    assertEquals(Set.of("quote:read", "offline_access"), caller.permissions());
    assertEquals("bob.agent", caller.displayName());
  }

  @Test
  void keycloakRolesAreIgnoredWhenGroupsAreConfigured() throws Exception {
    Caller caller = verifier.verify(keycloakToken("{\"roles\":[\"quote:read\"]}"));
    assertEquals(Set.of(), caller.permissions());
  }

  @Test
  void realmAccessOfTheWrongShapeIsMalformed() {
    JwtVerifier keycloak = verifierReading("realm_access.roles", "array");
    assertEquals(
        Reason.MALFORMED,
        assertThrows(TokenRejected.class, () -> keycloak.verify(keycloakToken("[\"quote:read\"]")))
            .reason());
    assertEquals(
        Reason.MALFORMED,
        assertThrows(
                TokenRejected.class,
                () -> keycloak.verify(keycloakToken("{\"roles\":\"quote:read\"}")))
            .reason());
  }

  @Test
  void spaceSeparatedScopeIsReadWordByWord() throws Exception {
    Caller caller =
        verifierReading("scope", "space-separated")
            .verify(
                payloadToken(
                    "\"aud\":\""
                        + AUDIENCE
                        + "\",\"scope\":\"openid  quote:read quote:read premium:view\""));
    assertEquals(Set.of("openid", "quote:read", "premium:view"), caller.permissions());
  }

  @Test
  void scopeAsAnArrayIsMalformedWhenConfiguredSpaceSeparated() {
    JwtVerifier scope = verifierReading("scope", "space-separated");
    String token = payloadToken("\"aud\":\"" + AUDIENCE + "\",\"scope\":[\"quote:read\"]");
    assertEquals(
        Reason.MALFORMED, assertThrows(TokenRejected.class, () -> scope.verify(token)).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "realm_access.", "a b", "x.$y"})
  void aClaimPathThatIsNotOneIsAConfigurationError(String path) {
    assertThrows(IllegalStateException.class, () -> PermissionsClaim.parse(path, "array"));
  }

  @Test
  void anUnknownFormatIsAConfigurationError() {
    assertThrows(IllegalStateException.class, () -> PermissionsClaim.parse("groups", "csv"));
  }
}
