package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pdprime.realtime.testing.MovableClock;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A token verified once is accepted again until it expires without its signature being checked
 * again; everything else still goes through the full check.
 */
class VerifiedTokensTest {
  private static final KeyPair TRUSTED = TestTokens.newRsaKeyPair();
  private static final KeyPair STRANGER = TestTokens.newRsaKeyPair();
  private static final String ISSUER = "https://id.pdprime.example";
  private static final String RS256 = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
  private static final Duration SKEW = Duration.ofSeconds(30);

  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));
  private final JwtVerifier jwt =
      new JwtVerifier(
          VerificationKeys.parse(TestTokens.pem(TRUSTED.getPublic())),
          ISSUER,
          Set.of("pdprime-realtime"),
          SKEW,
          clock,
          PermissionsClaim.GROUPS);
  private final AtomicInteger fullChecks = new AtomicInteger();
  private final VerifiedTokens.Check counted =
      token -> {
        fullChecks.incrementAndGet();
        return jwt.verify(token);
      };

  private String token(KeyPair key, String subject, String group, long lifetimeSeconds) {
    return TestTokens.signed(
        key.getPrivate(),
        RS256,
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\"pdprime-realtime\",\"sub\":\""
            + subject
            + "\",\"groups\":[\""
            + group
            + "\"],\"exp\":"
            + clock.instant().plusSeconds(lifetimeSeconds).getEpochSecond()
            + "}");
  }

  @Test
  void aTokenIsCheckedInFullOnceWhileItIsValid() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW);
    String alice = token(TRUSTED, "alice", "quote:read", 300);

    Caller first = tokens.verify(alice);
    clock.advance(Duration.ofSeconds(200));
    Caller again = tokens.verify(alice);

    assertEquals(first, again);
    assertEquals(1, fullChecks.get());
  }

  @Test
  void anExpiredTokenIsRefusedEvenAfterItWasAccepted() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW);
    String alice = token(TRUSTED, "alice", "quote:read", 300);
    tokens.verify(alice);

    clock.advance(Duration.ofSeconds(300).plus(SKEW));

    assertEquals(
        TokenRejected.Reason.EXPIRED,
        assertThrows(TokenRejected.class, () -> tokens.verify(alice)).reason());
    assertEquals(0, tokens.size());
  }

  @Test
  void aRefusedTokenIsCheckedInFullEveryTime() {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW);
    String forged = token(STRANGER, "mallory", "admin:access", 300);

    for (int i = 0; i < 3; i++) {
      assertEquals(
          TokenRejected.Reason.BAD_SIGNATURE,
          assertThrows(TokenRejected.class, () -> tokens.verify(forged)).reason());
    }
    assertEquals(3, fullChecks.get());
    assertEquals(0, tokens.size());
  }

  @Test
  void differentTokensAreNeverConfused() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW);
    String alice = token(TRUSTED, "alice", "quote:read", 300);
    String aliceAsAdmin = token(TRUSTED, "alice", "admin:access", 300);
    String bob = token(TRUSTED, "bob", "quote:read", 300);

    for (int round = 0; round < 2; round++) {
      assertEquals("alice", tokens.verify(alice).subject());
      assertEquals(Set.of("quote:read"), tokens.verify(alice).permissions());
      assertEquals(Set.of("admin:access"), tokens.verify(aliceAsAdmin).permissions());
      assertEquals("bob", tokens.verify(bob).subject());
    }
    assertEquals(3, fullChecks.get());
  }

  @Test
  void atMostMaxEntriesAreKeptAndTheLeastRecentlyUsedGoesFirst() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 2);
    String alice = token(TRUSTED, "alice", "quote:read", 300);
    String bob = token(TRUSTED, "bob", "quote:read", 300);
    String carol = token(TRUSTED, "carol", "quote:read", 300);

    tokens.verify(alice);
    tokens.verify(bob);
    tokens.verify(alice); // bob is now the least recently used
    tokens.verify(carol); // one over the bound: bob goes

    assertEquals(2, tokens.size());
    assertEquals(3, fullChecks.get());
    tokens.verify(alice);
    assertEquals(3, fullChecks.get(), "alice stayed");
    tokens.verify(bob);
    assertEquals(4, fullChecks.get(), "bob was forgotten and checked in full again");
    assertEquals(2, tokens.size());
  }

  @Test
  void noTokenIsRefusedAsBefore() {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW);
    assertEquals(
        TokenRejected.Reason.MISSING,
        assertThrows(TokenRejected.class, () -> tokens.verify(null)).reason());
  }
}
