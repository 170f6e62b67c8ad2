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
import java.util.List;
import java.util.Set;

/**
 * Verifies a compact RS256 JWT: signature, then issuer, audience, expiry and not-before with an
 * explicit clock-skew bound, and reads the permissions from the configured claim. Only RS256 is
 * accepted, so {@code alg: none} and algorithm-confusion tokens fail. The one verifier of the
 * socket's handshake and of REST: both accept exactly the same tokens. Pure Java: the JDK's RSA
 * signature and JSON-P, no provider-specific parser.
 */
public final class JwtVerifier {
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(null);
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final List<String> DISPLAY_NAME_CLAIMS =
      List.of("name", "preferred_username", "upn");

  /**
   * A subject is the key of the user's room ({@code user:{subject}}, at most 128 characters) and is
   * stored in 200-character columns; names go to presence lists and logs. 128 is more than any
   * identity provider issues (a UUID is 36), and a control character (a newline forging a log line)
   * is never part of one.
   */
  public static final int MAX_TEXT_CLAIM_CHARS = 128;

  /**
   * Token times past this are nonsense, and near Instant.MAX adding the clock skew would overflow;
   * refusing them keeps every later computation with the expiry in range.
   */
  private static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59Z");

  private final VerificationKeys keys;
  private final String issuer;
  private final Set<String> audiences;
  private final Duration clockSkew;
  private final Clock clock;
  private final PermissionsClaim permissions;

  public JwtVerifier(
      VerificationKeys keys,
      String issuer,
      Set<String> audiences,
      Duration clockSkew,
      Clock clock,
      PermissionsClaim permissions) {
    this.keys = keys;
    this.issuer = issuer;
    this.audiences = Set.copyOf(audiences);
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.permissions = permissions;
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
      throw new TokenRejected(
          Reason.UNSUPPORTED_ALGORITHM, "alg " + LogSafe.quote(alg) + " is not RS256");
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
      throw new TokenRejected(
          Reason.NOT_YET_VALID, "not valid before " + requireTime(claims, "nbf"));
    }
    String iss = requireString(claims, "iss");
    if (!issuer.equals(iss)) {
      throw new TokenRejected(
          Reason.WRONG_ISSUER, "issuer " + LogSafe.quote(iss) + " is not trusted");
    }
    if (!audienceMatches(claims.get("aud"))) {
      throw new TokenRejected(Reason.WRONG_AUDIENCE, "audience is not one of " + audiences);
    }
    String subject = requireString(claims, "sub");
    String name = displayName(claims, subject);
    return new Caller(subject, name, permissions.extract(claims), exp);
  }

  /**
   * SSOs name people differently: {@code name}, Keycloak's {@code preferred_username}, MP's upn.
   */
  private static String displayName(JsonObject claims, String subject) throws TokenRejected {
    for (String claim : DISPLAY_NAME_CLAIMS) {
      if (claims.containsKey(claim)) {
        return requireString(claims, claim);
      }
    }
    return subject;
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

  private static Instant requireTime(JsonObject claims, String name) throws TokenRejected {
    JsonValue value = claims.get(name);
    if (value == null) {
      throw new TokenRejected(Reason.MISSING_CLAIM, "claim '" + name + "' is required");
    }
    if (!(value instanceof JsonNumber number)) {
      throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' must be a number");
    }
    try {
      Instant time = Instant.ofEpochSecond(number.longValueExact());
      if (time.isAfter(LATEST_TIME)) {
        throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' is after the year 9999");
      }
      return time;
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new TokenRejected(Reason.MALFORMED, "claim '" + name + "' is not a valid time");
    }
  }

  private static String requireString(JsonObject claims, String name) throws TokenRejected {
    JsonValue value = claims.get(name);
    if (value == null) {
      throw new TokenRejected(Reason.MISSING_CLAIM, "claim '" + name + "' is required");
    }
    if (!(value instanceof JsonString s)
        || s.getString().isBlank()
        || s.getString().length() > MAX_TEXT_CLAIM_CHARS
        || LogSafe.hasControlCharacters(s.getString())) {
      throw new TokenRejected(
          Reason.MALFORMED,
          "claim '"
              + name
              + "' must be a non-empty string of at most "
              + MAX_TEXT_CLAIM_CHARS
              + " characters without control characters");
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
