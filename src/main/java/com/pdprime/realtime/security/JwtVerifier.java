package com.pdprime.realtime.security;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.security.TokenRejected.Reason;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies a compact RS256 JWT: signature, then issuer, audience, expiry and not-before with an
 * explicit clock-skew bound. Only RS256 is accepted, so {@code alg: none} and algorithm-confusion
 * tokens fail. Pure Java: the JDK's RSA signature and JSON-P, no provider-specific parser.
 */
public final class JwtVerifier {
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(null);
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final VerificationKeys keys;
  private final String issuer;
  private final Set<String> audiences;
  private final Duration clockSkew;
  private final Clock clock;

  public JwtVerifier(
      VerificationKeys keys,
      String issuer,
      Set<String> audiences,
      Duration clockSkew,
      Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.audiences = Set.copyOf(audiences);
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  public Caller verify(String token) throws TokenRejected {
    if (token == null || token.isBlank()) {
      throw new TokenRejected(Reason.MISSING, "no token presented");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenRejected(Reason.MALFORMED, "a JWT has three dot-separated parts");
    }
    JsonObject header = decodeJson(parts[0], "header");
    String alg = header.getString("alg", "");
    if (!"RS256".equals(alg)) {
      throw new TokenRejected(Reason.UNSUPPORTED_ALGORITHM, "alg '" + alg + "' is not RS256");
    }
    PublicKey key = keys.find(header.getString("kid", null));
    checkSignature(key, parts);
    JsonObject claims = decodeJson(parts[1], "payload");
    return checkClaims(claims);
  }

  private void checkSignature(PublicKey key, String[] parts) throws TokenRejected {
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(decode(parts[2], "signature"))) {
        throw new TokenRejected(Reason.BAD_SIGNATURE, "signature does not match the trusted key");
      }
    } catch (GeneralSecurityException e) {
      throw new TokenRejected(Reason.BAD_SIGNATURE, "signature check failed: " + e.getMessage());
    }
  }

  private Caller checkClaims(JsonObject claims) throws TokenRejected {
    Instant now = clock.instant();
    Instant exp = requireTime(claims, "exp");
    if (!now.isBefore(exp.plus(clockSkew))) {
      throw new TokenRejected(Reason.EXPIRED, "expired at " + exp);
    }
    if (claims.containsKey("nbf") && now.plus(clockSkew).isBefore(requireTime(claims, "nbf"))) {
      throw new TokenRejected(Reason.NOT_YET_VALID, "not valid before " + claims.get("nbf"));
    }
    String iss = requireString(claims, "iss");
    if (!issuer.equals(iss)) {
      throw new TokenRejected(Reason.WRONG_ISSUER, "issuer '" + iss + "' is not trusted");
    }
    if (!audienceMatches(claims.get("aud"))) {
      throw new TokenRejected(Reason.WRONG_AUDIENCE, "audience is not one of " + audiences);
    }
    String subject = requireString(claims, "sub");
    String name = claims.getString("name", claims.getString("upn", subject));
    return new Caller(subject, name, groups(claims), exp);
  }

  private boolean audienceMatches(JsonValue aud) throws TokenRejected {
    if (aud == null) {
      throw new TokenRejected(Reason.MISSING_CLAIM, "claim 'aud' is required");
    }
    if (aud instanceof JsonString single) {
      return audiences.contains(single.getString());
    }
    if (aud instanceof JsonArray many) {
      for (JsonValue entry : many) {
        if (entry instanceof JsonString s && audiences.contains(s.getString())) {
          return true;
        }
      }
      return false;
    }
    throw new TokenRejected(Reason.MALFORMED, "claim 'aud' must be a string or an array");
  }

  private static Set<String> groups(JsonObject claims) throws TokenRejected {
    JsonValue groups = claims.get("groups");
    if (groups == null) {
      return Set.of();
    }
    if (!(groups instanceof JsonArray array)) {
      throw new TokenRejected(Reason.MALFORMED, "claim 'groups' must be an array of strings");
    }
    Set<String> result = new HashSet<>();
    for (JsonValue entry : array) {
      if (!(entry instanceof JsonString s)) {
        throw new TokenRejected(Reason.MALFORMED, "claim 'groups' must be an array of strings");
      }
      result.add(s.getString());
    }
    return result;
  }

  private static Instant requireTime(JsonObject claims, String name) throws TokenRejected {
    JsonValue value = claims.get(name);
    if (value == null) {
      throw new TokenRejected(Reason.MISSING_CLAIM, "claim '" + name + "' is required");
    }
    if (!(value instanceof JsonNumber number)) {
      throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' must be a number");
    }
    try {
      return Instant.ofEpochSecond(number.longValueExact());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' is not a valid time");
    }
  }

  private static String requireString(JsonObject claims, String name) throws TokenRejected {
    JsonValue value = claims.get(name);
    if (value == null) {
      throw new TokenRejected(Reason.MISSING_CLAIM, "claim '" + name + "' is required");
    }
    if (!(value instanceof JsonString s) || s.getString().isBlank()) {
      throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' must be a non-empty string");
    }
    return s.getString();
  }

  private static JsonObject decodeJson(String part, String what) throws TokenRejected {
    try (var reader = READERS.createReader(new ByteArrayInputStream(decode(part, what)))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new TokenRejected(Reason.MALFORMED, "the " + what + " is not a JSON object");
    }
  }

  private static byte[] decode(String part, String what) throws TokenRejected {
    try {
      return BASE64URL.decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejected(Reason.MALFORMED, "the " + what + " is not base64url");
    }
  }
}
