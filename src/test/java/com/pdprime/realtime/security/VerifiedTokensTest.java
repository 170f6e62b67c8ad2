package com.pdprime.realtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.MovableClock;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 100);
    String alice = token(TRUSTED, "alice", "quote:read", 300);

    Caller first = tokens.verify(alice);
    clock.advance(Duration.ofSeconds(200));
    Caller again = tokens.verify(alice);

    assertEquals(first, again);
    assertEquals(1, fullChecks.get());
  }

  @Test
  void anExpiredTokenIsRefusedEvenAfterItWasAccepted() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 100);
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
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 100);
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
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 100);
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
  void atMostMaxEntriesAreKeptAndExpiredOnesGoFirst() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 10);
    tokens.verify(token(TRUSTED, "dora", "quote:read", 60));
    tokens.verify(token(TRUSTED, "dan", "quote:read", 60));
    List<String> lasting = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lasting.add(token(TRUSTED, "agent-" + i, "quote:read", 3600));
      tokens.verify(lasting.get(i));
    }
    clock.advance(Duration.ofSeconds(60).plus(SKEW));

    lasting.add(token(TRUSTED, "erin", "quote:read", 3600));
    tokens.verify(lasting.get(8)); // one over the bound: the two expired entries make room
    int checks = fullChecks.get();

    assertEquals(9, tokens.size());
    for (String token : lasting) {
      tokens.verify(token);
    }
    assertEquals(checks, fullChecks.get(), "every token still valid was remembered");
  }

  /**
   * Every token returns in the same order, one more token than the memory holds: a least recently
   * used memory would check every one of them again in every round.
   */
  @Test
  void tokensThatReturnInCyclesLargerThanTheMemoryAreMostlyStillRemembered() throws Exception {
    int bound = 100;
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, bound);
    List<String> cycle = new ArrayList<>();
    for (int i = 0; i <= bound; i++) {
      cycle.add(token(TRUSTED, "agent-" + i, "quote:read", 3600));
    }
    for (String token : cycle) {
      tokens.verify(token);
    }
    int afterFirstRound = fullChecks.get();

    for (int round = 0; round < 5; round++) {
      for (String token : cycle) {
        tokens.verify(token);
      }
    }

    int again = fullChecks.get() - afterFirstRound;
    assertTrue(again < cycle.size(), again + " full checks in 5 rounds of " + cycle.size());
    assertTrue(tokens.size() <= bound);
  }

  @Test
  void noTokenIsRefusedAsBefore() {
    VerifiedTokens tokens = new VerifiedTokens(counted, clock, SKEW, 100);
    assertEquals(
        TokenRejected.Reason.MISSING,
        assertThrows(TokenRejected.class, () -> tokens.verify(null)).reason());
  }
}
