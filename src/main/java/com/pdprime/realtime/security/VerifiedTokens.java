package com.pdprime.realtime.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens this instance has verified, until they expire: a client presents the same token on every
 * REST call and on each reconnect, and checking its RS256 signature again proves nothing new. Only
 * an accepted token is remembered, keyed by the SHA-256 of the token (the token itself is neither
 * kept nor logged), with the caller it proved. The expiry is checked again on every use, with the
 * same clock skew as the verifier; an expired entry is forgotten and the token verified afresh (and
 * refused). At most {@link #MAX_ENTRIES} tokens are kept; the least recently used goes first.
 *
 * <p>One instance belongs to one verifier, and so to one set of trusted keys: when the keys change,
 * {@link TokenVerification} starts a new one, so a token signed with a key no longer trusted is not
 * accepted from memory.
 */
final class VerifiedTokens {
  /**
   * One entry per token in use: 10,000 connections each with its own token, plus REST callers, fit.
   * An entry is about 300 bytes (digest, caller, permissions), so at most about 3 MB.
   */
  static final int MAX_ENTRIES = 10_000;

  /** The full check of a token, {@link JwtVerifier#verify} in production. */
  @FunctionalInterface
  interface Check {
    Caller verify(String token) throws TokenRejected;
  }

  private final Check verifier;
  private final Clock clock;
  private final Duration clockSkew;
  private final int maxEntries;
  private final Map<Digest, Caller> callers;

  VerifiedTokens(Check verifier, Clock clock, Duration clockSkew) {
    this(verifier, clock, clockSkew, MAX_ENTRIES);
  }

  VerifiedTokens(Check verifier, Clock clock, Duration clockSkew, int maxEntries) {
    this.verifier = verifier;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.maxEntries = maxEntries;
    this.callers =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Digest, Caller> eldest) {
            return size() > VerifiedTokens.this.maxEntries;
          }
        };
  }

  /** The caller a token proved, while it has not expired; otherwise the token is verified. */
  Caller verify(String token) throws TokenRejected {
    if (token == null || token.isBlank()) {
      return verifier.verify(token);
    }
    Digest digest = Digest.of(token);
    Caller known;
    synchronized (callers) {
      known = callers.get(digest);
      if (known != null && !clock.instant().isBefore(known.expiresAt().plus(clockSkew))) {
        callers.remove(digest);
        known = null;
      }
    }
    if (known != null) {
      return known;
    }
    Caller verified = verifier.verify(token);
    synchronized (callers) {
      callers.put(digest, verified);
    }
    return verified;
  }

  int size() {
    synchronized (callers) {
      return callers.size();
    }
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
