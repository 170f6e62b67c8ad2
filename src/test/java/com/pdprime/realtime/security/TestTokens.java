package com.pdprime.realtime.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/** Keys and hand-built compact JWTs for the verifier tests. */
final class TestTokens {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  /**
   * A configured verification trusting {@code publicKey} (PEM) or the keys at {@code keyLocation},
   * for audience {@code pdprime-realtime}, 30 s of skew, permissions in {@code groups}.
   */
  static TokenVerification verification(
      Optional<String> publicKey, Optional<String> keyLocation, String issuer, Clock clock) {
    TokenVerification verification = new TokenVerification();
    verification.publicKey = publicKey;
    verification.publicKeyLocation = keyLocation;
    verification.issuer = issuer;
    verification.audiences = "pdprime-realtime";
    verification.clockSkewSeconds = 30;
    verification.permissionsClaim = "groups";
    verification.permissionsFormat = "array";
    verification.verifiedTokensMaxEntries = 100;
    verification.clock = clock;
    verification.configure();
    return verification;
  }

  static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** One JWK object; {@code kid} may be null to leave it out. */
  static String jwk(String kid, PublicKey key) {
    RSAPublicKey rsa = (RSAPublicKey) key;
    return "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\","
        + (kid == null ? "" : "\"kid\":\"" + kid + "\",")
        + "\"n\":\""
        + unsigned(rsa.getModulus())
        + "\","
        + "\"e\":\""
        + unsigned(rsa.getPublicExponent())
        + "\"}";
  }

  static String jwks(String... jwks) {
    return "{\"keys\":[" + String.join(",", jwks) + "]}";
  }

  static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A compact RS256 JWT over exactly the given header and payload JSON. */
  static String signed(PrivateKey key, String headerJson, String payloadJson) {
    String signingInput = encode(headerJson) + "." + encode(payloadJson);
    return signingInput + "." + BASE64URL.encodeToString(sign(key, signingInput));
  }

  static byte[] sign(PrivateKey key, String signingInput) {
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return rsa.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      bytes = trimmed;
    }
    return BASE64URL.encodeToString(bytes);
  }
}
