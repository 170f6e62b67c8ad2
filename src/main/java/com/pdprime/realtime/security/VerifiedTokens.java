package com.pdprime.realtime.security;

import com.pdprime.realtime.memory.BoundedMemory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Tokens this instance has verified, until they expire: a client presents the same token on every
 * REST call and on each reconnect, and checking its RS256 signature again proves nothing new. Only
 * an accepted token is remembered, keyed by the SHA-256 of the token (the token itself is neither
 * kept nor logged), with the caller it proved. The expiry is checked again on every use, with the
 * same clock skew as the verifier; an expired entry is forgotten and the token verified afresh (and
 * refused).
 *
 * <p>At most {@code maxEntries} tokens are kept ({@link BoundedMemory}): past the bound expired
 * entries go first, then arbitrary ones.
 *
 * <p>One instance belongs to one verifier, and so to one set of trusted keys: when the keys change,
 * {@link TokenVerification} starts a new one, so a token signed with a key no longer trusted is not
 * accepted from memory.
 */
final class VerifiedTokens {
  /** The full check of a token, {@link JwtVerifier#verify} in production. */
  @FunctionalInterface
  interface Check {
    Caller verify(String token) throws TokenRejected;
  }

  private final Check verifier;
  private final Clock clock;
  private final Duration clockSkew;
  private final BoundedMemory<Digest, Caller> callers;

  VerifiedTokens(Check verifier, Clock clock, Duration clockSkew, int maxEntries) {
    this.verifier = verifier;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.callers =
        new BoundedMemory<>(
            "verified tokens", maxEntries, caller -> expired(caller, clock.instant()));
  }

  /** The caller a token proved, while it has not expired; otherwise the token is verified. */
  Caller verify(String token) throws TokenRejected {
    if (token == null || token.isBlank()) {
      return verifier.verify(token);
    }
    Digest digest = Digest.of(token);
    Caller known = callers.get(digest);
    if (known != null) {
      if (!expired(known, clock.instant())) {
        return known;
      }
      callers.forget(digest, known);
    }
    Caller verified = verifier.verify(token);
    callers.remember(digest, verified);
    return verified;
  }

  private boolean expired(Caller caller, Instant now) {
    return !now.isBefore(caller.expiresAt().plus(clockSkew));
  }

  int size() {
    return callers.size();
  }

  /** SHA-256 of a token: equal only for equal tokens, and nothing of the token can be read back. */
  private record Digest(byte[] bytes, int hash) {
    static Digest of(String token) {
      try {
        byte[] bytes =
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        return new Digest(bytes, Arrays.hashCode(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Digest";
    }
  }
}
