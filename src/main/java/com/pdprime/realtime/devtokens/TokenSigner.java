package com.pdprime.realtime.devtokens;

import static com.pdprime.realtime.protocol.JsonSupport.JSON;

import com.pdprime.realtime.security.PermissionsClaim;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Signs RS256 JWTs with the development key; the same claims an identity provider would issue. */
public final class TokenSigner {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** The claims of a minted token. */
  public record Claims(
      String issuer,
      String audience,
      String subject,
      String name,
      List<String> groups,
      Instant issuedAt,
      Instant expiresAt) {}

  private TokenSigner() {}

  /** Signs with the permissions in MicroProfile JWT's {@code groups}. */
  public static String sign(PrivateKey key, Claims claims) throws GeneralSecurityException {
    return sign(key, claims, PermissionsClaim.GROUPS);
  }

  /**
   * Signs with the permissions where and as the configured identity provider puts them, e.g.
   * Keycloak's {@code realm_access.roles}, so demo tokens look like the real ones.
   */
  public static String sign(PrivateKey key, Claims claims, PermissionsClaim where)
      throws GeneralSecurityException {
    String header =
        JSON.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build().toString();
    String payload =
        JSON.createObjectBuilder()
            .add("iss", claims.issuer())
            .add("aud", claims.audience())
            .add("sub", claims.subject())
            .add("upn", claims.subject())
            .add("name", claims.name())
            .add("iat", claims.issuedAt().getEpochSecond())
            .add("nbf", claims.issuedAt().getEpochSecond())
            .add("exp", claims.expiresAt().getEpochSecond())
            .add("jti", UUID.randomUUID().toString())
            .addAll(permissions(claims.groups(), where))
            .build()
            .toString();
    String signingInput = encode(header) + "." + encode(payload);
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
  }

  /** The permissions nested under the claim's path: {@code {"realm_access":{"roles":[...]}}}. */
  private static JsonObjectBuilder permissions(List<String> permissions, PermissionsClaim where) {
    JsonValue value;
    if (where.format() == PermissionsClaim.Format.ARRAY) {
      JsonArrayBuilder array = JSON.createArrayBuilder();
      permissions.forEach(array::add);
      value = array.build();
    } else {
      value = JSON.createValue(String.join(" ", permissions));
    }
    List<String> path = where.path();
    for (int i = path.size() - 1; i > 0; i--) {
      value = JSON.createObjectBuilder().add(path.get(i), value).build();
    }
    return JSON.createObjectBuilder().add(path.get(0), value);
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
