package com.pdprime.realtime.security;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.security.TokenRejected.Reason;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RSA public keys tokens may be signed with: one PEM key, or a JWKS document whose keys are
 * chosen by the token's {@code kid}. The same text that configures MicroProfile JWT configures
 * this.
 */
public final class VerificationKeys {
  private static final String UNNAMED = "";
  private final Map<String, PublicKey> byKeyId;

  private VerificationKeys(Map<String, PublicKey> byKeyId) {
    this.byKeyId = Map.copyOf(byKeyId);
  }

  /** Reads a PEM public key or a JWKS document; anything else is a configuration error. */
  public static VerificationKeys parse(String text) {
    String trimmed = text.trim();
    try {
      if (trimmed.startsWith("{")) {
        return fromJwks(trimmed);
      }
      return new VerificationKeys(Map.of(UNNAMED, fromPem(trimmed)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(
          "the JWT verification key is neither a PEM public key nor a JWKS", e);
    }
  }

  Collection<PublicKey> all() {
    return byKeyId.values();
  }

  PublicKey find(String keyId) throws TokenRejected {
    if (byKeyId.size() == 1 && byKeyId.containsKey(UNNAMED)) {
      return byKeyId.get(UNNAMED);
    }
    PublicKey key = keyId == null ? null : byKeyId.get(keyId);
    if (key == null) {
      throw new TokenRejected(Reason.UNKNOWN_KEY, "no trusted key has kid '" + keyId + "'");
    }
    return key;
  }

  private static PublicKey fromPem(String pem) throws GeneralSecurityException {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
  }

  private static VerificationKeys fromJwks(String json) throws GeneralSecurityException {
    JsonObject jwks;
    try (var reader = JSON.createReader(new StringReader(json))) {
      jwks = reader.readObject();
    }
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (JsonValue entry : jwks.getJsonArray("keys")) {
      JsonObject jwk = entry.asJsonObject();
      if (!"RSA".equals(jwk.getString("kty", ""))) {
        continue;
      }
      BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")));
      BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")));
      PublicKey key =
          KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
      keys.put(jwk.getString("kid", UNNAMED), key);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the JWKS holds no RSA key");
    }
    return new VerificationKeys(keys);
  }
}
